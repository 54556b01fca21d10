// Notifications of the change feed for the metadata service: a trigger on DependencyChange
// (migration 20261130100000) notifies the channel below once per transaction that appends to the
// feed, at its commit. On PostgreSQL a dedicated connection LISTENs, reconnecting when it is lost;
// on PGlite the one in-process session LISTENs, and its notifications arrive before the writer's
// commit returns. While a listener listens and nothing was notified, the service needs no probe of
// the feed; whatever may have missed a notification (no listener yet, a lost connection, a new one)
// is reported so that the service probes again.
import type { PGlite } from '@electric-sql/pglite';
import type { PrismaClient } from '@prisma/client';
import pg from 'pg';
import { pgliteSessionOf, type DatabaseTarget } from '../../platform/database';

export const DEPENDENCY_CHANGE_CHANNEL = 'cascade_dependency_change';

/** What a listener reports to the metadata service. */
export interface ChangeSignals {
  /** Something committed to the change feed. */
  changed(): void;
  /** Listening (again): changes committed before now may have gone unnotified. */
  listening(): void;
  /** No longer listening: changes from now on may go unnotified. */
  lost(error?: unknown): void;
}

export interface ChangeListener {
  /** Starts listening in the background; reports through `signals` from then on. */
  start(signals: ChangeSignals): void;
  stop(): Promise<void>;
}

export interface PostgresListenerOptions {
  /** Wait before connecting again after a loss. */
  retryMs?: number;
  /** How often the idle connection is checked (a connection cut without a reset notifies nothing). */
  heartbeatMs?: number;
}

const CONNECT_TIMEOUT_MS = 5000;

/** LISTEN on a connection of its own, reconnecting after `retryMs` whenever it is lost. */
export class PostgresChangeListener implements ChangeListener {
  private client: pg.Client | undefined;
  private signals: ChangeSignals | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly options: PostgresListenerOptions = {},
  ) {}

  /** The listening connection's backend pid (tests end it to cut the listener). */
  backendPid: number | undefined;

  start(signals: ChangeSignals): void {
    this.signals = signals;
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    this.backendPid = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      keepAlive: true,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'cascade metadata listener',
    });
    this.client = client;
    const lose = (error?: unknown) => this.lose(client, error);
    client.on('error', lose);
    client.on('end', () => lose(new Error('the listening connection ended')));
    client.on('notification', () => {
      if (this.client === client) this.signals?.changed();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${DEPENDENCY_CHANGE_CHANNEL}`);
      const pid = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      if (this.client !== client) return;
      this.backendPid = pid.rows[0]?.pid;
      this.heartbeat = setInterval(() => this.check(client), this.options.heartbeatMs ?? 15_000);
      this.heartbeat.unref();
      this.signals?.listening();
    } catch (error) {
      lose(error);
    }
  }

  /** A round trip on the idle connection; no answer in time counts as a loss. */
  private check(client: pg.Client): void {
    const late = setTimeout(() => this.lose(client, new Error('the listening connection stopped answering')), 5000);
    late.unref();
    client.query('SELECT 1').then(
      () => clearTimeout(late),
      (error: unknown) => {
        clearTimeout(late);
        this.lose(client, error);
      },
    );
  }

  private lose(client: pg.Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.backendPid = undefined;
    clearInterval(this.heartbeat);
    client.end().catch(() => undefined);
    this.signals?.lost(error);
    if (this.stopped) return;
    this.retry = setTimeout(() => void this.connect(), this.options.retryMs ?? 1000);
    this.retry.unref();
  }
}

/** LISTEN on the PGlite session the whole process shares (nothing to lose but the database itself). */
export class PGliteChangeListener implements ChangeListener {
  private unlisten: (() => Promise<void>) | undefined;
  private stopped = false;

  constructor(private readonly pglite: PGlite) {}

  start(signals: ChangeSignals): void {
    this.stopped = false;
    this.pglite
      .listen(DEPENDENCY_CHANGE_CHANNEL, () => {
        if (!this.stopped) signals.changed();
      })
      .then(
        async (unlisten) => {
          if (this.stopped) return unlisten().catch(() => undefined);
          this.unlisten = unlisten;
          signals.listening();
        },
        (error: unknown) => signals.lost(error),
      );
  }

  /**
   * Not waiting for the UNLISTEN: it queues behind whatever transaction holds the session (a worker's
   * may run for minutes), and a stopped listener already ignores what arrives.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    void unlisten?.().catch(() => undefined);
  }
}

/** The listener for the database `prisma` was opened on (undefined: the service probes every time). */
export function changeListenerFor(target: DatabaseTarget, prisma: PrismaClient): ChangeListener | undefined {
  if (target.kind === 'postgres') return new PostgresChangeListener(target.url);
  const session = pgliteSessionOf(prisma);
  return session ? new PGliteChangeListener(session) : undefined;
}
