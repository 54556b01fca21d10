// Applies the committed migrations (prisma/migrations/<name>/migration.sql, made by
// `prisma migrate diff`) to PGlite or PostgreSQL, each in its own transaction, recording them in
// Prisma's own `_prisma_migrations` table with Prisma's checksum (SHA-256 of the file).
//
// Why not `prisma migrate deploy`: with `engine: 'js'`, Prisma 6.19's schema engine fails through
// @prisma/adapter-pg ("Column type 'name' could not be deserialized"), and through the PGlite
// adapter it exits without closing PGlite, which leaves the data directory unopenable.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import type { CascadeConfig } from './config';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'prisma', 'migrations');

interface SqlSession {
  exec(sql: string): Promise<void>;
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

async function openSession(target: CascadeConfig['database']): Promise<SqlSession> {
  if (target.kind === 'postgres') {
    const client = new Client({ connectionString: target.url });
    await client.connect();
    return {
      exec: async (sql) => void (await client.query(sql)),
      rows: async (sql, params) => (await client.query(sql, params)).rows,
      close: () => client.end(),
    };
  }
  fs.mkdirSync(target.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: target.dataDir });
  return {
    exec: async (sql) => void (await db.exec(sql)),
    rows: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    close: () => db.close(),
  };
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Prisma's own advisory lock key, so Cascade and Prisma's CLI never migrate one database at once.
const LOCK_KEY = 72707369;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export async function applyMigrations(
  target: CascadeConfig['database'],
  dir = MIGRATIONS_DIR,
): Promise<MigrationReport> {
  const migrations = readMigrations(dir);
  const session = await openSession(target);
  try {
    await session.rows('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await session.exec(CREATE_TABLE);
    const done = await session.rows<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Map(done.map((r) => [r.migration_name, r.checksum]));
    const report: MigrationReport = { applied: [], alreadyApplied: 0 };
    for (const m of migrations) {
      const existing = applied.get(m.name);
      if (existing) {
        if (existing !== m.checksum) {
          throw new Error(
            `migration ${m.name} was changed after it was applied (checksum differs); add a new migration instead`,
          );
        }
        report.alreadyApplied += 1;
        continue;
      }
      await session.exec('BEGIN');
      try {
        await session.exec(m.sql);
        await session.rows(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [crypto.randomUUID(), m.checksum, m.name],
        );
        await session.exec('COMMIT');
      } catch (err) {
        await session.exec('ROLLBACK');
        throw new Error(
          `migration ${m.name} failed and was rolled back: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      report.applied.push(m.name);
    }
    await session.rows('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    return report;
  } finally {
    await session.close();
  }
}
