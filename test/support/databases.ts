// Fresh, migrated databases for a test: a PostgreSQL database cloned from the migrated template,
// or a PGlite data directory copied from the migrated template directory.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { Client } from 'pg';
import { openDatabase, type OpenDatabase } from '../../platform/database';
import type { CascadeConfig } from '../../platform/config';
import { testEnvironment } from './environment';

export type DatabaseKind = 'pglite' | 'postgres';
export const DATABASE_KINDS: DatabaseKind[] = ['pglite', 'postgres'];

export interface TestDatabase extends OpenDatabase {
  target: CascadeConfig['database'];
  drop(): Promise<void>;
}

export async function freshDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  if (kind === 'pglite') {
    const dataDir = path.join(testEnvironment.scratch(), name);
    fs.cpSync(testEnvironment.pgliteTemplate(), dataDir, { recursive: true });
    const target = { kind: 'pglite' as const, dataDir };
    const db = await openDatabase(target);
    return { ...db, target, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const adminUrl = testEnvironment.pgAdminUrl();
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE cascade_template`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const target = { kind: 'postgres' as const, url: url.toString() };
  const db = await openDatabase(target);
  return {
    ...db,
    target,
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A fresh database of `kind` for the enclosing describe: made before its tests, closed and dropped
 * after them. Answers a getter, since the database exists only once `before` has run.
 */
export function freshDatabaseForSuite(kind: DatabaseKind): () => TestDatabase {
  let db: TestDatabase | undefined;
  before(async () => {
    db = await freshDatabase(kind);
  });
  after(async () => {
    await db?.close();
    await db?.drop();
  });
  return () => {
    if (!db) throw new Error('the suite database is made in before(): use it inside a test');
    return db;
  };
}
