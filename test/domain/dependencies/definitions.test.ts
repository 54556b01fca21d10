import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DependencyIndex, type RelationFilter } from '../../../domain/dependencies';
import { seededRandom } from './graph-fixtures';

// Checks answers against their definitions with a naive reference, on seeded random graphs.

function randomIndex(seed: number, size: number) {
  const random = seededRandom(seed);
  const nodes = Array.from({ length: size }, (_, i) => `n${i}:1`);
  const index = new DependencyIndex();
  const edges: Array<[string, string]> = [];
  for (const node of nodes) {
    const requires = Array.from(
      { length: Math.floor(random() * 3) },
      () => nodes[Math.floor(random() * size)] as string,
    );
    index.setModuleDependencies(node, { buildrequires: [], requires });
    for (const target of new Set(requires)) edges.push([node, target]);
  }
  return { index, nodes, edges };
}

function naiveDistances(root: string, edges: ReadonlyArray<[string, string]>): Map<string, number> {
  const distance = new Map([[root, 0]]);
  let frontier = [root];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const [dependent, dependency] of edges) {
      if (frontier.includes(dependency) && !distance.has(dependent)) {
        distance.set(dependent, (distance.get(dependency) ?? 0) + 1);
        next.push(dependent);
      }
    }
    frontier = next;
  }
  return distance;
}

describe('answers satisfy their definitions on random graphs', () => {
  const relation: RelationFilter = 'requires';
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`finds exactly the reachable dependents at their shortest depth, explained by real edges (seed ${seed})`, () => {
      const { index, nodes, edges } = randomIndex(seed, 30);
      const edgeSet = new Set(edges.map(([a, b]) => `${a}>${b}`));
      for (const root of nodes) {
        const distance = naiveDistances(root, edges);
        distance.delete(root);
        const found = index.dependents(root, { relation, transitive: true });
        assert.deepEqual(new Map(found.map((d) => [d.node, d.depth])), distance);
        for (const { node, path, depth } of found) {
          assert.equal(path.length, depth + 1);
          assert.equal(path[0], root);
          assert.equal(path.at(-1), node);
          for (let i = 1; i < path.length; i += 1) assert.ok(edgeSet.has(`${path[i]}>${path[i - 1]}`));
        }
      }
    });

    it(`gives each tier member 1 + the highest tier of its affected dependencies outside its cycle (seed ${seed})`, () => {
      const { index, nodes } = randomIndex(seed, 30);
      for (const root of nodes) {
        const result = index.tiers(root, relation);
        const tier = new Map(result.members.map((m) => [m.node, m.tier]));
        const cycleOf = new Map(result.cycles.flatMap((cycle) => cycle.map((n) => [n, cycle] as const)));
        for (const member of result.members) {
          const mates = new Set(cycleOf.get(member.node) ?? [member.node]);
          const group = [...mates];
          const outside = group
            .flatMap((n) => index.dependenciesOf(n).requires)
            .filter((d) => tier.has(d) && !mates.has(d));
          const expected = outside.length === 0 ? 0 : 1 + Math.max(...outside.map((d) => tier.get(d) ?? 0));
          assert.equal(member.tier, expected, `${member.node} from ${root}`);
          assert.equal(member.cycle, cycleOf.has(member.node));
        }
      }
    });
  }
});
