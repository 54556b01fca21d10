// Rebuild tiers over one closure, by position, with the rule domain/dependencies/tiers.ts states:
// tier 0 for a stream with no dependency inside the closure, otherwise one more than its highest
// dependency inside; the members of a cycle share one tier (from their dependencies outside the
// cycle) and are flagged. Iterative Tarjan over a compressed adjacency, so a 50,000-stream closure
// takes milliseconds and a long chain cannot overflow the stack.
import type { CompactDependencyGraph, FilterIndex } from './compact-graph';
import { scratchInt32 } from './scratch-arrays';

/** Scratch slots (0-2 are Closure.resolve's). */
const Slot = {
  OutStart: 3,
  OutTargets: 4,
  SelfLoop: 5,
  Start: 6,
  Targets: 7,
  Fill: 8,
  Index: 9,
  Low: 10,
  OnStack: 11,
  ComponentOf: 12,
  Stack: 13,
  Frames: 14,
  NextEdge: 15,
} as const;

/** What tiers are laid out over: a closure's members in discovery order and their positions. */
export interface ClosureMembers {
  readonly order: Int32Array;
  readonly positions: Int32Array | Map<number, number>;
  readonly filter: FilterIndex;
}

export interface TierLayout {
  /** Tier by position in the closure. */
  tierOf: Int32Array;
  /** 1 when the stream at that position is on a cycle inside the closure. */
  cycle: Uint8Array;
  /** Positions of the dependents (roots excluded), by tier then name. */
  order: Int32Array;
  tierCount: number;
  /** Cycles (strongly connected components of more than one stream, or a self-dependency). */
  cycles: number;
}

/**
 * For each position, the positions it depends on inside the closure (CSR), and self-dependencies.
 * The graph's dependents lists are read once, into a CSR of dependents by position (a member's
 * dependents are all members, and their count is the list's length, so no counting pass is needed);
 * that is then transposed in typed arrays. Each position's dependencies come out in ascending order,
 * as two passes over the graph's lists gave them before, at a third of the cost.
 */
function dependenciesInside(closure: ClosureMembers, graph: CompactDependencyGraph) {
  const n = closure.order.length;
  const { from: outStart, to: outTargets, selfLoop } = dependentsInside(closure, graph);
  const start = scratchInt32(Slot.Start, n + 1).fill(0);
  for (let e = 0; e < outTargets.length; e += 1) start[outTargets[e]! + 1]! += 1;
  for (let i = 0; i < n; i += 1) start[i + 1]! += start[i]!;
  const targets = scratchInt32(Slot.Targets, start[n]!);
  const fill = scratchInt32(Slot.Fill, n);
  fill.set(start.subarray(0, n));
  for (let p = 0; p < n; p += 1) {
    for (let e = outStart[p]!; e < outStart[p + 1]!; e += 1) targets[fill[outTargets[e]!]!++] = p;
  }
  return { start, targets, selfLoop };
}

/** By position, the positions of its dependents inside the closure (CSR), self-dependencies apart. */
function dependentsInside(closure: ClosureMembers, graph: CompactDependencyGraph) {
  const n = closure.order.length;
  const { start: listStart, targets: listed } = graph.flatDependents(closure.filter);
  let edges = 0;
  for (let p = 0; p < n; p += 1) edges += listStart[closure.order[p]! + 1]! - listStart[closure.order[p]!]!;
  const from = scratchInt32(Slot.OutStart, n + 1);
  from[0] = 0;
  const to = scratchInt32(Slot.OutTargets, edges);
  const selfLoop = scratchInt32(Slot.SelfLoop, n).fill(0);
  const table = closure.positions;
  const dense = table instanceof Map ? new Int32Array(0) : table;
  const positionOf = table instanceof Map ? (id: number) => table.get(id) ?? -1 : undefined;
  let k = 0;
  for (let p = 0; p < n; p += 1) {
    const id = closure.order[p]!;
    for (let e = listStart[id]!, end = listStart[id + 1]!; e < end; e += 1) {
      const q = positionOf ? positionOf(listed[e]!) : dense[listed[e]!]!;
      if (q === p) selfLoop[p] = 1;
      else if (q >= 0) to[k++] = q;
    }
    from[p + 1] = k;
  }
  return { from, to: to.subarray(0, k), selfLoop };
}

/**
 * Tarjan's strongly connected components, iterative, with the tier of each component set as it is
 * emitted (after every component it depends on). One function without closures, so its counters
 * stay in registers.
 */
export function layerTiers(closure: ClosureMembers, graph: CompactDependencyGraph): Omit<TierLayout, 'order'> {
  const n = closure.order.length;
  const { start, targets, selfLoop } = dependenciesInside(closure, graph);
  const index = scratchInt32(Slot.Index, n).fill(-1);
  const low = scratchInt32(Slot.Low, n);
  const onStack = scratchInt32(Slot.OnStack, n).fill(0);
  const tierOf = new Int32Array(n);
  const cycle = new Uint8Array(n);
  const componentOf = scratchInt32(Slot.ComponentOf, n).fill(-1);
  const stack = scratchInt32(Slot.Stack, n);
  const frames = scratchInt32(Slot.Frames, n);
  const nextEdge = scratchInt32(Slot.NextEdge, n);
  let stackTop = 0;
  let frameTop = 0;
  let counter = 0;
  let components = 0;
  let cycles = 0;
  let tierCount = 0;

  for (let s = 0; s < n; s += 1) {
    if (index[s] !== -1) continue;
    index[s] = low[s] = counter++;
    stack[stackTop++] = s;
    onStack[s] = 1;
    frames[frameTop] = s;
    nextEdge[frameTop++] = start[s]!;
    while (frameTop > 0) {
      const top = frameTop - 1;
      const v = frames[top]!;
      const e = nextEdge[top]!;
      if (e < start[v + 1]!) {
        nextEdge[top] = e + 1;
        const w = targets[e]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[stackTop++] = w;
          onStack[w] = 1;
          frames[frameTop] = w;
          nextEdge[frameTop++] = start[w]!;
        } else if (onStack[w] === 1 && index[w]! < low[v]!) low[v] = index[w]!;
        continue;
      }
      frameTop -= 1;
      if (frameTop > 0) {
        const parent = frames[frameTop - 1]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
      if (low[v] !== index[v]) continue;
      // v roots a component: pop it, then its tier is one above its highest dependency outside it.
      const first = stackTop;
      let w: number;
      do {
        w = stack[--stackTop]!;
        onStack[w] = 0;
        componentOf[w] = components;
      } while (w !== v);
      let tier = 0;
      for (let i = stackTop; i < first; i += 1) {
        const member = stack[i]!;
        for (let d = start[member]!; d < start[member + 1]!; d += 1) {
          const dependency = targets[d]!;
          if (componentOf[dependency] !== components && tierOf[dependency]! >= tier) tier = tierOf[dependency]! + 1;
        }
      }
      const onCycle = first - stackTop > 1 || selfLoop[v] === 1;
      if (onCycle) cycles += 1;
      for (let i = stackTop; i < first; i += 1) {
        tierOf[stack[i]!] = tier;
        cycle[stack[i]!] = onCycle ? 1 : 0;
      }
      if (tier + 1 > tierCount) tierCount = tier + 1;
      components += 1;
    }
  }
  return { tierOf, cycle, tierCount, cycles };
}
