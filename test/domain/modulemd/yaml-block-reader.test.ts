// Module indexes are read by a fast block-YAML reader, with the `yaml` package for anything else and
// for error positions. These tests hold the two to the same result: every tree, every document, every
// line, on the fixtures, on edge cases and on thousands of mutated documents.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { describeModulemdError, parseModuleIndex, scanModuleIndex } from '../../../domain/modulemd';
import { NO_DOCUMENT, readBlockYamlDocument, UNSUPPORTED } from '../../../domain/modulemd/yaml-block-reader';
import { splitYamlDocuments } from '../../../domain/modulemd/yaml-document-spans';
import type { FieldPath, SourceDocument } from '../../../domain/modulemd/yaml-source';
import { readYamlDocuments, readYamlDocumentsWithYamlPackage } from '../../../domain/modulemd/yaml-source';
import { seededRandom } from '../../../domain/seeded-random';
import { listModulemdFixtures } from './fixture-files';

/** Text trees without a prototype compare equal to the `yaml` package's plain objects. */
const plain = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(plain)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
      : value;

function pathsOf(tree: unknown, base: FieldPath = []): FieldPath[] {
  if (Array.isArray(tree)) return [base, ...tree.flatMap((item, i) => pathsOf(item, [...base, i]))];
  if (tree !== null && typeof tree === 'object')
    return [base, ...Object.entries(tree).flatMap(([key, item]) => pathsOf(item, [...base, key]))];
  return [base];
}

/** Everything a reader of SourceDocuments can see: trees, errors, lines of every field. */
const view = (documents: SourceDocument[]) =>
  documents.map((d) => ({
    text: plain(d.text),
    syntaxErrors: d.syntaxErrors,
    duplicateKeys: d.duplicateKeys,
    startLine: d.startLine,
    json: d.jsonAt([]),
    lines: pathsOf(d.text).map((p) => [p.join('.'), d.lineOf(p)]),
  }));

/** Whether both readings agree; with YAML errors on both sides only the verdict has to. */
function agree(text: string): { same: boolean; bothInvalid: boolean } {
  const fast = view(readYamlDocuments(text));
  const reference = view(readYamlDocumentsWithYamlPackage(text));
  const invalid = (v: typeof fast) => v.some((d) => d.syntaxErrors.length > 0);
  return { same: isDeepStrictEqual(fast, reference), bothInvalid: invalid(fast) && invalid(reference) };
}

function assertAgree(text: string): void {
  const fast = view(readYamlDocuments(text));
  const reference = view(readYamlDocumentsWithYamlPackage(text));
  assert.deepEqual(fast, reference, `reading ${JSON.stringify(text)}`);
}

/** How many documents of `text` the fast reader reads itself. */
function fastDocuments(text: string): number {
  let count = 0;
  for (const span of splitYamlDocuments(text) ?? []) {
    try {
      if (span.plain && readBlockYamlDocument(text, span.start, span.end, false) !== NO_DOCUMENT) count += 1;
    } catch (error) {
      if (error !== UNSUPPORTED) throw error;
    }
  }
  return count;
}

