// Memo of query answers per (relation, node). Bounded by the number of members held, not of
// entries: one answer for platform:f29 holds every module of the distribution, one for a leaf
// holds nothing. Least recently used entries go first. The index decides what to invalidate.

import type { Dependent } from './dependents-with-paths';
import type { RelationFilter } from './graph-model';
import type { RebuildTiers } from './tiers';

export interface CachedAnswers {
  direct?: readonly Dependent[];
  transitive?: readonly Dependent[];
  tiers?: RebuildTiers;
}

interface Entry {
  answers: CachedAnswers;
  weight: number;
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private heldMembers = 0;

  constructor(private readonly maxMembers: number) {}

  get size(): number {
    return this.entries.size;
  }

  get members(): number {
    return this.heldMembers;
  }

  /** Cached answers for (relation, node), marked most recently used. */
  lookup(relation: RelationFilter, node: string): CachedAnswers | undefined {
    const key = cacheKey(relation, node);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.answers;
  }

  remember<K extends keyof CachedAnswers>(
    relation: RelationFilter,
    node: string,
    kind: K,
    answer: NonNullable<CachedAnswers[K]>,
    weight: number,
  ): void {
    const key = cacheKey(relation, node);
    const entry = this.entries.get(key) ?? { answers: {}, weight: 0 };
    entry.answers[kind] = answer;
    entry.weight += weight;
    this.heldMembers += weight;
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.evictBeyondBound(key);
  }

  invalidate(relation: RelationFilter, nodes: Iterable<string>): void {
    for (const node of nodes) this.drop(cacheKey(relation, node));
  }

  clear(): void {
    this.entries.clear();
    this.heldMembers = 0;
  }

  private evictBeyondBound(keep: string): void {
    for (const key of this.entries.keys()) {
      if (this.heldMembers <= this.maxMembers || key === keep) return;
      this.drop(key);
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.heldMembers -= entry.weight;
    this.entries.delete(key);
  }
}

/** A newline cannot occur in a module name or stream, so keys cannot collide. */
function cacheKey(relation: RelationFilter, node: string): string {
  return `${relation}\n${node}`;
}
