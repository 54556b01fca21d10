// The distribution's dependency graph with module streams interned as integer ids: each stream's
// dependencies per relation, and its direct dependents per relation filter kept sorted by name
// (what makes breadth-first paths deterministic). Built in one pass from a store read, then updated
// a batch of streams at a time from the change feed.
import {
  compareNodeNames,
  type DependencyRelation,
  type ModuleDependencies,
  type RelationFilter,
} from '../dependencies/graph-model';

/** 0 = buildrequires, 1 = requires, 2 = either. */
export type FilterIndex = 0 | 1 | 2;
export const FILTER_INDEX: Record<RelationFilter, FilterIndex> = { buildrequires: 0, requires: 1, all: 2 };
const RELATIONS: readonly DependencyRelation[] = ['buildrequires', 'requires'];

const NONE: readonly number[] = Object.freeze([]);

/** Direct dependents as a CSR: those of id are targets[start[id]] up to targets[start[id + 1]]. */
export interface FlatDependents {
  start: Int32Array;
  targets: Int32Array;
}

/** Edges as parallel columns: from[i] depends on to[i], by requires when isRequires(i), else buildrequires. */
export interface EdgeColumns {
  from: readonly string[];
  to: readonly string[];
  isRequires(i: number): boolean;
}

export interface StreamDependencies {
  node: string;
  buildrequires: readonly string[];
  requires: readonly string[];
}

export class CompactDependencyGraph {
  private readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  /** 1 for module streams the store holds; targets named only by edges stay 0. */
  private declared = new Uint8Array(1024);
  private declaredCount = 0;
  /** Per relation, per id: the ids it depends on, ascending. */
  private readonly dependencies: [(readonly number[])[], (readonly number[])[]] = [[], []];
  /** Per filter, per id: the ids depending on it, in name order. */
  private readonly dependents: [(readonly number[])[], (readonly number[])[], (readonly number[])[]] = [[], [], []];
  private rank: Int32Array | undefined;
  private byRank: Int32Array | undefined;
  /** Per filter, every id's dependents in one CSR: built on first use after a change. */
  private flat: (FlatDependents | undefined)[] = [];
  private changes = 0;

  /** Increments on every change of content: material for ETags. */
  get version(): number {
    return this.changes;
  }

  get size(): number {
    return this.names.length;
  }

  get streamCount(): number {
    return this.declaredCount;
  }

  idOf(node: string): number | undefined {
    return this.ids.get(node);
  }

  nameOf(id: number): string {
    return this.names[id] ?? '';
  }

  isDeclared(id: number): boolean {
    return this.declared[id] === 1;
  }

  /** The id of a node, created (without edges) when it is new. */
  intern(node: string): number {
    const known = this.ids.get(node);
    if (known !== undefined) return known;
    const id = this.names.length;
    this.names.push(node);
    this.ids.set(node, id);
    for (const list of this.dependencies) list.push(NONE);
    for (const list of this.dependents) list.push(NONE);
    if (id >= this.declared.length) {
      const grown = new Uint8Array(this.declared.length * 2);
      grown.set(this.declared);
      this.declared = grown;
    }
    this.rank = undefined;
    if (this.flat.length > 0) this.flat = [];
    return id;
  }

  /** Direct dependents in name order. */
  dependentsOf(id: number, filter: FilterIndex): readonly number[] {
    return this.dependents[filter][id] ?? NONE;
  }

  /**
   * Every id's direct dependents (in name order) in one compressed table: a closure's breadth-first
   * walk and its tiers read typed arrays instead of one list per stream (~1 MB per filter at 60,000
   * streams; rebuilt, in milliseconds, on the first use after a change).
   */
  flatDependents(filter: FilterIndex): FlatDependents {
    const cached = this.flat[filter];
    if (cached) return cached;
    const lists = this.dependents[filter];
    const start = new Int32Array(lists.length + 1);
    for (let id = 0; id < lists.length; id += 1) start[id + 1] = start[id]! + lists[id]!.length;
    const targets = new Int32Array(start[lists.length]!);
    let k = 0;
    for (const list of lists) for (let i = 0; i < list.length; i += 1) targets[k++] = list[i]!;
    const built = { start, targets };
    this.flat[filter] = built;
    return built;
  }

  /**
   * Position of each id in name order, and the inverse; after new names arrive, the new ids are
   * sorted on their own and merged into the order known before (the relative order of known names
   * never changes, so orders computed before stay right).
   */
  nameRanks(): { rank: Int32Array; byRank: Int32Array } {
    if (this.rank && this.byRank) return { rank: this.rank, byRank: this.byRank };
    const names = this.names;
    const byName = (a: number, b: number) => compareNodeNames(names[a]!, names[b]!);
    const known = this.byRank ?? new Int32Array(0);
    // A plain array's sort (TimSort) runs in about linear time when ids already come in name order,
    // as they do when the store lists the streams sorted.
    const fresh = Array.from({ length: names.length - known.length }, (_, i) => known.length + i).sort(byName);
    const byRank = known.length === 0 ? Int32Array.from(fresh) : mergeInto(known, fresh, byName);
    const rank = new Int32Array(byRank.length);
    byRank.forEach((id, r) => (rank[id] = r));
    this.rank = rank;
    this.byRank = byRank;
    return { rank, byRank };
  }

