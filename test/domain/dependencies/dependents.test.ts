import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indexOf } from './graph-fixtures';

// diamond: app needs left and right, both need base.
const diamond = indexOf({
  'left:1': { buildrequires: ['base:1'] },
  'right:1': { buildrequires: ['base:1'] },
  'app:1': { buildrequires: ['left:1', 'right:1'] },
});

describe('DependencyIndex.dependents', () => {
  it('lists direct dependents only when not transitive', () => {
    const found = diamond.dependents('base:1', { relation: 'all', transitive: false });
    assert.deepEqual(
      found.map((d) => d.node),
      ['left:1', 'right:1'],
    );
  });

  it('finds each member of a diamond once, at its shortest depth, ordered by depth then name', () => {
    const found = diamond.dependents('base:1', { relation: 'all', transitive: true });
    assert.deepEqual(
      found.map((d) => [d.node, d.depth]),
      [
        ['left:1', 1],
        ['right:1', 1],
        ['app:1', 2],
      ],
    );
  });

  it('explains a member by its shortest path, ties broken by name', () => {
    const app = diamond.dependents('base:1', { relation: 'all', transitive: true }).find((d) => d.node === 'app:1');
    assert.deepEqual(app?.path, ['base:1', 'left:1', 'app:1']);
  });

  it('prefers a shorter path over a lexicographically smaller longer one', () => {
    const index = indexOf({
      'a:1': { requires: ['root:1'] },
      'b:1': { requires: ['a:1'] },
      'z:1': { requires: ['root:1'] },
      'target:1': { requires: ['b:1', 'z:1'] },
    });
    const target = index
      .dependents('root:1', { relation: 'requires', transitive: true })
      .find((d) => d.node === 'target:1');
    assert.deepEqual(target?.path, ['root:1', 'z:1', 'target:1']);
    assert.equal(target?.depth, 2);
  });

  it('breaks ties on the whole path, not only on the last hop', () => {
    // Both shortest paths to leaf go through a 2-hop chain; "a:1" < "b:1" at the first hop decides.
    const index = indexOf({
      'b:1': { requires: ['root:1'] },
      'a:1': { requires: ['root:1'] },
      'y:1': { requires: ['a:1'] },
      'x:1': { requires: ['b:1'] },
      'leaf:1': { requires: ['x:1', 'y:1'] },
    });
    const leaf = index
      .dependents('root:1', { relation: 'requires', transitive: true })
      .find((d) => d.node === 'leaf:1');
    assert.deepEqual(leaf?.path, ['root:1', 'a:1', 'y:1', 'leaf:1']);
  });

  it('walks a chain to its end with growing paths', () => {
    const chain = indexOf({ 'b:1': { requires: ['a:1'] }, 'c:1': { requires: ['b:1'] }, 'd:1': { requires: ['c:1'] } });
    const found = chain.dependents('a:1', { relation: 'requires', transitive: true });
    assert.deepEqual(
      found.map((d) => d.path),
      [
        ['a:1', 'b:1'],
        ['a:1', 'b:1', 'c:1'],
        ['a:1', 'b:1', 'c:1', 'd:1'],
      ],
    );
  });

  it('lists a fan-out sorted by name, with streams compared as text', () => {
    const fan = indexOf({
      'perl:5.26': { buildrequires: ['platform:f29'] },
      'nodejs:10': { buildrequires: ['platform:f29'] },
      'nodejs:1.10': { buildrequires: ['platform:f29'] },
      'nodejs:1.1': { buildrequires: ['platform:f29'] },
    });
    const names = fan.dependents('platform:f29', { relation: 'all', transitive: true }).map((d) => d.node);
    assert.deepEqual(names, ['nodejs:1.1', 'nodejs:1.10', 'nodejs:10', 'perl:5.26']);
  });

  it('follows only the asked relation, or both for "all"', () => {
    const index = indexOf({
      'tool:1': { buildrequires: ['base:1'] },
      'lib:1': { requires: ['base:1'] },
      'app:1': { requires: ['tool:1'] },
    });
    const names = (relation: 'requires' | 'buildrequires' | 'all') =>
      index.dependents('base:1', { relation, transitive: true }).map((d) => d.node);
    assert.deepEqual(names('buildrequires'), ['tool:1']);
    assert.deepEqual(names('requires'), ['lib:1']);
    assert.deepEqual(names('all'), ['lib:1', 'tool:1', 'app:1']);
  });

  it('terminates on a cycle and never lists the queried node as its own dependent', () => {
    const cyclic = indexOf({
      'a:1': { requires: ['c:1'] },
      'b:1': { requires: ['a:1'] },
      'c:1': { requires: ['b:1'] },
    });
    const names = cyclic.dependents('a:1', { relation: 'requires', transitive: true }).map((d) => d.node);
    assert.deepEqual(names, ['b:1', 'c:1']);
  });

  it('answers an unknown node with an empty list', () => {
    assert.deepEqual(diamond.dependents('nothing:1', { relation: 'all', transitive: true }), []);
  });
});
