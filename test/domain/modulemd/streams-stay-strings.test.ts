import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  parseModuleIndex,
  parseModuleStream,
  readMbsBuildMetadata,
  serializeModuleStream,
} from '../../../domain/modulemd';
import { MODULEMD_FIXTURES } from './fixture-files';

const minimalStream = (fields: string) =>
  `document: modulemd\nversion: 2\ndata:\n${fields}  summary: S\n  description: D\n  license:\n    module: [MIT]\n`;

describe('modulemd scalars keep their source text', () => {
  it('keeps stream 1.10 as "1.10", not the number 1.1', () => {
    const result = parseModuleStream(minimalStream('  name: ant\n  stream: 1.10\n  version: 20180629154141\n'));
    assert.ok(result.ok);
    assert.equal(result.stream.stream, '1.10');
    assert.equal(result.stream.version, '20180629154141');
  });

  it('keeps a version beyond 2^53 and a context of digits without losing digits', () => {
    const result = parseModuleStream(minimalStream('  version: 18446744073709551615\n  context: 00012345\n'));
    assert.ok(result.ok);
    assert.equal(result.stream.version, '18446744073709551615');
    assert.equal(result.stream.context, '00012345');
  });

  it('keeps numeric-looking dependency streams, component refs and default profiles as strings', () => {
    const text = minimalStream(
      '  dependencies:\n  - buildrequires:\n      platform: [f29]\n      java: [1.10, 8]\n' +
        '  components:\n    rpms:\n      ant:\n        ref: 1.10\n        buildorder: 10\n',
    );
    const result = parseModuleStream(text);
    assert.ok(result.ok);
    assert.deepEqual(result.stream.dependencies[0]?.buildrequires.java, ['1.10', '8']);
    assert.equal(result.stream.components.rpms.ant?.ref, '1.10');
    assert.equal(result.stream.components.rpms.ant?.buildorder, 10);
  });

  it('writes "1.10" back quoted, so it reads back as "1.10"', () => {
    const result = parseModuleStream(minimalStream('  name: ant\n  stream: 1.10\n'));
    assert.ok(result.ok);
    assert.match(serializeModuleStream(result.stream), /stream: "1\.10"/);
  });

  it('reads the Fedora 29 index with its numeric-looking streams and defaults intact', () => {
    const result = parseModuleIndex(readFileSync(path.join(MODULEMD_FIXTURES, 'valid/fedora29-index.yaml'), 'utf8'));
    assert.ok(result.ok);
    const streams = result.streams.map((stream) => `${stream.name}:${stream.stream}`);
    assert.ok(streams.includes('ant:1.10'));
    assert.ok(streams.includes('golang:1.10'));
    assert.ok(streams.includes('scala:2.10'));
    assert.deepEqual(result.defaults.find((defaults) => defaults.module === 'ant')?.profiles, { '1.10': ['default'] });
  });

  it('keeps each stream’s xmd as typed JSON and reads the MBS build metadata from it', () => {
    const result = parseModuleIndex(readFileSync(path.join(MODULEMD_FIXTURES, 'valid/fedora29-index.yaml'), 'utf8'));
    assert.ok(result.ok);
    const testmodule = result.streams.find((stream) => stream.name === 'testmodule');
    assert.ok(testmodule);
    const xmd = testmodule.xmd as {
      mbs: { buildrequires: { platform: { version: unknown; filtered_rpms: unknown } } };
    };
    assert.equal(xmd.mbs.buildrequires.platform.version, 4);
    assert.deepEqual(xmd.mbs.buildrequires.platform.filtered_rpms, []);
    const metadata = readMbsBuildMetadata(testmodule);
    assert.equal(metadata?.commit, '0d33e028e4561f82ea43f670ee6366675cd6a6fe');
    assert.equal(metadata?.componentRefs.tangerine, '239ada495d941ceefd8f359e1d8a47877fbba4a9');
    assert.deepEqual(metadata?.buildrequires[0], { module: 'platform', stream: 'f29', version: '4', ref: 'virtual' });
    assert.equal(result.streams.filter((stream) => readMbsBuildMetadata(stream) !== undefined).length, 48);
  });

  it('reads a multi-line quoted scalar whose closing quote is in column 0, as libyaml does', () => {
    const result = parseModuleStream(
      minimalStream('') +
        "  components:\n    rpms:\n      a:\n        rationale: 'Two\n\n  lines.\n\n'\n        ref: main\n",
    );
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.equal(result.stream.components.rpms.a?.rationale, 'Two\nlines.\n');
    assert.equal(result.stream.components.rpms.a?.ref, 'main');
  });
});