const EDGE_CASES = [
  'a: 1\n',
  'a: 1',
  '---\na: 1\n...\n',
  '--- # c\na: 1\n',
  '---\n',
  '---\n---\n',
  '# only a comment\n',
  '...\n',
  'a: 1\n...\n# c\n...\n',
  '---\na: 1\n--- \nb: 2\n...\n---\nc: 3\n',
  'a: 1\n---\nb: 2\n',
  'a: 1\n...\nb: 2\n',
  '--- |\n  x\n',
  'a:\n  b: c\n  d:\n  - e\n  - f: g\n    h: i\n  -\n  - - x\n',
  'a:\n- 1\n- 2\nb: 3\n',
  '- a: 1\n  b: 2\n- c\n-   d: 1\n    e:\n    - f\n',
  'a: [1, "2", \'3\', -4, -f27, [x, y], {k: v}]\nb: []\nc: {}\nd: [ ]\n',
  'a: [a, b,]\nb: [x: y]\nc: [- f29]\nd: {x}\n',
  'a: {x: 1, "y": [2], \'z\': {w: 3}}\n',
  'a: |\n  line1\n  line2\nb: |-\n  x\n\n  y\n\nc: |+\n  x\n\n\nd: 1\n',
  'a: >\n  f1\n  f2\n\n  f3\n\n\n  f4\nb: >-\n  x\nc: >+\n  x\n\n',
  'a: |\n\n  x\nb: >\n\n\n  x\n  y\nc: |\nd: >-\n\ne: |+\n\nf: 1\n',
  'a: |\n  x\n   y\n  z\nb: >\n  x\n   y\n  z\nc: |2\n   x\nd: | # c\n  x\n',
  'a: |\n  x\n  # not a comment\n# comment\nb: 1\n',
  'a: |\n  x',
  'a: |\n  \n  x\nb: |\n   \n  x\nc: >\n  x\n  \n  y\n',
  'a: plain text\nb: with # comment\nc: hash#inside\nd: colon:inside\ne: http://x.y/z?#frag\n',
  'a: multi\n  line\n  plain\nb: multi\n\n  blank\nc: x\n  # c\n',
  "a: 'single ''quoted'''\nb: \"double \\\"esc\\\" \\n \\t \\x41 \\u00e9 \\U0001F600 \\/ \\_\"\n",
  "a: 'multi\n  line'\nb: 'multi\n\n  line\n  '\nc: \"multi\n  line \\\n  cont\"\n",
  "a: 'under-indented\n'\nb: 1\n",
  'a: "bad \\q"\n',
  'a: ~\nb: null\nc: true\nd: False\ne: 0o17\nf: 0x1F\ng: 1.10\nh: 1e3\ni: .inf\nj: -.5\nk: 007\n',
  'l: +5\nm: 9007199254740993\nn: 1.0\no: -0\np: 12345678901234567890\nq: .nan\nr: 1_000\ns: -.INF\n',
  'a:\nb: ""\nc: \'\'\nd:    \n- \n',
  '"quoted key": 1\n\'k2\': 2\nkey with spaces  : v\n',
  'a: b: c\n',
  'a: &x 1\nb: *x\nc: !!str 1\n',
  '? a\n: b\n',
  'a:\tb\n',
  'a: b\r\nc: d\r\n',
  '%YAML 1.2\n---\na: 1\n',
  '\ufeffa: 1\n',
  'a: 1\n  b: 2\n',
  'a:\n  b: 1\n c: 2\n',
  'a: - b\nc: @x\nd: `x\ne: ,x\nf: x,y\n',
  'a: [x]#c\nb: [x] #c\nc: "x"#c\nd: "x" #c\ne: "x" y\n',
  'a: [\n  x]\n',
  'a: 1\na: 2\n',
  'constructor: 1\ntoString: 2\nhasOwnProperty: 3\n',
  'a: -\nb: -x\nc: ?x\nd: :x\n',
  '- -x\n- ? x\n',
  'a:\n  b\n',
  'a: "x"\n  y\n',
  'a: "\\\n  x"\nb: "x\\"\n',
  'a: "\\x4"\n',
  "a: \" lead  trail \"\nb: ''''\n",
  'document: modulemd\nversion: 2\ndata:\n  xmd:\n    mbs:\n      buildrequires:\n        platform: {ref: f29, stream: f29, version: 2, context: 00000000}\n      rpms: {}\n      n: [1, 1.5, true, ~, 0x10]\n',
];

// The constructs the fast reader leaves to the `yaml` package (some valid YAML, some not).
const LEFT_TO_THE_YAML_PACKAGE = [
  'a: &x 1\n',
  'a: *x\n',
  'a: !!str 1\n',
  '? a\n: b\n',
  'a:\tb\n',
  'a: [\n  x]\n',
  'a: >\n  x\n   more-indented\n',
  "a: 'closing quote\n'\n",
  'a: |2\n   x\n',
  'a: b: c\n',
  '__proto__: 1\n',
  '--- a: 1\n',
  'a: 1\nb: 2\na: 3\n',
  'a: {b: 1, b: 2}\n',
];

function mutate(text: string, random: () => number): string {
  const tokens = [' ', '  ', '\n', ':', ': ', '- ', '#', ' #', "'", '"', '[', ']', '{', '}', ',', '|', '>', '|-'];
  tokens.push('>+', '-', '?', '&', '*', '!', '\\', '...', '---', 'x', '\n  ', '\n\n', '0', '.', '%', '\\n', ' \n');
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  let out = text;
  for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits -= 1) {
    const at = Math.floor(random() * (out.length + 1));
    const kind = random();
    if (kind < 0.6) out = out.slice(0, at) + pick(tokens) + out.slice(at);
    else if (kind < 0.8) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 3));
    else {
      const lines = out.split('\n');
      const line = Math.floor(random() * lines.length);
      lines[line] = random() < 0.5 ? ' '.repeat(1 + Math.floor(random() * 3)) + lines[line] : lines[line]!.slice(1);
      out = lines.join('\n');
    }
  }
  return out;
}

