// The metadata service's in-memory dependency index: module streams, their buildrequires and
// requires edges (kept in both directions) and their components, updated incrementally, with
// cached answers to "what depends on X" and "in which tiers do they rebuild".
//
// Cache invalidation is precise: the answer for root R reads exactly the reverse edges leaving
// R's affected set (R plus its transitive dependents), so changing an edge X -> D can only change
// answers of roots whose affected set contains D, i.e. of D and everything D transitively depends
// on. Those are found by walking D's (few) dependencies in the graph before the change; a path
// that a newly added edge creates enters through some D reachable with old edges, so the
// pre-change walk suffices.

import { AnswerCache } from './answer-cache';
import { ComponentMap } from './component-map';
import { findDependents, type Dependent } from './dependents-with-paths';
import {
  DEPENDENCY_RELATIONS,
  NO_DEPENDENCIES,
  relationsOf,
  sortedUnique,
  type DependencyRelation,
  type ModuleDependencies,
  type RelationFilter,
} from './graph-model';
import { computeTiers, type RebuildTiers } from './tiers';

export interface DependentsQuery {
  relation: RelationFilter;
  transitive: boolean;
}

export interface DependencyIndexOptions {
  /**
   * Bound on the members (dependents and tier members) held by cached answers, least recently
   * used first out. About 180 bytes each (measured, paths included): the default holds roughly 180 MB.
   */
  maxCachedMembers?: number;
}

const NONE: readonly string[] = Object.freeze([]);

export class DependencyIndex {
  private readonly declared = new Map<string, ModuleDependencies>();
  private readonly reverse: Record<DependencyRelation, Map<string, Set<string>>> = {
    buildrequires: new Map(),
    requires: new Map(),
  };
  /** Sorted direct dependents per relation, rebuilt only for targets whose reverse edges changed. */
  private readonly sortedDependents: Record<RelationFilter, Map<string, readonly string[]>> = {
    buildrequires: new Map(),
    requires: new Map(),
    all: new Map(),
  };
  private readonly components = new ComponentMap();
  private readonly answers: AnswerCache;
  private changes = 0;

  constructor(options: DependencyIndexOptions = {}) {
    this.answers = new AnswerCache(options.maxCachedMembers ?? 1_000_000);
  }

  /** Increments on every change of the index's content: cheap material for an ETag. */
  get version(): number {
    return this.changes;
  }

  /** Cached (relation, node) entries and the members they hold: for benchmarks and metrics. */
  get cacheStats(): { entries: number; members: number } {
    return { entries: this.answers.size, members: this.answers.members };
  }

  /** Module streams that declared dependencies, sorted. */
  modules(): string[] {
    return sortedUnique(this.declared.keys());
  }

  dependenciesOf(node: string): ModuleDependencies {
    return this.declared.get(node) ?? NO_DEPENDENCIES;
  }

  /** Replaces the node's outgoing edges; answers whether anything changed. */
  setModuleDependencies(node: string, dependencies: ModuleDependencies): boolean {
    const next: ModuleDependencies = Object.freeze({
      buildrequires: Object.freeze(sortedUnique(dependencies.buildrequires)),
      requires: Object.freeze(sortedUnique(dependencies.requires)),
    });
    const previous = this.declared.get(node);
    const changedTargets = edgeDifference(previous ?? NO_DEPENDENCIES, next);
    const hasEdgeChanges = DEPENDENCY_RELATIONS.some((r) => changedTargets[r].length > 0);
    if (previous && !hasEdgeChanges) return false;
    if (hasEdgeChanges) {
      this.invalidateAnswersReaching(changedTargets);
      this.relinkReverseEdges(node, previous ?? NO_DEPENDENCIES, next);
    }
    this.declared.set(node, next);
    this.changes += 1;
    return true;
  }

  /**
   * Forgets the module's own declarations (edges and components). Edges other modules declare
   * towards it stay: their modulemd still names it, and a rebuild must still find them.
   */
  removeModule(node: string): boolean {
    const edgesChanged = this.declared.has(node) && this.setModuleDependencies(node, NO_DEPENDENCIES);
    const hadDeclaration = this.declared.delete(node);
    const componentsChanged = this.components.set(node, []);
    if (!hadDeclaration && !componentsChanged) return false;
    // setModuleDependencies already counted the edge change; count the removal once.
    if (!edgesChanged) this.changes += 1;
    return true;
  }

  setModuleComponents(node: string, components: Iterable<string>): boolean {
    if (!this.components.set(node, components)) return false;
    this.changes += 1;
    return true;
  }

  componentsOf(node: string): readonly string[] {
    return this.components.componentsOf(node);
  }

