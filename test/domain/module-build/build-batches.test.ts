import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeBatches } from '../../../domain/module-build';
import { loadFedora29Streams } from './fedora29-index';

describe('component batches', () => {
  it('groups components by buildorder, ascending, numbering batches from 1 and names sorted', () => {
    const result = computeBatches({
      zlib: { buildorder: 10 },
      perl: {},
      'perl-Carp': { buildorder: 10 },
      bootstrap: { buildorder: -5 },
      alpha: { buildorder: 0 },
    });
    assert.ok(result.ok);
    assert.deepEqual(result.batches, [
      { batch: 1, components: ['bootstrap'] },
      { batch: 2, components: ['alpha', 'perl'] },
      { batch: 3, components: ['perl-Carp', 'zlib'] },
    ]);
  });

  it('numbers batches from 2 when asked to, as MBS does after its module-build-macros batch', () => {
    const result = computeBatches({ a: {}, b: { buildorder: 1 } }, { firstBatch: 2 });
    assert.ok(result.ok);
    assert.deepEqual(
      result.batches.map((b) => b.batch),
      [2, 3],
    );
  });

  it('layers components by buildafter: a component builds in the batch after the last one it names', () => {
    const result = computeBatches({
      c: { buildafter: ['a', 'b'] },
      b: { buildafter: ['a'] },
      a: {},
      d: { buildafter: [] },
      e: { buildafter: ['a'] },
    });
    assert.ok(result.ok);
    assert.deepEqual(result.batches, [
      { batch: 1, components: ['a', 'd'] },
      { batch: 2, components: ['b', 'e'] },
      { batch: 3, components: ['c'] },
    ]);
  });

  it('rejects a buildafter cycle, naming a component in it and the cycle', () => {
    const result = computeBatches({
      a: {},
      b: { buildafter: ['c'] },
      c: { buildafter: ['d'] },
      d: { buildafter: ['b'] },
    });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'buildafter-cycle');
    assert.deepEqual(result.error.details?.cycle, ['b', 'c', 'd', 'b']);
    assert.match(result.error.message, /'b'.*b -> c -> d -> b/);
  });

  it('rejects a component that builds after itself', () => {
    const result = computeBatches({ a: { buildafter: ['a'] } });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'buildafter-cycle');
  });

  it('rejects a buildafter naming no component of the module, naming both', () => {
    const result = computeBatches({ a: {}, b: { buildafter: ['nosuch'] } });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'unknown-buildafter');
    assert.match(result.error.message, /'b'.*'nosuch'/);
  });

  it('rejects a module mixing buildorder and buildafter, but not an explicit buildorder 0', () => {
    const mixed = computeBatches({ a: { buildorder: 1 }, b: { buildafter: ['a'] } });
    assert.ok(!mixed.ok);
    assert.equal(mixed.error.code, 'mixed-build-ordering');
    assert.ok(computeBatches({ a: { buildorder: 0 }, b: { buildafter: ['a'] } }).ok);
  });

  it('gives an empty module no batches', () => {
    assert.deepEqual(computeBatches({}), { ok: true, batches: [] });
  });

  it('batches every stream of the Fedora 29 index, each component exactly once', () => {
    for (const stream of loadFedora29Streams()) {
      const result = computeBatches(stream.components.rpms);
      assert.ok(result.ok, stream.name);
      const names = result.batches.flatMap((b) => b.components).sort();
      assert.deepEqual(names, Object.keys(stream.components.rpms).sort());
    }
  });
});