/** A module index of `count` streams, each `LINES` lines long. */
function syntheticIndex(count: number): string {
  let text = '';
  for (let i = 0; i < count; i += 1) {
    text +=
      `---\ndocument: modulemd\nversion: 2\ndata:\n  name: mod${i}\n  stream: "1.${i}"\n  version: ${2900 + i}\n` +
      `  context: "c${i}"\n  summary: Module ${i}\n  description: >-\n    Module ${i}, for tests.\n` +
      `  license:\n    module: [MIT]\n  dependencies:\n  - buildrequires:\n      platform: [f29]\n` +
      `    requires:\n      platform: [f29]\n  components:\n    rpms:\n      pkg${i}:\n` +
      `        rationale: Part of mod${i}.\n        ref: main\n        buildorder: 10\n...\n`;
  }
  return text;
}
const LINES = 25;

describe('the fast block-YAML reader reads module indexes as the yaml package does', () => {
  it('reads every modulemd fixture to the same trees, documents and lines, most documents without the yaml package', () => {
    let fast = 0;
    for (const fixture of listModulemdFixtures()) {
      const text = readFileSync(fixture.file, 'utf8');
      assertAgree(text);
      fast += fastDocuments(text);
    }
    // fedora29-index.yaml: 6 of its 55 documents have multi-line scalars the reader leaves to `yaml`.
    assert.ok(fast >= 60, `${fast} fixture documents read fast`);
    const index = syntheticIndex(50);
    assertAgree(index);
    assert.equal(fastDocuments(index), 50);
  });

  it('agrees on scalars of every style, collections, comments and document markers', () => {
    for (const text of EDGE_CASES) assertAgree(text);
    for (const [i, first] of EDGE_CASES.entries()) {
      const second = EDGE_CASES[(i * 7) % EDGE_CASES.length]!;
      const { same, bothInvalid } = agree(`${first}${second}`);
      assert.ok(same || bothInvalid, `reading ${JSON.stringify(first + second)}`);
    }
  });

  it('leaves anchors, tags, complex keys, tabs and odd indentation to the yaml package', () => {
    for (const text of LEFT_TO_THE_YAML_PACKAGE) {
      assert.throws(
        () => readBlockYamlDocument(text, 0, text.length, false),
        (e) => e === UNSUPPORTED,
        text,
      );
      assertAgree(text);
    }
  });

  it('agrees on 1,500 mutated documents: the same trees, or both find a YAML error', () => {
    const random = seededRandom(20261125);
    const fedora = listModulemdFixtures().find((fixture) => fixture.name === 'valid/fedora29-index.yaml')!;
    const bases = [...EDGE_CASES, syntheticIndex(2), ...readFileSync(fedora.file, 'utf8').split('\n---\n').slice(0, 3)];
    for (let i = 0; i < 1500; i += 1) {
      const text = mutate(bases[Math.floor(random() * bases.length)]!, random);
      const { same, bothInvalid } = agree(text);
      assert.ok(same || bothInvalid, `mutation ${i}: ${JSON.stringify(text)}`);
    }
  });
});

describe('a large module index read document by document', () => {
  it('names the line of an error in the whole file, and gives the same verdict streamed', () => {
    const index = syntheticIndex(300).replace('  version: 3149\n', '  version: 31.49\n');
    const expectedLine = 249 * LINES + 7;
    const parsed = parseModuleIndex(index);
    assert.equal(parsed.ok, false);
    const [error] = parsed.ok ? [] : parsed.errors;
    assert.equal(
      describeModulemdError(error!, 'index.yaml'),
      `index.yaml: data.version: 31.49: the string is not a valid integer (line ${expectedLine})`,
    );
    let handed = 0;
    const scanned = scanModuleIndex(index, () => (handed += 1));
    assert.deepEqual(scanned, parsed);
    assert.equal(handed, 249);
    const valid = scanModuleIndex(syntheticIndex(300), () => undefined);
    assert.deepEqual(valid, { ok: true, streams: 300, defaults: [] });
  });
});
