// The distribution-scale resolver against brute force on a generated 3,000-stream distribution with
// cycles (bench/distribution-graph.ts): every page of transitive dependents and of tiers, closure
// membership and counts; then a change of edges, which must change exactly the answers it alters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateDistributionGraph, type DistributionStream } from '../../../bench/distribution-graph';
import { computeTiers, findDependents, type RelationFilter } from '../../../domain/dependencies';
import { CompactDependencyGraph, StreamResolver } from '../../../domain/dependency-graph';

type Relation = 'buildrequires' | 'requires';

/** Direct dependents by name, from plain maps: the brute force's own view of the graph. */
function reverseOf(streams: readonly DistributionStream[], relation: RelationFilter): Map<string, string[]> {
  const reverse = new Map<string, Set<string>>();
  for (const s of streams) {
    const relations: Relation[] = relation === 'all' ? ['buildrequires', 'requires'] : [relation];
    for (const r of relations) {
      for (const target of s[r]) {
        const set = reverse.get(target) ?? new Set();
        set.add(`${s.name}:${s.stream}`);
        reverse.set(target, set);
      }
    }
  }
  return new Map([...reverse].map(([k, v]) => [k, [...v].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))]));
}

/** Every stream that reaches `root` by following dependencies, found by a search from each stream. */
function bruteForceDependents(streams: readonly DistributionStream[], root: string, relation: RelationFilter) {
  const forward = new Map<string, string[]>();
  for (const s of streams) {
    const relations: Relation[] = relation === 'all' ? ['buildrequires', 'requires'] : [relation];
    forward.set(
      `${s.name}:${s.stream}`,
      relations.flatMap((r) => s[r]),
    );
  }
  const reaches = (from: string) => {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length > 0) {
      for (const next of forward.get(stack.pop()!) ?? []) {
        if (next === root) return true;
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return false;
  };
  return new Set([...forward.keys()].filter((node) => node !== root && reaches(node)));
}

function resolverOf(streams: readonly DistributionStream[]): StreamResolver {
  const graph = new CompactDependencyGraph();
  graph.load(
    streams.map((s) => `${s.name}:${s.stream}`),
    streams.flatMap((s) => [
      ...s.buildrequires.map((t) => [`${s.name}:${s.stream}`, 'buildrequires', t] as const),
      ...s.requires.map((t) => [`${s.name}:${s.stream}`, 'requires', t] as const),
    ]),
  );
  return new StreamResolver(graph);
}

function allPages(resolver: StreamResolver, node: string, relation: RelationFilter, tiers: boolean, limit: number) {
  const [name, stream] = node.split(':') as [string, string];
  const items = [];
  let total = 0;
  for (let offset = 0; ; offset += limit) {
    const page = resolver.dependents(name, stream, { relation, transitive: true, tiers, offset, limit });
    assert.ok(page, `${node} is known`);
    total = page.total;
    items.push(...page.items);
    if (page.items.length < limit) break;
  }
  assert.equal(items.length, total);
  return items;
}

const generated = generateDistributionGraph({ streams: 3000, seed: 7 });
const streams = generated.streams;
const hubs = generated.summary.hubs.map((h) => h.node);

describe('StreamResolver on a generated distribution with cycles', () => {
  it('pages transitive dependents in the order and with the paths a plain breadth-first search gives', () => {
    const resolver = resolverOf(streams);
    for (const relation of ['all', 'buildrequires', 'requires'] as const) {
      const reverse = reverseOf(streams, relation);
      for (const hub of [...hubs.slice(0, 4), ...[500, 1700].map((i) => `${streams[i]!.name}:${streams[i]!.stream}`)]) {
        const expected = findDependents(hub, (n) => reverse.get(n) ?? [], true);
        const got = allPages(resolver, hub, relation, false, 97);
        assert.deepEqual(
          got.map((i) => [i.node, i.path.join(' ')]),
          expected.map((d) => [d.node, d.path.join(' ')]),
          `${hub} ${relation}`,
        );
      }
    }
  });

  it('counts and membership agree with a search from every stream, for every hub', () => {
    const resolver = resolverOf(streams);
    for (const hub of hubs) {
      const [name, stream] = hub.split(':') as [string, string];
      const brute = bruteForceDependents(streams, hub, 'all');
      assert.equal(resolver.count(name, stream, 'all'), brute.size, hub);
      assert.equal(generated.summary.hubs.find((h) => h.node === hub)?.closure, brute.size);
      for (const s of streams.slice(0, 400)) {
        const candidate = `${s.name}:${s.stream}`;
        assert.equal(resolver.membership(name, stream, candidate, 'all')?.dependent, brute.has(candidate), candidate);
      }
    }
  });

  it('pages tiers as the reference layering does, cycle members sharing a tier and flagged', () => {
    const resolver = resolverOf(streams);
    const reverse = reverseOf(streams, 'all');
    let cyclesSeen = 0;
    for (const hub of hubs) {
      const expected = computeTiers([hub], (n) => reverse.get(n) ?? []);
      const got = allPages(resolver, hub, 'all', true, 250);
      const members = expected.members.filter((m) => !m.changed);
      assert.deepEqual(
        got.map((i) => [i.node, i.tier, i.cycle]),
        members.map((m) => [m.node, m.tier, m.cycle]),
        hub,
      );
      assert.equal(
        Math.max(...got.map((i) => i.tier ?? 0)) + 1,
        generated.summary.hubs.find((h) => h.node === hub)?.tiers,
      );
      cyclesSeen += got.filter((i) => i.cycle).length;
    }
    assert.ok(cyclesSeen > 0, 'the generated graph has cycles inside the hubs’ closures');
  });

  it('a change of edges changes the cached answers it alters, and only those', () => {
    const resolver = resolverOf(streams);
    const [hub, other] = [hubs[0]!, 'qt5:5.15'];
    const leaf = streams.find((s) => s.name.startsWith('data') && s.buildrequires.length === 0)!;
    const leafNode = `${leaf.name}:${leaf.stream}`;
    const count = (node: string) => resolver.count(...(node.split(':') as [string, string]), 'all');
    const before = { hub: count(hub), other: count(other) };
    assert.equal(resolver.membership('glibc', '2.36', leafNode, 'all')?.dependent, false);
    const otherClosure = resolver.closureOf('qt5', '5.15', 'all');

    // The leaf now buildrequires glibc: glibc's closure grows by the leaf and what depends on it.
    const touched = resolver.graph.update([{ node: leafNode, buildrequires: ['glibc:2.36'], requires: leaf.requires }]);
    resolver.invalidate(touched);
    const changed = [...streams];
    changed[streams.indexOf(leaf)] = { ...leaf, buildrequires: ['glibc:2.36'] };
    assert.equal(count(hub), bruteForceDependents(changed, hub, 'all').size);
    assert.ok(count(hub)! > before.hub!);
    assert.equal(resolver.membership('glibc', '2.36', leafNode, 'all')?.dependent, true);
    assert.equal(count(other), before.other, 'qt5 does not reach glibc’s dependents backwards');
    assert.equal(resolver.closureOf('qt5', '5.15', 'all'), otherClosure, 'an unaffected closure stays cached');

    // And back: the answers return to what they were.
    resolver.invalidate(resolver.graph.update([{ node: leafNode, buildrequires: [], requires: leaf.requires }]));
    assert.equal(count(hub), before.hub);
  });

  it('counts modules that accept any stream (name:*) as dependents of every stream of the name', () => {
    const resolver = resolverOf(streams);
    resolver.graph.update([{ node: 'bundle:1', buildrequires: [], requires: [] }]);
    assert.equal(resolver.count('bundle', '1', 'all'), 0);
    const touched = resolver.graph.update([{ node: 'appx:1', buildrequires: ['bundle:*'], requires: [] }]);
    resolver.invalidate(touched);
    const page = resolver.dependents('bundle', '1', {
      relation: 'all',
      transitive: true,
      tiers: true,
      offset: 0,
      limit: 10,
    });
    assert.deepEqual(page?.items, [{ node: 'appx:1', tier: 1, path: ['bundle:1', 'appx:1'], cycle: false }]);
    assert.equal(
      resolver.dependents('nosuch', '1', { relation: 'all', transitive: true, tiers: false, offset: 0, limit: 1 }),
      undefined,
    );
  });
});
