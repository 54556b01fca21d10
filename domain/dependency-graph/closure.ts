// One resolved closure: every stream that transitively depends on the roots, found breadth-first
// with the shortest explaining path of each (the lexicographically smallest among the shortest,
// as domain/dependencies answers), held in typed arrays. Membership and the count are O(1); the
// orders a page needs (by depth then name, by tier then name) are computed once, on first use, so
// a page afterwards costs only its own items.
import type { CompactDependencyGraph, FilterIndex } from './compact-graph';
import { layerTiers, type TierLayout } from './closure-tiers';
import { scratchInt32 } from './scratch-arrays';

/** Past this share of the graph a closure keeps a dense position table instead of a map. */
const DENSE_SHARE = 1 / 16;
const RANK_SPAN = 2 ** 24;

export class Closure {
  private byDepth: Int32Array | undefined;
  private tierLayout: TierLayout | undefined;

  private constructor(
    private readonly graph: CompactDependencyGraph,
    readonly filter: FilterIndex,
    /** Ids in discovery order, roots first. */
    readonly order: Int32Array,
    /** Edges from the nearest root, by position. */
    readonly depth: Int32Array,
    /** Position of the previous stream on the explaining path, -1 for roots. */
    readonly parent: Int32Array,
    readonly roots: number,
    private readonly position: Int32Array | Map<number, number>,
  ) {}

  static resolve(graph: CompactDependencyGraph, roots: readonly number[], filter: FilterIndex): Closure {
    const seen = new Int32Array(graph.size).fill(-1);
    // Copied out at the end: the closure keeps only its own length of each.
    const order = scratchInt32(0, graph.size);
    const depth = scratchInt32(1, graph.size);
    const parent = scratchInt32(2, graph.size);
    let size = 0;
    for (const root of roots) {
      if (seen[root] !== -1) continue;
      seen[root] = size;
      order[size] = root;
      depth[size] = 0;
      parent[size++] = -1;
    }
    const rootCount = size;
    const { start, targets } = graph.flatDependents(filter);
    for (let head = 0; head < size; head += 1) {
      const nextDepth = depth[head]! + 1;
      const id = order[head]!;
      for (let e = start[id]!, end = start[id + 1]!; e < end; e += 1) {
        const child = targets[e]!;
        if (seen[child] !== -1) continue;
        seen[child] = size;
        order[size] = child;
        depth[size] = nextDepth;
        parent[size++] = head;
      }
    }
    const dense = size > graph.size * DENSE_SHARE;
    const position = dense ? seen : new Map(Array.from(order.subarray(0, size), (id, p) => [id, p]));
    return new Closure(
      graph,
      filter,
      order.slice(0, size),
      depth.slice(0, size),
      parent.slice(0, size),
      rootCount,
      position,
    );
  }

  /** By id: position, or -1 (dense); or a map of the few members. */
  get positions(): Int32Array | Map<number, number> {
    return this.position;
  }

  /** Streams depending on the roots, the roots not counted. */
  get count(): number {
    return this.order.length - this.roots;
  }

  positionOf(id: number): number | undefined {
    if (this.position instanceof Map) return this.position.get(id);
    const p = this.position[id];
    return p === undefined || p < 0 ? undefined : p;
  }

  /** Whether `id` is a root or depends on one (O(1)). */
  has(id: number): boolean {
    return this.positionOf(id) !== undefined;
  }

  nameAt(position: number): string {
    return this.graph.nameOf(this.order[position]!);
  }

  /** Names from the root to the stream at `position`. */
  pathOf(position: number): string[] {
    // Its length is known (one more than the depth): filled from the end, no growing and reversing.
    const path = new Array<string>(this.depth[position]! + 1);
    for (let p = position, i = path.length - 1; p >= 0; p = this.parent[p]!, i -= 1)
      path[i] = this.graph.nameOf(this.order[p]!);
    return path;
  }

  /** Positions of the dependents (roots excluded), by depth then name. */
  byDepthThenName(): Int32Array {
    this.byDepth ??= this.sortedByLevel(this.depth);
    return this.byDepth;
  }

  /** Tiers of a change to the roots: computed on first use. */
  tiers(): TierLayout {
    if (this.tierLayout) return this.tierLayout;
    const layout = layerTiers(this, this.graph);
    this.tierLayout = { ...layout, order: this.sortedByLevel(layout.tierOf) };
    return this.tierLayout;
  }

  /** Bytes held by the arrays (for the cache's budget). */
  get bytes(): number {
    const position = this.position instanceof Map ? this.position.size * 40 : this.position.byteLength;
    const tiers = this.tierLayout ? this.order.length * 9 : 0;
    return 200 + this.order.length * 12 + position + (this.byDepth?.byteLength ?? 0) + tiers;
  }

  /** Non-root positions sorted by (level, name). */
  private sortedByLevel(level: Int32Array): Int32Array {
    const { rank, byRank } = this.graph.nameRanks();
    if (!(this.position instanceof Map)) return this.countedByLevel(level, byRank, this.position);
    const keys = new Float64Array(this.count);
    for (let p = this.roots; p < this.order.length; p += 1) {
      keys[p - this.roots] = level[p]! * RANK_SPAN + rank[this.order[p]!]!;
    }
    keys.sort();
    const out = new Int32Array(keys.length);
    keys.forEach((key, i) => (out[i] = this.positionOf(byRank[key % RANK_SPAN]!)!));
    return out;
  }

  /**
   * A large closure (dense positions): a counting sort by level, walking the graph in name order, so
   * each level comes out in name order without comparing anything.
   */
  private countedByLevel(level: Int32Array, byRank: Int32Array, position: Int32Array): Int32Array {
    let levels = 0;
    for (let p = this.roots; p < this.order.length; p += 1) if (level[p]! >= levels) levels = level[p]! + 1;
    const next = new Int32Array(levels + 1);
    for (let p = this.roots; p < this.order.length; p += 1) next[level[p]! + 1]! += 1;
    for (let l = 0; l < levels; l += 1) next[l + 1]! += next[l]!;
    const out = new Int32Array(this.count);
    for (let r = 0; r < byRank.length; r += 1) {
      const p = position[byRank[r]!]!;
      if (p >= this.roots) out[next[level[p]!]!++] = p;
    }
    return out;
  }
}
