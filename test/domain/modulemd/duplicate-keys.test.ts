// A key repeated in one mapping: libmodulemd keeps the later value in most mappings and refuses the
// repeat in a few (duplicate-key-rules.ts). Each case is judged by Cascade, through both YAML readers,
// and by the real modulemd-validator, which must give the same verdict.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeModulemdError, validateDocumentText } from '../../../domain/modulemd';
import { readYamlDocuments, readYamlDocumentsWithYamlPackage } from '../../../domain/modulemd/yaml-source';
import { validateTexts } from '../../support/modulemd-validator-batch';

const STREAM = (dependencies: string, extra = '') => `---
document: modulemd
version: 2
data:
  name: foo
  stream: "1"
  version: 1
  context: c0ffee42
  summary: Foo
  description: Foo.
  license:
    module: [MIT]
${extra}  dependencies:
${dependencies}...
`;

const DEFAULTS = (data: string) => `---
document: modulemd-defaults
version: 1
data:
  module: nodejs
${data}...
`;

const OBSOLETES = (data: string) => `---
document: modulemd-obsoletes
version: 1
data:
  module: nodejs
  stream: "8"
  modified: 2020-03-19T00:00Z
  message: test
${data}...
`;

const TRANSLATIONS = (data: string) => `---
document: modulemd-translations
version: 1
data:
  module: nodejs
  stream: "8"
  modified: 1
${data}...
`;

const PACKAGER = (configurations: string) => `document: modulemd-packager
version: 3
data:
  name: foo
  stream: latest
  summary: Foo
  description: Foo.
  license: [MIT]
  configurations:
${configurations}`;

interface Case {
  name: string;
  text: string;
  packagerV3?: boolean;
  /** The refused repeat: its field path and line; absent when the document is valid. */
  refused?: { path: string; line: number };
}

const CASES: Case[] = [
  {
    name: 'a module repeated in a stream’s buildrequires',
    text: STREAM(
      '  - buildrequires:\n      platform: [f29]\n      platform: [f30]\n    requires:\n      platform: []\n',
    ),
    refused: { path: 'data.dependencies[0].buildrequires.platform', line: 16 },
  },
  {
    name: 'a module repeated in a stream’s requires (flow mapping)',
    text: STREAM('  - requires: {platform: [f29], platform: []}\n'),
    refused: { path: 'data.dependencies[0].requires.platform', line: 14 },
  },
  {
    name: 'document repeated at the top of a document',
    text: STREAM('  - requires: {platform: []}\n').replace('version: 2\n', 'version: 2\ndocument: modulemd\n'),
    refused: { path: 'document', line: 4 },
  },
  {
    name: 'version repeated at the top of a document',
    text: DEFAULTS('  stream: "8"\n').replace('data:\n', 'version: 1\ndata:\n'),
    refused: { path: 'version', line: 4 },
  },
  {
    name: 'a stream repeated in defaults’ profiles',
    text: DEFAULTS('  profiles:\n    "8": [default]\n    9: [default]\n    "8": [minimal]\n'),
    refused: { path: 'data.profiles.8', line: 9 },
  },
  {
    name: 'defaults’ profiles given twice with a stream in both',
    text: DEFAULTS('  profiles:\n    "8": [default]\n  stream: "8"\n  profiles:\n    "8": [minimal]\n'),
    refused: { path: 'data.profiles.8', line: 10 },
  },
  {
    name: 'the default stream repeated in defaults',
    text: DEFAULTS('  stream: "8"\n  stream: "9"\n'),
    refused: { path: 'data.stream', line: 7 },
  },
  {
    name: 'the module repeated in defaults',
    text: DEFAULTS('  module: other\n'),
    refused: { path: 'data.module', line: 6 },
  },
  {
    name: 'an intent repeated in defaults',
    text: DEFAULTS('  intents:\n    server:\n      stream: "8"\n    server:\n      stream: "9"\n'),
    refused: { path: 'data.intents.server', line: 9 },
  },
  {
    name: 'an intent’s stream repeated',
    text: DEFAULTS('  intents:\n    server:\n      stream: "8"\n      stream: "9"\n'),
    refused: { path: 'data.intents.server.stream', line: 9 },
  },
  {
    name: 'a stream repeated in an intent’s profiles',
    text: DEFAULTS('  intents:\n    server:\n      profiles:\n        "8": [a]\n        "8": [b]\n'),
    refused: { path: 'data.intents.server.profiles.8', line: 10 },
  },
  {
    name: 'the context repeated in obsoletes',
    text: OBSOLETES('  context: 6c81f848\n  context: 6c81f849\n'),
    refused: { path: 'data.context', line: 10 },
  },
  {
    name: 'the message repeated in obsoletes',
    text: OBSOLETES('  message: again\n'),
    refused: { path: 'data.message', line: 9 },
  },
  {
    name: 'obsoleted_by’s module repeated',
    text: OBSOLETES('  obsoleted_by:\n    module: nodejs\n    stream: "10"\n    module: node\n'),
    refused: { path: 'data.obsoleted_by.module', line: 12 },
  },
  {
    name: 'obsoleted_by given twice, both naming a stream',
    text: OBSOLETES('  obsoleted_by:\n    module: nodejs\n    stream: "10"\n  obsoleted_by:\n    stream: "12"\n'),
    refused: { path: 'data.obsoleted_by.stream', line: 13 },
  },
  {
    name: 'the stream repeated in translations',
    text: TRANSLATIONS('  stream: "9"\n'),
    refused: { path: 'data.stream', line: 8 },
  },
  {
    name: 'a module repeated in a packager configuration’s buildrequires',
    packagerV3: true,
    text: PACKAGER(
      '    - context: CTX1\n      platform: f33\n      buildrequires:\n        app: [a]\n        app: [b]\n',
    ),
    refused: { path: 'data.configurations[0].buildrequires.app', line: 14 },
  },
  {
    name: 'packager configurations given twice with a context in both',
    packagerV3: true,
    text: PACKAGER(
      '    - context: CTX1\n      platform: f33\n  configurations:\n    - context: CTX1\n      platform: f34\n',
    ),
    refused: { path: 'data.configurations[0].context', line: 13 },
  },
  // Where libmodulemd keeps the later value, so does Cascade.
  {
    name: 'the summary repeated in a stream (the later one wins)',
    text: STREAM('  - requires: {platform: []}\n', '  summary: Foo again\n'),
  },
  {
    name: 'a stream’s buildrequires repeated in one dependencies entry',
    text: STREAM('  - buildrequires:\n      platform: [f29]\n    buildrequires:\n      platform: [f30]\n'),
  },
  {
    name: 'modified repeated in obsoletes',
    text: OBSOLETES('  modified: 2021-01-01T00:00Z\n'),
  },
  {
    name: 'modified repeated in translations',
    text: TRANSLATIONS('  modified: 2\n'),
  },
  {
    name: 'defaults’ profiles given twice with different streams',
    text: DEFAULTS('  profiles:\n    "8": [default]\n  profiles:\n    "9": [default]\n'),
  },
  {
    name: 'a component’s ref repeated',
    text: STREAM(
      '  - requires: {platform: []}\n',
      '  components:\n    rpms:\n      bar:\n        rationale: Bar.\n        ref: a\n        ref: b\n',
    ),
  },
  {
    name: 'a module repeated in a modulemd v1 stream’s requires (a string map there)',
    text: `document: modulemd
version: 1
data:
  name: foo
  stream: "1"
  version: 1
  summary: Foo
  description: Foo.
  license:
    module: [MIT]
  dependencies:
    requires:
      platform: f29
      platform: f30
`,
  },
];

