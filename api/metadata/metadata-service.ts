// The metadata service: the distribution's dependency graph in memory (domain/dependency-graph:
// integer ids, closures resolved once and cached in a byte-bounded LRU), read from the store in one
// statement when the API starts and kept current from the store's change feed (DependencyChange):
// a catch-up applies the changes since the last look, which drops exactly the cached closures they
// alter. When is a look needed: while a listener (change-notifications.ts) listens and nothing was
// notified since the last look, never — the question is answered from memory; otherwise (a
// notification, a write through this process, no listener, a lost or new one) the question first
// looks, as every question did before. Imports through this process mark it stale and nudge it to
// catch up while they run, so the first answer after a bulk import does not wait for it. Past times
// (`at`) are answered from a graph built for that time, kept in a small cache.
import type { PrismaClient } from '@prisma/client';
import {
  CompactDependencyGraph,
  DEFAULT_CACHE_BYTES,
  FILTER_INDEX,
  StreamResolver,
  type ResolutionCacheStats,
} from '../../domain/dependency-graph';
import { countChangesAfter, FEED_WINDOW, readFeedStep, readGraphSnapshot } from '../../store/dependency-graph-rows';
import { loadGraph } from '../../store/pdc-queries';
import { ChangeCursor } from './change-cursor';
import type { ChangeListener } from './change-notifications';

const PAST_GRAPHS_KEPT = 4;
/** Changes read and applied per step of a catch-up. */
const FEED_PAGE = 5000;
/** More pending changes than this: read the whole graph again instead (well under 2 s at 60,000 streams). */
const FULL_RELOAD_AFTER = 25_000;

export interface MetadataServiceOptions {
  /** Budget of the cached closures, in bytes. */
  cacheBytes?: number;
  /** Told when a background catch-up fails (the next question retries it). */
  onError?: (error: unknown) => void;
  /** Notifications of the change feed; without one, every question looks at the feed. */
  listener?: ChangeListener;
  /** Told when the listener is lost (questions look at the feed until it listens again). */
  onListenerLost?: (error: unknown) => void;
}

/** How the service keeps current (for tests, benches and operators). */
export interface MetadataFreshness {
  /** A listener listens: questions look at the feed only after a notification. */
  listening: boolean;
  /** Looks at the change feed so far. */
  probes: number;
  /** Notifications received so far. */
  notifications: number;
  /** Times the listener stopped listening other than by close(). */
  losses: number;
}

export interface MetadataMemory {
  streams: number;
  nodes: number;
  graphBytes: number;
  cache: ResolutionCacheStats;
}