  /**
   * Replaces the dependencies of each given stream (marking it a stream the store holds); answers
   * the ids whose dependents changed, which is what invalidates cached closures.
   */
  update(streams: Iterable<StreamDependencies>): Set<number> {
    const touched = new Set<number>();
    const added: [Map<number, number[]>, Map<number, number[]>] = [new Map(), new Map()];
    const removed: [Map<number, Set<number>>, Map<number, Set<number>>] = [new Map(), new Map()];
    for (const stream of streams) {
      const id = this.intern(stream.node);
      if (this.declared[id] !== 1) {
        this.declared[id] = 1;
        this.declaredCount += 1;
        this.changes += 1;
      }
      RELATIONS.forEach((relation, r) => {
        const next = uniqueIds(stream[relation].map((n) => this.intern(n)));
        const previous = this.dependencies[r]![id]!;
        if (sameIds(previous, next)) return;
        this.dependencies[r]![id] = next;
        this.changes += 1;
        for (const target of difference(previous, next)) {
          pushTo(removed[r]!, target, id, () => new Set());
          touched.add(target);
        }
        for (const target of difference(next, previous)) {
          pushTo(added[r]!, target, id, () => []);
          touched.add(target);
        }
      });
    }
    for (const target of touched) this.relinkDependents(target, added, removed);
    return touched;
  }

  /** Bulk load into an empty graph: streams first, then edges as (from, relation, to). */
  load(streams: Iterable<string>, edges: Iterable<readonly [string, DependencyRelation, string]>): void {
    this.declareAll(streams);
    const pending: [number[][], number[][]] = [[], []];
    for (const [from, relation, to] of edges) {
      const f = this.intern(from);
      const t = this.intern(to);
      (pending[relation === 'buildrequires' ? 0 : 1][f] ??= []).push(t);
    }
    this.finishLoad(pending);
  }

  /**
   * Bulk load into an empty graph from edges as columns (what one store statement answers): no
   * object per edge, one name lookup per run of edges from the same stream, and each run's targets
   * gathered in a reused buffer (a stream whose edges come in several runs is merged).
   */
  loadColumns(streams: Iterable<string>, edges: EdgeColumns): void {
    this.declareAll(streams);
    const run: [number[], number[]] = [[], []];
    let lastFrom: string | undefined;
    let f = -1;
    const flush = () => {
      for (let r = 0; r < 2; r += 1) {
        const targets = run[r]!;
        if (targets.length === 0) continue;
        const before = this.dependencies[r]![f]!;
        this.dependencies[r]![f] = uniqueIds(before.length === 0 ? targets : [...before, ...targets]);
        targets.length = 0;
      }
    };
    for (let i = 0; i < edges.from.length; i += 1) {
      const from = edges.from[i]!;
      if (from !== lastFrom) {
        if (f >= 0) flush();
        f = this.intern(from);
        lastFrom = from;
      }
      run[edges.isRequires(i) ? 1 : 0].push(this.intern(edges.to[i]!));
    }
    if (f >= 0) flush();
    this.rebuildDependents();
    this.changes += 1;
  }

  private declareAll(streams: Iterable<string>): void {
    for (const node of streams) {
      const id = this.intern(node);
      if (this.declared[id] === 1) continue;
      this.declared[id] = 1;
      this.declaredCount += 1;
    }
  }

  private finishLoad(pending: [number[][], number[][]]): void {
    for (let r = 0; r < 2; r += 1) {
      pending[r]!.forEach((targets, from) => {
        this.dependencies[r]![from] = uniqueIds(targets);
      });
    }
    this.rebuildDependents();
    this.changes += 1;
  }

  /** Dependencies by name, as the rest of the product asks for them. */
  dependenciesOf(node: string): ModuleDependencies {
    const id = this.ids.get(node);
    if (id === undefined) return { buildrequires: [], requires: [] };
    return {
      buildrequires: this.dependencies[0][id]!.map((t) => this.nameOf(t)),
      requires: this.dependencies[1][id]!.map((t) => this.nameOf(t)),
    };
  }

  /** Direct dependents by name, sorted. */
  directDependents(node: string, relation: RelationFilter): readonly string[] {
    const id = this.ids.get(node);
    if (id === undefined) return [];
    return this.dependentsOf(id, FILTER_INDEX[relation]).map((d) => this.nameOf(d));
  }

  /** Module streams the store holds, sorted. */
  modules(): string[] {
    const { byRank } = this.nameRanks();
    const out: string[] = [];
    for (const id of byRank) if (this.declared[id] === 1) out.push(this.names[id]!);
    return out;
  }

