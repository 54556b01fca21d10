import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DependencyRelation } from '../../../domain/dependencies';
import { CompactDependencyGraph, type StreamDependencies } from '../../../domain/dependency-graph';
import { seededRandom } from '../../../domain/seeded-random';

/** A random graph with repeated edges, a stream that both buildrequires and requires a target, and undeclared targets. */
function randomGraph(seed: number) {
  const random = seededRandom(seed);
  const streams = Array.from({ length: 300 }, (_, i) => `m${Math.floor(random() * 1e6)}-${i}:s${i % 3}`);
  const edges: [string, DependencyRelation, string][] = [];
  for (const from of streams) {
    for (let k = Math.floor(random() * 6); k > 0; k -= 1) {
      const to =
        random() < 0.1 ? `undeclared${Math.floor(random() * 20)}:x` : streams[Math.floor(random() * streams.length)]!;
      edges.push([from, random() < 0.5 ? 'buildrequires' : 'requires', to]);
      if (random() < 0.1) edges.push([from, 'buildrequires', to], [from, 'requires', to]);
    }
  }
  return { streams, edges };
}

function everyList(graph: CompactDependencyGraph, names: readonly string[]) {
  return names.map((n) => ({
    n,
    // dependencies go by id, which follows the order names arrived in: compared as sets
    dependencies: Object.values(graph.dependenciesOf(n)).map((l) => [...l].sort()),
    dependents: (['buildrequires', 'requires', 'all'] as const).map((r) => graph.directDependents(n, r)),
  }));
}

describe('CompactDependencyGraph loads', () => {
  for (const seed of [1, 2, 3]) {
    it(`the same lists from tuples, from columns and a stream at a time (seed ${seed})`, () => {
      const { streams, edges } = randomGraph(seed);
      const fromTuples = new CompactDependencyGraph();
      fromTuples.load([...streams].reverse(), edges);
      // the columns in another order: a stream's edges come in several runs
      const random = seededRandom(seed + 100);
      const shuffled = edges
        .map((e) => ({ e, key: random() }))
        .sort((a, b) => a.key - b.key)
        .map(({ e }) => e);
      const fromColumns = new CompactDependencyGraph();
      fromColumns.loadColumns(streams, {
        from: shuffled.map((e) => e[0]),
        to: shuffled.map((e) => e[2]),
        isRequires: (i) => shuffled[i]![1] === 'requires',
      });
      const byUpdate = new CompactDependencyGraph();
      const perStream = new Map<string, StreamDependencies>(
        streams.map((s) => [s, { node: s, buildrequires: [], requires: [] }]),
      );
      for (const [from, relation, to] of edges) (perStream.get(from)![relation] as string[]).push(to);
      byUpdate.update(perStream.values());

      const names = [...new Set([...streams, ...edges.map((e) => e[2])])];
      const expected = everyList(byUpdate, names);
      assert.deepEqual(everyList(fromTuples, names), expected);
      assert.deepEqual(everyList(fromColumns, names), expected);
      // dependents are in name order, each once
      for (const { dependents } of expected) {
        for (const list of dependents) assert.deepEqual(list, [...new Set(list)].sort());
      }
      assert.equal(fromColumns.streamCount, streams.length);
    });
  }
});

describe('CompactDependencyGraph updates', () => {
  for (const seed of [4, 5]) {
    it(`a batch at a time, with new names between known ones, ends where a whole load does (seed ${seed})`, () => {
      const { streams, edges } = randomGraph(seed);
      const perStream = new Map<string, StreamDependencies>(
        streams.map((s) => [s, { node: s, buildrequires: [], requires: [] }]),
      );
      for (const [from, relation, to] of edges) (perStream.get(from)![relation] as string[]).push(to);
      const whole = new CompactDependencyGraph();
      whole.update(perStream.values());

      // Half loaded, its name order computed; then the rest in batches, and a first batch changed back.
      const batches = new CompactDependencyGraph();
      const all = [...perStream.values()];
      batches.update(all.filter((_, i) => i % 2 === 0));
      batches.nameRanks();
      const rest = all.filter((_, i) => i % 2 === 1);
      batches.update(rest.map((s) => ({ ...s, requires: [...s.requires, ...streams.slice(0, 40)] })));
      batches.nameRanks();
      for (let i = 0; i < rest.length; i += 37) batches.update(rest.slice(i, i + 37));

      const names = [...new Set([...streams, ...edges.map((e) => e[2])])];
      assert.deepEqual(everyList(batches, names), everyList(whole, names));
      assert.deepEqual(batches.modules(), [...streams].sort());
      const { rank, byRank } = batches.nameRanks();
      byRank.forEach((id, r) => assert.equal(rank[id], r));
      assert.deepEqual(
        Array.from(byRank, (id) => batches.nameOf(id)),
        [...names].sort(),
      );
    });
  }
});
