// Resolved closures kept between questions, least recently used out first, bounded by the bytes
// they hold (a hub's closure holds ~1 MB, a leaf's a few hundred bytes). A change of the graph
// drops exactly the closures it can alter: those holding a stream whose dependents changed.
import type { Closure } from './closure';

interface Entry {
  closure: Closure;
  /** The queried module's name: a new edge to name:* reaches its closure without touching it. */
  moduleName: string;
  bytes: number;
}

export interface ResolutionCacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

export class ResolutionCache {
  private readonly entries = new Map<string, Entry>();
  private heldBytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(readonly maxBytes: number) {}

  get(key: string): Closure | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.closure;
  }

  set(key: string, moduleName: string, closure: Closure): void {
    this.drop(key);
    const entry = { closure, moduleName, bytes: closure.bytes };
    this.entries.set(key, entry);
    this.heldBytes += entry.bytes;
    this.evictBeyondBudget(key);
  }

  /** Re-weighs an entry after it computed an order or its tiers. */
  remeasure(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    const bytes = entry.closure.bytes;
    this.heldBytes += bytes - entry.bytes;
    entry.bytes = bytes;
    this.evictBeyondBudget(key);
  }

  /** Drops the closures holding any of `ids`, or asked about a module in `anyStreamOf`. */
  invalidate(ids: ReadonlySet<number>, anyStreamOf: ReadonlySet<string>): void {
    for (const [key, entry] of this.entries) {
      if (anyStreamOf.has(entry.moduleName) || holdsAny(entry.closure, ids)) this.drop(key);
    }
  }

  clear(): void {
    this.entries.clear();
    this.heldBytes = 0;
  }

  get stats(): ResolutionCacheStats {
    return {
      entries: this.entries.size,
      bytes: this.heldBytes,
      maxBytes: this.maxBytes,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
    };
  }

  private evictBeyondBudget(keep: string): void {
    for (const key of this.entries.keys()) {
      if (this.heldBytes <= this.maxBytes) return;
      if (key === keep) continue;
      this.drop(key);
      this.evictions += 1;
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.heldBytes -= entry.bytes;
    this.entries.delete(key);
  }
}

function holdsAny(closure: Closure, ids: ReadonlySet<number>): boolean {
  if (ids.size > closure.order.length) return closure.order.some((id) => ids.has(id));
  for (const id of ids) if (closure.has(id)) return true;
  return false;
}
