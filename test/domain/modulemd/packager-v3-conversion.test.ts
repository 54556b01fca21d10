import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parsePackagerV3 } from '../../../domain/modulemd';
import { MODULEMD_FIXTURES } from './fixture-files';

describe('modulemd-packager v3 becomes module streams v2', () => {
  const text = readFileSync(path.join(MODULEMD_FIXTURES, 'packager-v3/valid/spec-packager-v3.yaml'), 'utf8');

  it('makes one stream with a static context per build configuration, the platform in both dependency lists', () => {
    const result = parsePackagerV3(text);
    assert.ok(result.ok);
    assert.deepEqual(
      result.streams.map((stream) => [stream.context, stream.staticContext]),
      [
        ['CTX1', true],
        ['CTX2', true],
      ],
    );
    assert.deepEqual(result.streams[0]?.dependencies, [
      {
        buildrequires: { appframework: ['v1'], platform: ['f32'] },
        requires: { appframework: ['v1'], platform: ['f32'] },
      },
    ]);
    assert.deepEqual(result.streams[1]?.dependencies, [
      { buildrequires: { platform: ['f33'] }, requires: { platform: ['f33'] } },
    ]);
  });

  it('gives each stream its own configuration’s buildopts and the packager’s license', () => {
    const result = parsePackagerV3(text);
    assert.ok(result.ok);
    assert.deepEqual(result.streams[0]?.buildopts.arches, ['i686', 'x86_64']);
    assert.deepEqual(result.streams[1]?.buildopts.arches, []);
    assert.deepEqual(result.streams[0]?.license.module, ['MIT']);
  });

  it('turns profiles marked default into module defaults for the stream', () => {
    const result = parsePackagerV3(text);
    assert.ok(result.ok);
    assert.deepEqual(result.defaults, [{ module: 'foo', profiles: { latest: ['minimal'] }, intents: {} }]);
    assert.equal(result.streams[0]?.profiles.minimal?.default, undefined);
  });
});
