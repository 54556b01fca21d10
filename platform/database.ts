// The Prisma client over either database kind. PGlite is one in-process connection, so in embedded
// mode the worker and the API share this client inside one process (see README, "Embedded mode").
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import type { CascadeConfig } from './config';
import { runStatementsOnPool } from '../store/sql';
import { createFairPGliteAdapter } from './fair-pglite-adapter';
import { postgresPool } from './postgres-pool';

type PrismaAdapter = NonNullable<ConstructorParameters<typeof PrismaClient>[0]>['adapter'];

export type DatabaseTarget = CascadeConfig['database'];

export type Database = PrismaClient;

export interface OpenDatabase {
  prisma: PrismaClient;
  close(): Promise<void>;
  /** PGlite only: its data directory as a gzipped tarball, taken between queries after a checkpoint */
  dumpStore?: () => Promise<Blob>;
}

const pgliteSessions = new WeakMap<PrismaClient, PGlite>();

/**
 * How long a transaction may wait to begin: for a pool connection (ten on PostgreSQL) or PGlite's one
 * session. Prisma's default, 2 s, failed about one module in sixty of a 40,000-module campaign at
 * concurrency 50 on two busy cores (P2028, then an activity retry redoing its work); waiting longer is
 * what the activity would have done anyway. A transaction's own time limit stays Prisma's 5 s unless
 * its writer sets one.
 */
const TRANSACTION_OPTIONS = { maxWait: 20_000 };

/** The PGlite session under a client openDatabase made (the metadata service LISTENs on it). */
export function pgliteSessionOf(prisma: PrismaClient): PGlite | undefined {
  return pgliteSessions.get(prisma);
}

export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  if (target.kind === 'postgres') {
    const pool = postgresPool(target.url);
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: TRANSACTION_OPTIONS });
    // the store's hot path runs its statements on the same pool, below Prisma (store/sql.ts)
    runStatementsOnPool(prisma, pool);
    return {
      prisma,
      close: async () => {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  if (!fs.existsSync(target.dataDir)) {
    throw new Error(`no PGlite database at ${target.dataDir}: run 'make bootstrap' to create it and apply migrations`);
  }
  const pglite = await PGlite.create({ dataDir: target.dataDir });
  // pglite-prisma-adapter 0.6 is typed against driver-adapter-utils 6.10; its runtime contract is the
  // one Prisma 6.19 calls (the tests exercise it on every run), so only the types differ.
  const fair = createFairPGliteAdapter(pglite);
  const adapter = fair as unknown as PrismaAdapter;
  const prisma = new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS });
  pgliteSessions.set(prisma, pglite);
  return {
    prisma,
    dumpStore: () => fair.exclusive(() => dumpPGlite(pglite)),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/** A checkpoint first, so the tarball's files hold every committed row without replaying much WAL. */
export async function dumpPGlite(pglite: PGlite): Promise<Blob> {
  await pglite.exec('CHECKPOINT');
  return pglite.dumpDataDir('gzip');
}

/** A cheap round trip, for health checks. */
export async function pingDatabase(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRawUnsafe('SELECT 1');
}
