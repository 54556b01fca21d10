import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseModuleIndex, type ModuleStreamV2 } from '../../../domain/modulemd';
import { definitionsFromIndex, ModuleIndexDefinitions } from '../../../domain/pdc';

function build(name: string, stream: string, version: string, context: string, requires: string[], rpms: string[]) {
  const requirements = requires.map((r) => `      ${r}: [x]\n`).join('');
  const components = rpms.map((r) => `      ${r}:\n        rationale: r\n`).join('');
  return (
    `---\ndocument: modulemd\nversion: 2\ndata:\n  name: ${name}\n  stream: "${stream}"\n  version: ${version}\n` +
    `  context: ${context}\n  summary: S\n  description: D\n  license:\n    module: [MIT]\n` +
    `  dependencies:\n  - buildrequires:\n      platform: [f29]\n${requirements}` +
    `  components:\n    rpms:\n${components || '      none:\n        rationale: r\n'}...\n`
  );
}

function streamsOf(text: string): ModuleStreamV2[] {
  const parsed = parseModuleIndex(text);
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
  return parsed.streams;
}

describe('a module index as one definition per stream', () => {
  const streams = streamsOf(
    build('a', '1', '2', 'c1', ['b'], ['x']) +
      build('a', '1', '3', 'c2', ['c'], ['y']) +
      build('other', '1', '1', 'o1', [], ['z']) +
      build('a', '1', '3', 'c3', ['d'], ['y', 'w']) +
      build('a', '1', '1', 'c4', ['e'], ['v']),
  );

  it('keeps the latest version of each stream, merging the contexts built at that version', () => {
    const [a, other] = definitionsFromIndex(streams);
    assert.equal(a?.version, '3');
    assert.equal(a?.context, null, 'two contexts: none is the stream’s');
    assert.deepEqual(a?.definition.edges.map((e) => e.toName).sort(), ['c', 'd', 'platform']);
    assert.deepEqual(a?.definition.components.map((c) => c.name).sort(), ['w', 'y']);
    assert.equal(a?.definition.release, 'f29');
    assert.deepEqual([other?.version, other?.context], ['1', 'o1']);
  });

  it('gives the same definitions when the builds are handed over one at a time', () => {
    const index = new ModuleIndexDefinitions();
    for (const stream of streams) index.add(stream);
    assert.deepEqual(index.definitions(), definitionsFromIndex(streams));
  });
});
