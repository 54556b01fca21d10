// PostgreSQL killed under transactions in flight: Prisma's pg adapter gave a transaction's client back
// only when its COMMIT or ROLLBACK succeeded, so each transaction the kill cut kept a pool slot for
// ever and, the slots gone, every later query waited for ever (a chaos-run worker stood still). With
// the pool of platform/postgres-pool.ts the broken clients are dropped and transactions go on after
// each restart; so do the store's own transactions on the same pool (store/sql.ts). A real PostgreSQL
// of the test's own, SIGKILLed (the postmaster) three times.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Client as PgClient } from 'pg';
import { postgresProcess } from '../../chaos/chaos-processes';
import { openDatabase, type OpenDatabase } from '../../platform/database';
import { freePort } from '../../platform/temporal-dev-server';
import { sql, sqlFor } from '../../store/sql';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the PostgreSQL pool under a killed server', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-pg-pool-'));
  fs.chmodSync(dir, 0o755);
  let pg: ReturnType<typeof postgresProcess> | undefined;
  let db: OpenDatabase | undefined;
  after(async () => {
    await db?.close().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits transactions again after each restart', async () => {
    pg = postgresProcess({ dir: path.join(dir, 'pg'), port: await freePort(), logFile: path.join(dir, 'pg.log') });
    await pg.start();
    const admin = new PgClient({ connectionString: pg.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE pool_test');
    await admin.end();
    db = await openDatabase({ kind: 'postgres', url: pg.url('pool_test') });
    const prisma = db.prisma;
    const runner = sqlFor(prisma);
    let committed = 0;
    let committedBelowPrisma = 0;
    let stop = false;
    // More transactions in flight than the pool has slots, as a busy worker has: through Prisma, and
    // (every third) with the store's prepared statements on the same pool, prepared again on each new
    // connection after a restart.
    const loops = Array.from({ length: 12 }, async (_, i) => {
      while (!stop) {
        try {
          if (i % 3 === 0) {
            await runner.transaction(async (session) => {
              await session.query(sql`SELECT ${1}::int AS one`);
              await session.query(sql`SELECT pg_sleep(${0.05}::float8)::text AS slept`);
            });
            committedBelowPrisma += 1;
          } else
            await prisma.$transaction(async (tx) => {
              await tx.$queryRawUnsafe('SELECT 1 AS one');
              await tx.$queryRawUnsafe('SELECT pg_sleep(0.05)::text AS slept');
            });
          committed += 1;
        } catch {
          await sleep(100);
        }
      }
    });
    for (let kill = 1; kill <= 3; kill += 1) {
      await sleep(1500);
      const before = committed;
      const beforeBelowPrisma = committedBelowPrisma;
      await pg.kill();
      await pg.start();
      // Live again: transactions commit after the restart (without the repair, none ever did).
      const deadline = Date.now() + 60_000;
      while ((committed <= before + 20 || committedBelowPrisma <= beforeBelowPrisma + 5) && Date.now() < deadline)
        await sleep(100);
      assert.ok(committed > before + 20, `after kill ${kill}: ${committed - before} transactions committed`);
      assert.ok(
        committedBelowPrisma > beforeBelowPrisma + 5,
        `after kill ${kill}: ${committedBelowPrisma - beforeBelowPrisma} transactions below Prisma committed`,
      );
    }
    stop = true;
    await Promise.all(loops);
  });
});
