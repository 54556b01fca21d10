import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeTiers, type RebuildTiers } from '../../../domain/dependencies';
import { indexOf } from './graph-fixtures';

const tierOf = (result: RebuildTiers) => Object.fromEntries(result.members.map((m) => [m.node, m.tier]));

describe('rebuild tiers', () => {
  it('puts the changed node in tier 0 and a diamond apex after both sides', () => {
    const index = indexOf({
      'left:1': { buildrequires: ['base:1'] },
      'right:1': { buildrequires: ['base:1'] },
      'app:1': { buildrequires: ['left:1', 'right:1'] },
    });
    const result = index.tiers('base:1', 'buildrequires');
    assert.deepEqual(result.tiers, [['base:1'], ['left:1', 'right:1'], ['app:1']]);
    assert.deepEqual(result.cycles, []);
    assert.equal(result.members[0]?.changed, true);
  });

  it('places a member after its deepest affected dependency, not its nearest', () => {
    // app needs base directly and through lib: it must wait for lib.
    const index = indexOf({ 'lib:1': { requires: ['base:1'] }, 'app:1': { requires: ['base:1', 'lib:1'] } });
    assert.deepEqual(tierOf(index.tiers('base:1', 'requires')), { 'base:1': 0, 'lib:1': 1, 'app:1': 2 });
  });

  it('ignores dependencies outside the affected set', () => {
    const index = indexOf({
      'b:1': { requires: ['a:1'] },
      'c:1': { requires: ['b:1', 'unrelated:1'] },
      'unrelated:1': { requires: ['other:1'] },
    });
    assert.deepEqual(tierOf(index.tiers('b:1', 'requires')), { 'b:1': 0, 'c:1': 1 });
  });

  it('orders members by tier then name, stable for pagination', () => {
    const index = indexOf({
      'z:1': { requires: ['root:1'] },
      'a:1': { requires: ['root:1'] },
      'm:1': { requires: ['z:1'] },
    });
    assert.deepEqual(
      index.tiers('root:1', 'requires').members.map((m) => m.node),
      ['root:1', 'a:1', 'z:1', 'm:1'],
    );
  });

  it('layers by the asked relation only', () => {
    const index = indexOf({ 'tool:1': { buildrequires: ['base:1'] }, 'app:1': { requires: ['tool:1'] } });
    assert.deepEqual(index.tiers('base:1', 'buildrequires').tiers, [['base:1'], ['tool:1']]);
    assert.deepEqual(index.tiers('base:1', 'requires').tiers, [['base:1']]);
    assert.deepEqual(index.tiers('base:1', 'all').tiers, [['base:1'], ['tool:1'], ['app:1']]);
  });

  it('layers several changed nodes at once, a changed node after the changed nodes it depends on', () => {
    const edges = [
      { dependent: 'b:1', dependency: 'a:1' },
      { dependent: 'c:1', dependency: 'x:1' },
      { dependent: 'd:1', dependency: 'b:1' },
      { dependent: 'd:1', dependency: 'c:1' },
    ];
    const result = computeTiers(['a:1', 'x:1', 'b:1'], edges);
    assert.deepEqual(tierOf(result), { 'a:1': 0, 'x:1': 0, 'b:1': 1, 'c:1': 1, 'd:1': 2 });
    assert.deepEqual(
      result.members.filter((m) => m.changed).map((m) => m.node),
      ['a:1', 'x:1', 'b:1'],
    );
  });

  it('gives the same answer from an edge list and from the index', () => {
    const index = indexOf({ 'b:1': { requires: ['a:1'] }, 'c:1': { requires: ['a:1', 'b:1'] } });
    const edges = [
      { dependent: 'b:1', dependency: 'a:1' },
      { dependent: 'c:1', dependency: 'a:1' },
      { dependent: 'c:1', dependency: 'b:1' },
    ];
    assert.deepEqual(computeTiers(['a:1'], edges), index.tiers(['a:1'], 'requires'));
  });

  it('puts the members of a cycle in one tier, flags them and names the cycle', () => {
    // b and c need each other; d needs c; all sit above base.
    const index = indexOf({
      'b:1': { requires: ['base:1', 'c:1'] },
      'c:1': { requires: ['b:1'] },
      'd:1': { requires: ['c:1'] },
    });
    const result = index.tiers('base:1', 'requires');
    assert.deepEqual(result.tiers, [['base:1'], ['b:1', 'c:1'], ['d:1']]);
    assert.deepEqual(result.cycles, [['b:1', 'c:1']]);
    assert.deepEqual(
      result.members.filter((m) => m.cycle).map((m) => m.node),
      ['b:1', 'c:1'],
    );
  });

  it('keeps a cycle through the changed node in tier 0', () => {
    const index = indexOf({ 'a:1': { requires: ['b:1'] }, 'b:1': { requires: ['a:1'] }, 'c:1': { requires: ['b:1'] } });
    const result = index.tiers('a:1', 'requires');
    assert.deepEqual(result.tiers, [['a:1', 'b:1'], ['c:1']]);
    assert.deepEqual(result.cycles, [['a:1', 'b:1']]);
  });

  it('reports a self-dependency as a cycle of one', () => {
    const index = indexOf({ 'boot:1': { buildrequires: ['base:1', 'boot:1'] } });
    const result = index.tiers('base:1', 'buildrequires');
    assert.deepEqual(result.cycles, [['boot:1']]);
    assert.deepEqual(result.tiers, [['base:1'], ['boot:1']]);
  });

  it('handles a 20,000-long chain without overflowing the stack', () => {
    const edges = Array.from({ length: 20_000 }, (_, i) => ({ dependent: `m${i + 1}:1`, dependency: `m${i}:1` }));
    const result = computeTiers(['m0:1'], edges);
    assert.equal(result.tiers.length, 20_001);
    assert.equal(result.members.at(-1)?.node, 'm20000:1');
  });
});