  modulesOfComponent(component: string): readonly string[] {
    return this.components.modulesOf(component);
  }

  /** Dependents of `node`, ordered by depth then name, each with its shortest explaining path. */
  dependents(node: string, query: DependentsQuery): readonly Dependent[] {
    const kind = query.transitive ? 'transitive' : 'direct';
    const cached = this.answers.lookup(query.relation, node)?.[kind];
    if (cached) return cached;
    const lookup = (n: string) => this.dependentsSorted(n, query.relation);
    const answer = Object.freeze(findDependents(node, lookup, query.transitive));
    this.answers.remember(query.relation, node, kind, answer, answer.length);
    return answer;
  }

  /** Rebuild tiers of a change to one node (cached) or to several at once (computed each time). */
  tiers(changed: string | readonly string[], relation: RelationFilter): RebuildTiers {
    const lookup = (n: string) => this.dependentsSorted(n, relation);
    if (typeof changed !== 'string') return computeTiers(changed, lookup);
    const cached = this.answers.lookup(relation, changed)?.tiers;
    if (cached) return cached;
    const answer = computeTiers([changed], lookup);
    this.answers.remember(relation, changed, 'tiers', answer, answer.members.length);
    return answer;
  }

  /** Direct dependents following the relation, sorted by name. */
  directDependents(node: string, relation: RelationFilter): readonly string[] {
    return this.dependentsSorted(node, relation);
  }

  clearCachedAnswers(): void {
    this.answers.clear();
  }

  private dependentsSorted(node: string, relation: RelationFilter): readonly string[] {
    const memo = this.sortedDependents[relation];
    const known = memo.get(node);
    if (known) return known;
    const union = new Set<string>();
    for (const r of relationsOf(relation)) for (const d of this.reverse[r].get(node) ?? NONE) union.add(d);
    const sorted = union.size === 0 ? NONE : Object.freeze(sortedUnique(union));
    memo.set(node, sorted);
    return sorted;
  }

  private invalidateAnswersReaching(changedTargets: Record<DependencyRelation, string[]>): void {
    // Nothing cached (e.g. while loading a whole distribution): the walks below would be wasted.
    if (this.answers.size === 0) return;
    const all: string[] = [];
    for (const relation of DEPENDENCY_RELATIONS) {
      const targets = changedTargets[relation];
      if (targets.length === 0) continue;
      all.push(...targets);
      this.answers.invalidate(relation, this.dependencyClosure(targets, [relation]));
    }
    this.answers.invalidate('all', this.dependencyClosure(all, DEPENDENCY_RELATIONS));
  }

  /** The targets and everything they transitively depend on, following the given relations. */
  private dependencyClosure(targets: readonly string[], relations: readonly DependencyRelation[]): string[] {
    const seen = new Set(targets);
    const queue = [...seen];
    for (let head = 0; head < queue.length; head += 1) {
      const declared = this.declared.get(queue[head] as string);
      if (!declared) continue;
      for (const relation of relations) {
        for (const dependency of declared[relation]) {
          if (seen.has(dependency)) continue;
          seen.add(dependency);
          queue.push(dependency);
        }
      }
    }
    return queue;
  }

  private relinkReverseEdges(node: string, previous: ModuleDependencies, next: ModuleDependencies): void {
    for (const relation of DEPENDENCY_RELATIONS) {
      const reverse = this.reverse[relation];
      const kept = new Set(next[relation]);
      for (const target of previous[relation]) {
        if (kept.has(target)) continue;
        const dependents = reverse.get(target);
        dependents?.delete(node);
        if (dependents?.size === 0) reverse.delete(target);
        this.forgetSortedDependents(relation, target);
      }
      const had = new Set(previous[relation]);
      for (const target of next[relation]) {
        if (had.has(target)) continue;
        const dependents = reverse.get(target);
        if (dependents) dependents.add(node);
        else reverse.set(target, new Set([node]));
        this.forgetSortedDependents(relation, target);
      }
    }
  }

  private forgetSortedDependents(relation: DependencyRelation, target: string): void {
    this.sortedDependents[relation].delete(target);
    this.sortedDependents.all.delete(target);
  }
}

/** Per relation, the targets gained or lost between two declarations. */
function edgeDifference(previous: ModuleDependencies, next: ModuleDependencies): Record<DependencyRelation, string[]> {
  const difference = { buildrequires: [] as string[], requires: [] as string[] };
  for (const relation of DEPENDENCY_RELATIONS) {
    const before = new Set(previous[relation]);
    const after = new Set(next[relation]);
    for (const target of before) if (!after.has(target)) difference[relation].push(target);
    for (const target of after) if (!before.has(target)) difference[relation].push(target);
  }
  return difference;
}
