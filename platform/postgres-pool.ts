// The pg pool under Prisma's PostgreSQL adapter, with one repair: a client checked out for an
// interactive transaction whose connection ends (PostgreSQL killed or restarted under it) goes back
// to the pool as broken, so the pool drops it. The adapter gives such a client back only when its
// COMMIT or ROLLBACK succeeds, which on a dead connection it never does: after one PostgreSQL restart
// each transaction in flight kept a pool slot for ever, and once the ten slots were gone every query
// of the process waited for ever (found by the chaos harness: a worker stood still after PostgreSQL
// was killed twice six seconds apart).
import pg from 'pg';

type PoolClient = pg.PoolClient & { release: (err?: Error | boolean) => void };

/** Makes a checked-out client give itself back, as broken, when its connection ends or fails. */
function releaseWhenBroken(client: PoolClient): void {
  const release = client.release;
  let released = false;
  const giveBack = (err?: Error | boolean) => {
    if (released) return;
    released = true;
    client.removeListener('error', onBroken);
    client.removeListener('end', onBroken);
    release(err);
  };
  const onBroken = (err?: Error) => giveBack(err ?? new Error('the connection to PostgreSQL ended'));
  client.on('error', onBroken);
  client.on('end', onBroken);
  client.release = giveBack;
}

export function postgresPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url });
  // An idle client whose connection fails is dropped by the pool; the error must not end the process.
  pool.on('error', () => undefined);
  // The pool sets the client's release just after announcing it: wrap it once that is done.
  pool.on('acquire', (client) => queueMicrotask(() => releaseWhenBroken(client as PoolClient)));
  return pool;
}