export class MetadataService {
  private live: StreamResolver;
  private cursor = new ChangeCursor(0n);
  private catchingUp: Promise<void> | undefined;
  private again = false;
  /** The store may hold changes not applied yet (cleared just before a look starts). */
  private stale = true;
  private listening = false;
  private listenerStarted = false;
  private probes = 0;
  private notifications = 0;
  private losses = 0;
  private readonly past = new Map<string, StreamResolver>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: MetadataServiceOptions = {},
  ) {
    this.live = new StreamResolver(new CompactDependencyGraph(), this.cacheBytes);
  }

  private get cacheBytes(): number {
    return this.options.cacheBytes ?? DEFAULT_CACHE_BYTES;
  }

  /** Builds the graph from the store (at API start, and after a very large change). */
  async load(): Promise<{ modules: number; ms: number }> {
    this.startListening();
    const started = performance.now();
    const snapshot = await readGraphSnapshot(this.prisma);
    const graph = new CompactDependencyGraph();
    graph.loadColumns(snapshot.streams, snapshot.edges);
    warm(graph);
    this.live = new StreamResolver(graph, this.cacheBytes);
    this.cursor = new ChangeCursor(snapshot.high, snapshot.recentChangeIds, FEED_WINDOW);
    this.past.clear();
    return { modules: graph.streamCount, ms: Math.round(performance.now() - started) };
  }

  /**
   * Applies the store's changes since the last look, when there may be any; concurrent callers share
   * one catch-up. A caller that finds one running joins it, asking for one more look when the store
   * may have changed since that look began (a look clears `stale` as it starts, so a notification
   * that arrives during a look counts for the next one).
   */
  catchUp(): Promise<void> {
    const needsLook = this.stale || !this.listening;
    if (this.catchingUp) {
      if (needsLook) this.again = true;
      return this.catchingUp;
    }
    if (!needsLook) return Promise.resolve();
    this.catchingUp = this.applyChanges().finally(() => (this.catchingUp = undefined));
    return this.catchingUp;
  }

  /** After a write to the feed in this process: the next question looks, and a catch-up starts now. */
  nudge(): void {
    this.stale = true;
    this.catchUp().catch((error: unknown) => this.options.onError?.(error));
  }

  /** How the service keeps current. */
  freshness(): MetadataFreshness {
    return {
      listening: this.listening,
      probes: this.probes,
      notifications: this.notifications,
      losses: this.losses,
    };
  }

  /** Stops listening (the API's shutdown); questions look at the feed from then on. */
  async close(): Promise<void> {
    this.listening = false;
    this.listenerStarted = false;
    await this.options.listener?.stop();
  }

  private startListening(): void {
    const listener = this.options.listener;
    if (!listener || this.listenerStarted) return;
    this.listenerStarted = true;
    listener.start({
      changed: () => {
        this.notifications += 1;
        this.stale = true;
      },
      // Changes committed before the LISTEN took effect were notified to nobody: look once.
      listening: () => {
        this.stale = true;
        this.listening = true;
      },
      // Told once per loss: reconnecting attempts that fail while the database is away stay quiet.
      lost: (error) => {
        if (!this.listening) return;
        this.listening = false;
        this.losses += 1;
        this.options.onListenerLost?.(error);
      },
    });
  }

  private async applyChanges(): Promise<void> {
    try {
      await this.lookUntilCurrent();
    } catch (error) {
      this.stale = true;
      throw error;
    }
  }

  private async lookUntilCurrent(): Promise<void> {
    let applied = false;
    for (;;) {
      this.again = false;
      this.stale = false;
      this.probes += 1;
      const step = await readFeedStep(this.prisma, this.cursor.position, this.cursor.pending(), FEED_PAGE);
      if (step.ids.length === 0) {
        if (this.again || this.stale) continue;
        break;
      }
      applied = true;
      if (
        step.ids.length === FEED_PAGE &&
        (await countChangesAfter(this.prisma, this.cursor.position)) > FULL_RELOAD_AFTER
      ) {
        await this.load();
        continue;
      }
      this.live.invalidate(this.live.graph.update(step.streams));
      this.cursor.advance(step.ids);
      this.past.clear();
      // A short page was the whole feed when the look began; what came after is marked `stale`.
      if (step.ids.length < FEED_PAGE && !this.again && !this.stale) break;
    }
    // New names leave the name order and the flat dependents stale: redo them now, not in the next
    // question's cold answer.
    if (applied) warm(this.live.graph);
  }

  /** The current resolver, caught up with the store. */
  async resolve(): Promise<StreamResolver> {
    await this.catchUp();
    return this.live;
  }

  /** The current graph, caught up with the store (what a campaign plan reads). */
  async current(): Promise<CompactDependencyGraph> {
    return (await this.resolve()).graph;
  }

  /** A resolver over the graph as it stood at `at`. */
  async at(at: Date): Promise<StreamResolver> {
    await this.catchUp();
    const key = at.toISOString();
    const cached = this.past.get(key);
    if (cached) return cached;
    const rows = await loadGraph(this.prisma, at);
    const graph = new CompactDependencyGraph();
    graph.load(
      rows.streams.map((s) => `${s.name}:${s.stream}`),
      rows.edges.map((e) => [
        `${e.fromName}:${e.fromStream}`,
        e.type === 'REQUIRES' ? 'requires' : 'buildrequires',
        `${e.toName}:${e.toStream}`,
      ]),
    );
    const resolver = new StreamResolver(graph, Math.floor(this.cacheBytes / PAST_GRAPHS_KEPT));
    this.past.set(key, resolver);
    if (this.past.size > PAST_GRAPHS_KEPT) this.past.delete(this.past.keys().next().value!);
    return resolver;
  }

  /** Forgets every cached closure (benches time cold answers with it). */
  clearCache(): void {
    this.live.cache.clear();
  }

  /** Changes as a version string, for ETags. */
  version(): string {
    return `${this.cursor.position}.${this.live.graph.version}`;
  }

  /** What the graph and the cached closures hold (for benches and operators). */
  memory(): MetadataMemory {
    const graph = this.live.graph;
    return {
      streams: graph.streamCount,
      nodes: graph.size,
      graphBytes: graph.approximateBytes(),
      cache: this.live.cache.stats,
    };
  }
}

/** What every cold answer needs of a changed graph: its name order and its flat dependents (any relation). */
function warm(graph: CompactDependencyGraph): void {
  graph.nameRanks();
  graph.flatDependents(FILTER_INDEX.all);
}
