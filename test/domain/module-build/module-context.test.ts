import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue, ModuleStreamV2 } from '../../../domain/modulemd';
import { readMbsBuildMetadata } from '../../../domain/modulemd';
import {
  computeBuildContext,
  computeContexts,
  computeModuleContext,
  computeRuntimeContext,
  sha1Hex,
} from '../../../domain/module-build';
import { pythonJsonDumps, sortedByKey } from '../../../domain/module-build/python-json';
import { loadFedora29Streams, nsvcOf } from './fedora29-index';

const streams = loadFedora29Streams();

type JsonObject = { [key: string]: JsonValue };
function mbsOf(stream: ModuleStreamV2): JsonObject {
  return ((stream.xmd as JsonObject | undefined)?.mbs ?? {}) as JsonObject;
}

/**
 * The streams of the index whose context MBS 3.9's algorithm does not reproduce, and why. All three were built
 * before mid-2018, by MBS releases that hashed the buildrequired modules' git refs (xmd.mbs.buildrequires.*.ref)
 * instead of their streams; the platform's ref was "virtual" (testmodule, built before module stream expansion,
 * whose xmd still has the `requires` block and no `mse` flag) or "f29" (perl). Where every buildrequire is the
 * platform with ref "f29" the two algorithms agree, which is why the other 45 streams match either way.
 */
const BUILT_BY_OLDER_MBS = [
  'testmodule:main:20180405123256:c2c572ec',
  'perl:5.26:20180417112647:ccbeb30a',
  'perl:5.24:20180418132302:5d9ae238',
];

/** The older MBS algorithm, rebuilt here only to prove the explanation above. */
function olderMbsContext(stream: ModuleStreamV2): string {
  const refs = (block: JsonValue | undefined) =>
    sortedByKey(
      Object.entries((block ?? {}) as JsonObject).map(([name, entry]) => [name, String((entry as JsonObject).ref)]),
    );
  const buildContext = sha1Hex(pythonJsonDumps(refs(mbsOf(stream).buildrequires)));
  // Before module stream expansion, the runtime side hashed xmd.mbs.requires the same way.
  const requires = mbsOf(stream).requires;
  const runtimeContext = requires
    ? sha1Hex(pythonJsonDumps(refs(requires)))
    : computeRuntimeContext(stream.dependencies);
  return computeModuleContext(buildContext, runtimeContext);
}

describe('module context as MBS 3.9 computes it', () => {
  it('hashes {module: stream} of the resolved buildrequires as Python json.dumps prints it, keys sorted', () => {
    const buildContext = computeBuildContext([
      { module: 'platform', stream: 'f29' },
      { module: 'django', stream: '1.6' },
    ]);
    assert.equal(buildContext, sha1Hex('{"django": "1.6", "platform": "f29"}'));
  });

  it('hashes the runtime requires with every module’s streams merged across dependency blocks and sorted', () => {
    const runtimeContext = computeRuntimeContext([
      { requires: { platform: ['f30'], ninja: [] } },
      { requires: { platform: ['f29', 'f30'] } },
    ]);
    assert.equal(runtimeContext, sha1Hex('{"ninja": [], "platform": ["f29", "f30"]}'));
  });

  it('takes the first 8 hex of SHA-1 of "<build context>:<runtime context>" as the context', () => {
    const buildContext = computeBuildContext([{ module: 'platform', stream: 'f29' }]);
    const runtimeContext = computeRuntimeContext([{ requires: { platform: ['f29'] } }]);
    assert.equal(computeModuleContext(buildContext, runtimeContext), '6c81f848');
  });

  it('leaves the base modules out of the build context without base modules', () => {
    const result = computeContexts(streams.find((stream) => stream.name === 'reviewboard')!);
    assert.ok(result.ok);
    assert.equal(
      result.contexts.buildContextWithoutBaseModules,
      computeBuildContext([{ module: 'django', stream: '1.6' }]),
    );
  });

  it('escapes non-ASCII stream names as Python’s json.dumps does', () => {
    assert.equal(computeBuildContext([{ module: 'm', stream: 'é' }]), sha1Hex('{"m": "\\u00e9"}'));
  });

  it('reports a stream without xmd.mbs as an error value', () => {
    const result = computeContexts({ xmd: {}, dependencies: [] });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'missing-mbs-metadata');
  });
});

describe('module contexts of the real Fedora 29 index', () => {
  it('has the 48 built streams the test is about', () => {
    assert.equal(streams.length, 48);
    assert.ok(streams.every((stream) => readMbsBuildMetadata(stream) !== undefined));
  });

  it('reproduces the context of 45 of the 48 streams; the other 3 were built by an older MBS', () => {
    const disagreeing = streams.filter((stream) => {
      const result = computeContexts(stream);
      assert.ok(result.ok, nsvcOf(stream));
      return result.contexts.context !== stream.context;
    });
    assert.equal(streams.length - disagreeing.length, 45);
    assert.deepEqual(disagreeing.map(nsvcOf), BUILT_BY_OLDER_MBS);
  });

  it('reproduces the 3 older contexts with the ref-hashing algorithm of MBS before mid-2018', () => {
    for (const stream of streams.filter((s) => BUILT_BY_OLDER_MBS.includes(nsvcOf(s))))
      assert.equal(olderMbsContext(stream), stream.context, nsvcOf(stream));
  });

  it('agrees with every build_context and runtime_context recorded in xmd.mbs', () => {
    // The Fedora 29 index records none (MBS keeps them in its database), so this guards later fixtures.
    let recorded = 0;
    for (const stream of streams) {
      const mbs = mbsOf(stream);
      const result = computeContexts(stream);
      assert.ok(result.ok);
      if (typeof mbs.build_context === 'string') {
        recorded++;
        assert.equal(result.contexts.buildContext, mbs.build_context, nsvcOf(stream));
      }
      if (typeof mbs.runtime_context === 'string') {
        recorded++;
        assert.equal(result.contexts.runtimeContext, mbs.runtime_context, nsvcOf(stream));
      }
      if (typeof mbs.context === 'string') assert.equal(mbs.context, stream.context, nsvcOf(stream));
    }
    assert.equal(recorded, 0);
  });
});
