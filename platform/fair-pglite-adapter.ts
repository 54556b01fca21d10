// PGlite runs in this thread and answers through microtasks only, so a loop of Prisma writes never
// lets the event loop reach its macrotask phases: Prisma's findUnique batching (scheduled on the
// macrotask queue), timers and HTTP I/O all starve (measured: 1 read in 1.5 s beside 1,100 creates;
// `npm run bench -- store`), and the embedded API would hang while activities write. This wrapper
// yields to the event loop before every query and every whole transaction, and serves them from one
// first-come-first-served queue.
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';

type Release = () => void;

/** A FIFO mutex: waiters are served strictly in arrival order. */
export class FairQueue {
  private tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<Release> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    let release!: Release;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => turn);
    return previous.then(() => once(release));
  }
}

function once(fn: Release): Release {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

// The adapter's own types come from an older @prisma/driver-adapter-utils; only the calls below are used.
interface Transaction {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}
interface Adapter {
  queryRaw(q: unknown): Promise<unknown>;
  executeRaw(q: unknown): Promise<number>;
  executeScript(s: string): Promise<void>;
  startTransaction(isolation?: unknown): Promise<Transaction>;
}

/**
 * The adapter names a PostgreSQL error's code and text `code` and `message`; Prisma 6.19 reads
 * `originalCode` and `originalMessage` for a raw query's error, and said "Message: `undefined`" without them.
 */
function withOriginal(err: unknown): never {
  const cause = (err as { cause?: Record<string, unknown> } | null)?.cause;
  if (cause && cause.kind === 'postgres' && cause.originalMessage === undefined) {
    cause.originalCode = cause.code;
    cause.originalMessage = cause.message;
  }
  throw err;
}

/** A transaction's own queries keep PostgreSQL's words in their errors too. */
function explainingErrors<T extends object>(tx: T): T {
  const raw = tx as unknown as Adapter;
  return Object.assign(Object.create(Object.getPrototypeOf(tx)), tx, {
    queryRaw: (q: unknown) => raw.queryRaw.call(tx, q).catch(withOriginal),
    executeRaw: (q: unknown) => raw.executeRaw.call(tx, q).catch(withOriginal),
  }) as T;
}

function fairAdapter(inner: Adapter, queue: FairQueue): Adapter {
  const serialized =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const release = await queue.acquire();
      try {
        return await fn(...args).catch(withOriginal);
      } finally {
        release();
      }
    };
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'queryRaw') return serialized(target.queryRaw.bind(target));
      if (prop === 'executeRaw') return serialized(target.executeRaw.bind(target));
      if (prop === 'executeScript') return serialized(target.executeScript.bind(target));
      if (prop === 'startTransaction') {
        return async (isolation?: unknown) => {
          const release = await queue.acquire();
          try {
            const tx = await target.startTransaction(isolation);
            const finish = (fn: () => Promise<void>) => async () => {
              try {
                await fn();
              } finally {
                release();
              }
            };
            return Object.assign(explainingErrors(tx), {
              commit: finish(tx.commit.bind(tx)),
              rollback: finish(tx.rollback.bind(tx)),
            });
          } catch (err) {
            release();
            throw err;
          }
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** A driver-adapter factory for PGlite whose connections serve queries and transactions in arrival order. */
export function createFairPGliteAdapter(pglite: PGlite) {
  const factory = new PrismaPGlite(pglite);
  const queue = new FairQueue();
  const connect = factory.connect.bind(factory);
  return Object.assign(factory, {
    connect: async () =>
      fairAdapter((await connect()) as unknown as Adapter, queue) as unknown as Awaited<ReturnType<typeof connect>>,
    /** Runs `fn` with no Prisma query or transaction in flight (a consistent backup of the data directory). */
    exclusive: async <T>(fn: () => Promise<T>): Promise<T> => {
      const release = await queue.acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
  });
}