describe('a key repeated in one mapping', () => {
  it('is refused exactly where modulemd-validator refuses it, with its field and line', async () => {
    const index = CASES.filter((c) => !c.packagerV3);
    const packager = CASES.filter((c) => c.packagerV3);
    const [indexVerdicts, packagerVerdicts] = await Promise.all([
      validateTexts(index.map((c) => c.text)),
      validateTexts(
        packager.map((c) => c.text),
        { packagerV3: true, parallel: 1 },
      ),
    ]);
    const verdicts = new Map([
      ...index.map((c, i) => [c, indexVerdicts[i]!] as const),
      ...packager.map((c, i) => [c, packagerVerdicts[i]!] as const),
    ]);
    for (const one of CASES) {
      const libmodulemd = verdicts.get(one)!;
      assert.equal(libmodulemd.valid, !one.refused, `modulemd-validator on ${one.name}:\n${libmodulemd.output}`);
      const cascade = validateDocumentText(one.text, one.packagerV3 ? { type: 'modulemd-packager-v3' } : {});
      const errors = cascade.errors.map((error) => describeModulemdError(error)).join('\n');
      if (!one.refused) {
        assert.equal(cascade.valid, true, `Cascade on ${one.name}:\n${errors}`);
        continue;
      }
      assert.equal(cascade.valid, false, `Cascade on ${one.name}`);
      assert.deepEqual(
        cascade.errors.map((error) => ({ code: error.code, path: error.path, line: error.line })),
        [{ code: 'duplicate-key', ...one.refused }],
        `Cascade on ${one.name}:\n${errors}`,
      );
      assert.match(cascade.errors[0]!.message, /is given twice/);
    }
  });

  it('is listed the same by the fast reader and by the yaml package, the later value kept', () => {
    const text = STREAM('  - buildrequires:\n      platform: [f29]\n      platform: [f30]\n');
    for (const documents of [readYamlDocuments(text), readYamlDocumentsWithYamlPackage(text)]) {
      const [document] = documents;
      assert.deepEqual(document!.duplicateKeys, [
        { path: ['data', 'dependencies', 0, 'buildrequires', 'platform'], earlier: ['f29'] },
      ]);
      assert.deepEqual(
        (document!.text as { data: { dependencies: { buildrequires: unknown }[] } }).data.dependencies[0]!
          .buildrequires,
        { platform: ['f30'] },
      );
      assert.equal(document!.lineOf(['data', 'dependencies', 0, 'buildrequires', 'platform']), 16);
    }
  });

  it('names the field and the line in its message', () => {
    const result = validateDocumentText(DEFAULTS('  stream: "8"\n  stream: "9"\n'), {});
    assert.equal(
      describeModulemdError(result.errors[0]!, 'defaults.yaml'),
      "defaults.yaml: data.stream: 'stream' (the default stream) is given twice (line 7)",
    );
  });
});
