// Rebuild tiers of a change: a topological layering of the reverse-dependency graph restricted
// to the affected set (the changed nodes plus everything that transitively depends on them).
//
// tier(v) = 0 when v has no dependency inside the affected set (only changed nodes can be so),
// otherwise 1 + the highest tier among its dependencies inside the affected set.
//
// Cycles are not an error: a strongly connected component of the affected set cannot be ordered,
// so its members share one tier (computed from their dependencies outside the component), each is
// flagged `cycle: true`, and the component is listed in `cycles` for the operator. A self-dependency
// (a module that buildrequires an earlier build of itself) is a cycle of one.

import { compareNodeNames } from './graph-model';

/** Direct dependents of a node (duplicates and any order are tolerated). */
export type DependentsOf = (node: string) => Iterable<string>;

/** `dependent` requires or buildrequires `dependency`. */
export interface DependencyEdge {
  dependent: string;
  dependency: string;
}

export interface TierMember {
  node: string;
  tier: number;
  /** One of the changed nodes the tiers were computed for. */
  changed: boolean;
  /** Member of a dependency cycle inside the affected set; its cycle mates share its tier. */
  cycle: boolean;
}

export interface RebuildTiers {
  /** Every affected node, ordered by tier, then name: stable for pagination. */
  members: readonly TierMember[];
  /** `tiers[k]` lists the names of tier k, sorted. */
  tiers: readonly (readonly string[])[];
  /** Each cycle found inside the affected set, members sorted, cycles ordered by first member. */
  cycles: readonly (readonly string[])[];
}

export function computeTiers(changed: readonly string[], edges: DependentsOf | Iterable<DependencyEdge>): RebuildTiers {
  const dependentsOf = typeof edges === 'function' ? edges : dependentsLookupFromEdges(edges);
  const nodes = affectedNodes(changed, dependentsOf);
  const position = new Map(nodes.map((node, i) => [node, i]));
  const { dependencies, selfLoop } = dependenciesInside(nodes, position, dependentsOf);
  const { tierOf, cycleMember, cycles } = layerComponents(nodes, dependencies, selfLoop);
  const changedSet = new Set(changed);
  const members = nodes
    .map((node, i) => ({ node, tier: tierOf[i] ?? 0, changed: changedSet.has(node), cycle: cycleMember[i] === 1 }))
    .sort((a, b) => a.tier - b.tier || compareNodeNames(a.node, b.node));
  const tiers: string[][] = [];
  for (const member of members) (tiers[member.tier] ??= []).push(member.node);
  return { members, tiers, cycles: cycles.sort((a, b) => compareNodeNames(a[0] ?? '', b[0] ?? '')) };
}

export function dependentsLookupFromEdges(edges: Iterable<DependencyEdge>): DependentsOf {
  const dependents = new Map<string, string[]>();
  for (const { dependent, dependency } of edges) {
    const list = dependents.get(dependency);
    if (list) list.push(dependent);
    else dependents.set(dependency, [dependent]);
  }
  return (node) => dependents.get(node) ?? [];
}

function affectedNodes(changed: readonly string[], dependentsOf: DependentsOf): string[] {
  const seen = new Set(changed);
  const queue = [...seen];
  for (let head = 0; head < queue.length; head += 1) {
    for (const dependent of dependentsOf(queue[head] as string)) {
      if (seen.has(dependent)) continue;
      seen.add(dependent);
      queue.push(dependent);
    }
  }
  return queue;
}

/** Dependencies inside the affected set are exactly the reverse edges between affected nodes. */
function dependenciesInside(
  nodes: readonly string[],
  position: ReadonlyMap<string, number>,
  dependentsOf: DependentsOf,
) {
  const dependencies: number[][] = nodes.map(() => []);
  const selfLoop = new Uint8Array(nodes.length);
  nodes.forEach((node, dependency) => {
    for (const dependent of dependentsOf(node)) {
      const i = position.get(dependent);
      if (i === undefined) continue;
      if (i === dependency) selfLoop[i] = 1;
      else dependencies[i]?.push(dependency);
    }
  });
  return { dependencies, selfLoop };
}

/**
 * Iterative Tarjan (a long chain must not overflow the call stack). Tarjan emits a component only
 * after every component it reaches, i.e. after all its dependencies, so tiers are computed in one pass.
 */
function layerComponents(nodes: readonly string[], dependencies: readonly number[][], selfLoop: Uint8Array) {
  const n = nodes.length;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const tierOf = new Int32Array(n);
  const cycleMember = new Uint8Array(n);
  const componentOf = new Int32Array(n).fill(-1);
  const cycles: string[][] = [];
  const stack: number[] = [];
  const frames: number[] = [];
  const nextEdge: number[] = [];
  let counter = 0;
  let components = 0;

  const enter = (v: number) => {
    order[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = 1;
    frames.push(v);
    nextEdge.push(0);
  };
  const emitComponent = (root: number) => {
    const members: number[] = [];
    let w: number;
    do {
      w = stack.pop() as number;
      onStack[w] = 0;
      componentOf[w] = components;
      members.push(w);
    } while (w !== root);
    let tier = 0;
    for (const member of members) {
      for (const dependency of dependencies[member] ?? []) {
        if (componentOf[dependency] !== components) tier = Math.max(tier, (tierOf[dependency] ?? 0) + 1);
      }
    }
    const isCycle = members.length > 1 || selfLoop[root] === 1;
    for (const member of members) {
      tierOf[member] = tier;
      cycleMember[member] = isCycle ? 1 : 0;
    }
    if (isCycle) cycles.push(members.map((m) => nodes[m] as string).sort(compareNodeNames));
    components += 1;
  };

  for (let start = 0; start < n; start += 1) {
    if (order[start] !== -1) continue;
    enter(start);
    while (frames.length > 0) {
      const top = frames.length - 1;
      const v = frames[top] as number;
      const edges = dependencies[v] ?? [];
      const i = nextEdge[top] as number;
      if (i < edges.length) {
        nextEdge[top] = i + 1;
        const w = edges[i] as number;
        if (order[w] === -1) enter(w);
        else if (onStack[w] === 1) low[v] = Math.min(low[v] as number, order[w] as number);
        continue;
      }
      frames.pop();
      nextEdge.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent] as number, low[v] as number);
      if (low[v] === order[v]) emitComponent(v);
    }
  }
  return { tierOf, cycleMember, cycles };
}