  /** Rough bytes held (arrays of ids, names, the name map): for the memory report. */
  approximateBytes(): number {
    let entries = 0;
    let arrays = 0;
    for (const lists of [...this.dependencies, ...this.dependents]) {
      for (const list of lists) {
        if (list === NONE) continue;
        arrays += 1;
        entries += list.length;
      }
    }
    let nameBytes = 0;
    for (const name of this.names) nameBytes += 24 + name.length;
    const flatBytes = this.flat.reduce((sum, f) => sum + (f ? f.start.byteLength + f.targets.byteLength : 0), 0);
    return (
      entries * 8 +
      arrays * 32 +
      nameBytes +
      this.names.length * (40 + 5 * 8) +
      (this.rank ? this.size * 8 : 0) +
      flatBytes
    );
  }

  /**
   * All dependents lists from the dependency lists (after a bulk load). Dependents are visited in
   * name order, so every list comes out sorted without a sort.
   */
  private rebuildDependents(): void {
    this.flat = [];
    const { rank, byRank } = this.nameRanks();
    const fresh: [(number[] | undefined)[], (number[] | undefined)[]] = [
      new Array<number[] | undefined>(this.size).fill(undefined),
      new Array<number[] | undefined>(this.size).fill(undefined),
    ];
    for (const from of byRank) {
      for (let r = 0; r < 2; r += 1) {
        const lists = fresh[r]!;
        for (const t of this.dependencies[r]![from]!) (lists[t] ??= []).push(from);
      }
    }
    for (let id = 0; id < this.size; id += 1) {
      const build = fresh[0]![id] ?? NONE;
      const req = fresh[1]![id] ?? NONE;
      this.dependents[0][id] = build;
      this.dependents[1][id] = req;
      this.dependents[2][id] = mergeByRank(build, req, rank);
    }
  }

  private relinkDependents(
    target: number,
    added: [Map<number, number[]>, Map<number, number[]>],
    removed: [Map<number, Set<number>>, Map<number, Set<number>>],
  ): void {
    this.flat = [];
    const byName = (a: number, b: number) => compareNodeNames(this.names[a]!, this.names[b]!);
    for (let r = 0; r < 2; r += 1) {
      const gone = removed[r]!.get(target);
      const extra = added[r]!.get(target);
      if (!gone && !extra) continue;
      const kept = gone ? this.dependents[r]![target]!.filter((d) => !gone.has(d)) : this.dependents[r]![target]!;
      // The kept list is in name order already: only the few new dependents need sorting (a hub's
      // thousands of dependents were sorted again on every catch-up that touched it).
      this.dependents[r]![target] = extra ? mergeSorted(kept, extra.sort(byName), byName) : kept;
    }
    this.dependents[2][target] = mergeSorted(this.dependents[0][target]!, this.dependents[1][target]!, byName);
  }
}

function uniqueIds(ids: readonly number[]): readonly number[] {
  if (ids.length === 0) return NONE;
  const sorted = ids.length > 16 ? Array.from(Int32Array.from(ids).sort()) : [...ids].sort((a, b) => a - b);
  let kept = 1;
  for (let i = 1; i < sorted.length; i += 1) if (sorted[i] !== sorted[kept - 1]) sorted[kept++] = sorted[i]!;
  sorted.length = kept;
  return sorted;
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Ids of `a` not in `b` (both ascending). */
function difference(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const v of a) {
    while (j < b.length && b[j]! < v) j += 1;
    if (b[j] !== v) out.push(v);
  }
  return out;
}

function pushTo<C extends number[] | Set<number>>(map: Map<number, C>, key: number, value: number, empty: () => C) {
  let bucket = map.get(key);
  if (!bucket) map.set(key, (bucket = empty()));
  if (Array.isArray(bucket)) bucket.push(value);
  else bucket.add(value);
}

/** Union of two lists in name-rank order, without duplicates (one shared when the other is empty). */
function mergeByRank(a: readonly number[], b: readonly number[], rank: Int32Array): readonly number[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = rank[a[i]!]!;
    const y = rank[b[j]!]!;
    if (x < y) out.push(a[i++]!);
    else if (y < x) out.push(b[j++]!);
    else {
      out.push(a[i++]!);
      j += 1;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/** Two lists of distinct ids, each sorted by `order`, merged into one. */
function mergeInto(a: Int32Array, b: readonly number[], order: (x: number, y: number) => number): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = order(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** Union of two lists sorted by `order`, without duplicates. */
function mergeSorted(
  a: readonly number[],
  b: readonly number[],
  order: (x: number, y: number) => number,
): readonly number[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && order(a[i]!, b[j]!) < 0)) out.push(a[i++]!);
    else if (i >= a.length || order(a[i]!, b[j]!) > 0) out.push(b[j++]!);
    else {
      out.push(a[i++]!);
      j += 1;
    }
  }
  return out;
}
