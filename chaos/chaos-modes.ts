// The two deployments the chaos harness runs, each from nothing in its own directory: on PostgreSQL
// (PostgreSQL, the Temporal dev server on its SQLite file, a worker and the API, each a process of its
// own) and embedded (the whole `make start`-like process). Each answers the processes it may kill and
// how to open its store once they are stopped.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { LocalDistGit } from '../activities/distgit';
import { ensureInitialReleaseEngineer } from '../api/identity/tokens';
import { openDatabase, type OpenDatabase } from '../platform/database';
import { applyMigrations } from '../platform/migrations';
import { freePort } from '../platform/temporal-dev-server';
import type { TieredDistribution } from '../bench/tiered-distribution';
import { loadChaosDistribution } from './chaos-distribution';
import {
  nodeProcess,
  postgresProcess,
  temporalProcess,
  type ManagedProcess,
  type ProcessKind,
} from './chaos-processes';

export type ChaosMode = 'postgres' | 'embedded';

export const KILLABLE: Record<ChaosMode, ProcessKind[]> = {
  postgres: ['worker', 'api', 'temporal', 'postgres'],
  embedded: ['stack'],
};

export interface Deployment {
  mode: ChaosMode;
  dir: string;
  apiUrl: string;
  temporalAddress: string;
  taskQueue: string;
  kojiRoot: string;
  /** where composes are published */
  mirrorRoot: string;
  distGit: LocalDistGit;
  adminToken: string;
  /** in start order */
  processes: ManagedProcess[];
  /** the store, for the checks: on PostgreSQL while it runs; embedded only once the stack stopped */
  openStore(): Promise<OpenDatabase>;
  /**
   * Embedded: PGlite is the stack's alone and Temporal its child, so the checks stop the stack and read
   * its Temporal file with a dev server of their own (answers how to stop that one).
   */
  beforeChecks?(): Promise<() => Promise<void>>;
}

export interface DeploymentOptions {
  mode: ChaosMode;
  dir: string;
  cliPath: string;
  bundlePath: string;
  distribution: TieredDistribution;
  concurrency: number;
  /** modules built for real (LocalKoji's rpmbuild, a real module repository); the compose's variant */
  realModules: string[];
  /** modules whose build fails its first CI run */
  failingModules: string[];
  /** a compose after each campaign */
  compose: boolean;
}

const TASK_QUEUE = 'chaos';

function baseEnv(dir: string, options: DeploymentOptions, apiPort: number, temporalPort: number) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    TEMPORAL_CLI: options.cliPath,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    CASCADE_TASK_QUEUE: TASK_QUEUE,
    CASCADE_DATA_DIR: dir,
    CASCADE_API_PORT: String(apiPort),
    CASCADE_CAMPAIGN_BRANCHES: 'f29',
    CASCADE_CAMPAIGN_CONCURRENCY: String(options.concurrency),
    CASCADE_LOG_LEVEL: 'warn',
    CASCADE_CHAOS_REAL_MODULES: options.realModules.join(','),
    CASCADE_CHAOS_FAILING_MODULES: options.failingModules.join(','),
    // every compose stays on the mirror, so the checks see each published once
    CASCADE_COMPOSE_KEEP: '1000',
  };
}

export async function prepareDeployment(options: DeploymentOptions): Promise<Deployment> {
  const dir = options.dir;
  fs.mkdirSync(dir, { recursive: true });
  const apiPort = await freePort();
  const temporalPort = await freePort();
  const env = baseEnv(dir, options, apiPort, temporalPort);
  const distGit = new LocalDistGit({ root: path.join(dir, 'distgit') });
  const common = {
    dir,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    temporalAddress: env.TEMPORAL_ADDRESS,
    taskQueue: TASK_QUEUE,
    kojiRoot: path.join(dir, 'koji'),
    mirrorRoot: path.join(dir, 'mirror'),
    distGit,
  };
  const at = new Date(Date.UTC(2026, 0, 5) + crypto.randomInt(0, 1000) * 60_000);
  if (options.mode === 'embedded') {
    const target = { kind: 'pglite' as const, dataDir: path.join(dir, 'pglite') };
    await applyMigrations(target);
    const db = await openDatabase(target);
    const admin = await ensureInitialReleaseEngineer(db.prisma);
    await loadChaosDistribution(options.distribution, distGit, db.prisma, at, new Set(options.realModules));
    await db.close();
    const stack = nodeProcess({
      kind: 'stack',
      name: 'stack',
      script: 'chaos/chaos-stack.ts',
      args: [options.bundlePath],
      env,
      readyLine: /stack ready/,
      group: true,
      logFile: path.join(dir, 'stack.log'),
    });
    return {
      ...common,
      mode: 'embedded',
      adminToken: admin!.token,
      processes: [stack],
      openStore: () => openDatabase(target),
      async beforeChecks() {
        await stack.stop();
        const reader = temporalProcess({
          cliPath: options.cliPath,
          port: temporalPort,
          dbFile: path.join(dir, 'temporal.db'),
          logFile: path.join(dir, 'temporal-checks.log'),
        });
        await reader.start();
        return () => reader.stop();
      },
    };
  }
  const postgres = postgresProcess({
    dir: path.join(dir, 'pg'),
    port: await freePort(),
    logFile: path.join(dir, 'postgres.log'),
  });
  await postgres.start();
  const admin = new PgClient({ connectionString: postgres.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE cascade');
  await admin.end();
  const target = { kind: 'postgres' as const, url: postgres.url('cascade') };
  await applyMigrations(target);
  const db = await openDatabase(target);
  const issued = await ensureInitialReleaseEngineer(db.prisma);
  await loadChaosDistribution(options.distribution, distGit, db.prisma, at, new Set(options.realModules));
  await db.close();
  const pgEnv = { ...env, DATABASE_URL: target.url };
  const temporal = temporalProcess({
    cliPath: options.cliPath,
    port: temporalPort,
    dbFile: path.join(dir, 'temporal.db'),
    logFile: path.join(dir, 'temporal.log'),
  });
  const worker = nodeProcess({
    kind: 'worker',
    name: 'worker',
    script: 'chaos/chaos-worker.ts',
    args: [options.bundlePath],
    env: pgEnv,
    readyLine: /worker polling/,
    logFile: path.join(dir, 'worker.log'),
  });
  const api = nodeProcess({
    kind: 'api',
    name: 'api',
    script: 'workers/api.ts',
    env: { ...pgEnv, CASCADE_LOG_LEVEL: 'info' },
    readyLine: /API listening/,
    logFile: path.join(dir, 'api.log'),
  });
  return {
    ...common,
    mode: 'postgres',
    adminToken: issued!.token,
    // PostgreSQL already runs; started again only after a kill.
    processes: [postgres, temporal, worker, api],
    openStore: () => openDatabase(target),
  };
}
