import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { formatNsvc, parseModuleIndex, parseModuleStream, serializeModuleStream } from '../../../domain/modulemd';
import { listModulemdFixtures, runModulemdValidator } from './fixture-files';

describe('serializing module streams back to modulemd v2', () => {
  const workDir = mkdtempSync(path.join(tmpdir(), 'cascade-modulemd-'));
  after(() => rmSync(workDir, { recursive: true, force: true }));
  const validIndexes = listModulemdFixtures().filter((fixture) => fixture.name.startsWith('valid/'));

  it('reads all 48 streams of the Fedora 29 index', () => {
    const fedora = validIndexes.find((fixture) => fixture.name === 'valid/fedora29-index.yaml');
    assert.ok(fedora);
    const result = parseModuleIndex(readFileSync(fedora.file, 'utf8'));
    assert.ok(result.ok);
    assert.equal(result.streams.length, 48);
  });

  for (const fixture of validIndexes) {
    it(`writes every stream of ${fixture.name} so that modulemd-validator accepts it and Cascade reads it back unchanged`, () => {
      const result = parseModuleIndex(readFileSync(fixture.file, 'utf8'));
      assert.ok(result.ok, `fixture did not parse: ${JSON.stringify(!result.ok && result.errors)}`);
      assert.ok(result.streams.length > 0);
      for (const [index, stream] of result.streams.entries()) {
        const yaml = serializeModuleStream(stream);
        const file = path.join(workDir, `${path.basename(fixture.name, '.yaml')}-${index}.yaml`);
        writeFileSync(file, yaml);
        const verdict = runModulemdValidator(file);
        assert.ok(verdict.valid, `${formatNsvc(stream)} was rejected:\n${verdict.output}`);
        const reread = parseModuleStream(yaml);
        assert.ok(reread.ok, `${formatNsvc(stream)} did not read back: ${JSON.stringify(!reread.ok && reread.errors)}`);
        assert.deepEqual(reread.stream, stream);
      }
    });
  }
});
