import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BuildBatch } from '../../../domain/module-build';
import { DEFAULT_REBUILD_STRATEGY, parseRebuildStrategy, planRebuild } from '../../../domain/module-build';

const batches: BuildBatch[] = [
  { batch: 1, components: ['a1', 'a2'] },
  { batch: 2, components: ['b1', 'b2'] },
  { batch: 3, components: ['c1'] },
];

describe('rebuild strategies, as MBS defines them', () => {
  it('all: rebuilds every component, reuses none', () => {
    assert.deepEqual(planRebuild('all', batches, []), { rebuild: ['a1', 'a2', 'b1', 'b2', 'c1'], reuse: [] });
  });

  it('only-changed: rebuilds the changed components only', () => {
    assert.deepEqual(planRebuild('only-changed', batches, ['b2']), {
      rebuild: ['b2'],
      reuse: ['a1', 'a2', 'b1', 'c1'],
    });
  });

  it('changed-and-after: rebuilds the changed components and every later batch, reusing the rest of the batch', () => {
    assert.deepEqual(planRebuild('changed-and-after', batches, ['b2']), {
      rebuild: ['b2', 'c1'],
      reuse: ['a1', 'a2', 'b1'],
    });
  });

  it('changed-and-after: counts from the earliest batch holding a change', () => {
    assert.deepEqual(planRebuild('changed-and-after', batches, ['c1', 'a2']), {
      rebuild: ['a2', 'b1', 'b2', 'c1'],
      reuse: ['a1'],
    });
  });

  it('reuses everything when nothing changed, unless the strategy is all', () => {
    assert.deepEqual(planRebuild('changed-and-after', batches, []).rebuild, []);
    assert.deepEqual(planRebuild('only-changed', batches, []).rebuild, []);
  });

  it('ignores changed names that are no component of the build', () => {
    assert.deepEqual(planRebuild('changed-and-after', batches, ['removed']).rebuild, []);
  });

  it('accepts MBS’s three strategy names, defaults to changed-and-after, and rejects others', () => {
    assert.equal(DEFAULT_REBUILD_STRATEGY, 'changed-and-after');
    for (const name of ['all', 'changed-and-after', 'only-changed']) assert.ok(parseRebuildStrategy(name).ok);
    const invalid = parseRebuildStrategy('toString');
    assert.ok(!invalid.ok);
    assert.match(invalid.error.message, /choose from: all, changed-and-after, only-changed/);
  });
});
