// The metadata service's questions about one module stream, answered from cached closures: a page
// of what depends on it (direct, transitive, or in rebuild tiers), whether another stream is among
// its dependents, and how many there are. Modules that accept any stream of a name (modulemd's
// empty stream list, stored as name:*) depend on every stream of it, so name:* is a second root.
import { ANY_STREAM } from '../pdc';
import { moduleStreamKey, type RelationFilter } from '../dependencies/graph-model';
import { Closure } from './closure';
import { FILTER_INDEX, type CompactDependencyGraph, type FilterIndex } from './compact-graph';
import { ResolutionCache } from './resolution-cache';

export interface DependentsRequest {
  relation: RelationFilter;
  transitive: boolean;
  tiers: boolean;
  offset: number;
  limit: number;
}

export interface DependentItem {
  node: string;
  tier: number | null;
  /** From the queried stream to this one. */
  path: string[];
  /** In rebuild tiers: on a dependency cycle, sharing its tier with the cycle's other members. */
  cycle?: boolean;
}

export interface DependentsPage {
  total: number;
  items: DependentItem[];
}

export interface Membership {
  dependent: boolean;
  depth: number | null;
  path: string[];
}

/** Default budget of cached closures: ~60 closures of a 50,000-stream hub, or thousands of small ones. */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

export class StreamResolver {
  readonly cache: ResolutionCache;

  constructor(
    readonly graph: CompactDependencyGraph,
    cacheBytes = DEFAULT_CACHE_BYTES,
  ) {
    this.cache = new ResolutionCache(cacheBytes);
  }

  /** A page of dependents; undefined when the store knows nothing of the stream. */
  dependents(name: string, stream: string, request: DependentsRequest): DependentsPage | undefined {
    const node = moduleStreamKey(name, stream);
    if (!request.transitive && !request.tiers) return this.directPage(name, stream, request);
    const closure = this.closureOf(name, stream, request.relation);
    if (!closure) return undefined;
    const key = cacheKey(request.relation, node);
    const end = (total: number) => Math.min(total, request.offset + request.limit);
    if (!request.tiers) {
      const order = closure.byDepthThenName();
      this.cache.remeasure(key);
      const items: DependentItem[] = [];
      for (let i = request.offset; i < end(order.length); i += 1) {
        items.push({ node: closure.nameAt(order[i]!), tier: null, path: pathFrom(node, closure, order[i]!) });
      }
      return { total: order.length, items };
    }
    const layout = closure.tiers();
    this.cache.remeasure(key);
    const items: DependentItem[] = [];
    for (let i = request.offset; i < end(layout.order.length); i += 1) {
      const p = layout.order[i]!;
      items.push({
        node: closure.nameAt(p),
        tier: layout.tierOf[p]!,
        path: pathFrom(node, closure, p),
        cycle: layout.cycle[p] === 1,
      });
    }
    return { total: layout.order.length, items };
  }

  /** Whether `candidate` depends on name:stream, transitively (O(1) once the closure is resolved). */
  membership(name: string, stream: string, candidate: string, relation: RelationFilter): Membership | undefined {
    const closure = this.closureOf(name, stream, relation);
    if (!closure) return undefined;
    const id = this.graph.idOf(candidate);
    const p = id === undefined ? undefined : closure.positionOf(id);
    if (p === undefined || p < closure.roots) return { dependent: false, depth: null, path: [] };
    return { dependent: true, depth: closure.depth[p]!, path: pathFrom(moduleStreamKey(name, stream), closure, p) };
  }

  /** How many streams depend on name:stream transitively. */
  count(name: string, stream: string, relation: RelationFilter): number | undefined {
    return this.closureOf(name, stream, relation)?.count;
  }

  /** The cached closure of name:stream (and name:*), resolved on first use. */
  closureOf(name: string, stream: string, relation: RelationFilter): Closure | undefined {
    const node = moduleStreamKey(name, stream);
    const key = cacheKey(relation, node);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const roots = this.rootsOf(name, stream);
    if (roots.length === 0) return undefined;
    const closure = Closure.resolve(this.graph, roots, FILTER_INDEX[relation]);
    const id = this.graph.idOf(node);
    if (closure.count === 0 && (id === undefined || !this.graph.isDeclared(id))) return undefined;
    this.cache.set(key, name, closure);
    return closure;
  }

  /** After the graph changed: drops the closures the change can alter. */
  invalidate(touched: ReadonlySet<number>): void {
    if (touched.size === 0) return;
    const anyStreamOf = new Set<string>();
    for (const id of touched) {
      const target = this.graph.nameOf(id);
      if (target.endsWith(`:${ANY_STREAM}`)) anyStreamOf.add(target.slice(0, -ANY_STREAM.length - 1));
    }
    this.cache.invalidate(touched, anyStreamOf);
  }

  private rootsOf(name: string, stream: string): number[] {
    const ids = [moduleStreamKey(name, stream)];
    if (stream !== ANY_STREAM) ids.push(moduleStreamKey(name, ANY_STREAM));
    return ids.map((n) => this.graph.idOf(n)).filter((id): id is number => id !== undefined);
  }

  /** Direct dependents: the roots' own lists, already in name order. */
  private directPage(name: string, stream: string, request: DependentsRequest): DependentsPage | undefined {
    const node = moduleStreamKey(name, stream);
    const roots = this.rootsOf(name, stream);
    const filter: FilterIndex = FILTER_INDEX[request.relation];
    const lists = roots.map((id) => this.graph.dependentsOf(id, filter)).filter((l) => l.length > 0);
    const id = this.graph.idOf(node);
    if (lists.length === 0 && (id === undefined || !this.graph.isDeclared(id))) return undefined;
    const rootSet = new Set(roots);
    const all = lists.length === 1 ? lists[0]! : this.mergedByName(lists);
    const dependents = all.some((d) => rootSet.has(d)) ? all.filter((d) => !rootSet.has(d)) : all;
    const items = dependents
      .slice(request.offset, request.offset + request.limit)
      .map((d) => ({ node: this.graph.nameOf(d), tier: null, path: [node, this.graph.nameOf(d)] }));
    return { total: dependents.length, items };
  }

  private mergedByName(lists: (readonly number[])[]): readonly number[] {
    const { rank } = this.graph.nameRanks();
    return [...new Set(lists.flat())].sort((a, b) => rank[a]! - rank[b]!);
  }
}

function cacheKey(relation: RelationFilter, node: string): string {
  return `${relation}\n${node}`;
}

/** The explaining path, starting at the queried stream even when it runs from name:*. */
function pathFrom(node: string, closure: Closure, position: number): string[] {
  const path = closure.pathOf(position);
  path[0] = node;
  return path;
}
