// The metadata service: a pre-computed, incrementally maintained dependency index of the whole
// distribution, built from the store when the API starts and kept current from the store's change
// feed (DependencyChange), so answers never run recursive SQL per request. Past times (`at`) are
// answered from an index built for that time, kept in a small cache.
import type { PrismaClient } from '@prisma/client';
import { DependencyIndex, moduleStreamKey } from '../../domain/dependencies';
import { changesSince, indexFrom, latestChangeId, loadGraph, loadStreams } from '../../store/pdc-queries';

const PAST_INDEXES_KEPT = 4;
/** More pending changes than this: rebuild the index instead of applying them one stream at a time. */
const FULL_RELOAD_AFTER = 1000;

export class MetadataService {
  private index = new DependencyIndex();
  private lastChange = 0n;
  private catchingUp: Promise<void> | undefined;
  private readonly past = new Map<string, DependencyIndex>();

  constructor(private readonly prisma: PrismaClient) {}

  /** Builds the index from the store (at API start). */
  async load(): Promise<{ modules: number; ms: number }> {
    const started = performance.now();
    const high = await latestChangeId(this.prisma);
    this.index = indexFrom(await loadGraph(this.prisma));
    this.lastChange = high;
    return { modules: this.index.modules().length, ms: Math.round(performance.now() - started) };
  }

  /** Applies the store's changes since the last look; concurrent callers share one look. */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.applyChanges().finally(() => (this.catchingUp = undefined));
    return this.catchingUp;
  }

  private async applyChanges(): Promise<void> {
    for (;;) {
      const changes = await changesSince(this.prisma, this.lastChange, FULL_RELOAD_AFTER + 1);
      if (changes.length === 0) return;
      if (changes.length > FULL_RELOAD_AFTER) {
        // After a bulk import, rebuilding from the store (3 s for 60,000 streams) beats replaying the feed.
        await this.load();
        this.past.clear();
        continue;
      }
      const streams = new Map(
        changes.map((c) => [
          moduleStreamKey(c.moduleName, c.moduleStream),
          { name: c.moduleName, stream: c.moduleStream },
        ]),
      );
      indexFrom(await loadStreams(this.prisma, [...streams.values()]), this.index);
      this.lastChange = changes.at(-1)!.id;
      this.past.clear();
    }
  }

  /** The current index, caught up with the store. */
  async current(): Promise<DependencyIndex> {
    await this.catchUp();
    return this.index;
  }

  /** An index of the graph as it stood at `at`. */
  async at(at: Date): Promise<DependencyIndex> {
    await this.catchUp();
    const key = at.toISOString();
    const cached = this.past.get(key);
    if (cached) return cached;
    const index = indexFrom(await loadGraph(this.prisma, at));
    this.past.set(key, index);
    if (this.past.size > PAST_INDEXES_KEPT) this.past.delete(this.past.keys().next().value!);
    return index;
  }

  /** Changes as a version string, for ETags. */
  version(): string {
    return `${this.lastChange}.${this.index.version}`;
  }
}
