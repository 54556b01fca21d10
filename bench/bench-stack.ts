// The real stack for the HTTP benchmarks: a private PostgreSQL cluster, an in-memory headless
// Temporal dev server, and one API per database asked for — in this process (port 0), or as a
// process of its own (workers/api.ts, as production runs it: bench/api-process.ts) whose heap and
// event loop the bench's client does not share. stop() takes down whatever was started, in reverse
// order, even after a failure half-way.
import path from 'node:path';
import { Client as PgClient } from 'pg';
import type { PrismaClient } from '@prisma/client';
import { Client } from '@temporalio/client';
import { ensureInitialReleaseEngineer } from '../api/identity/tokens';
import type { MetadataService } from '../api/metadata/metadata-service';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { createLogger } from '../platform/logger';
import { applyMigrations } from '../platform/migrations';
import { apiDependencies, startApiServer } from '../workers/api-server';
import { startApiProcess, type ApiProcess } from './api-process';
import { startBenchServers } from './bench-servers';
import { freePort } from '../platform/temporal-dev-server';

export interface BenchApi {
  url: string;
  token: string;
  prisma: PrismaClient;
  databaseUrl: string;
  /** The API's metadata service (the deps benches clear its cache to time cold answers). */
  metadata: MetadataService;
}

/** An API running as its own process against the bench's PostgreSQL and Temporal. */
export interface BenchApiProcess {
  url: string;
  token: string;
  /** the bench's own connection to the API's database (for counts, never for the API's answers) */
  prisma: PrismaClient;
  databaseUrl: string;
  process: ApiProcess;
  /** Stops the API process (SIGTERM) and starts a new one on the same database and port. */
  restart(): Promise<ApiProcess>;
}

export interface BenchStack {
  startApi(database: string): Promise<BenchApi>;
  startApiProcess(database: string): Promise<BenchApiProcess>;
  stop(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  const { scratch, cluster, devServer, connection, onStop, stop } = await startBenchServers('http');
  try {
    const logger = createLogger('warn');
    /** A fresh database with the schema and a release engineer; the bench's own connection to it. */
    const prepareDatabase = async (database: string) => {
      if (database !== 'postgres') {
        const admin = new PgClient({ connectionString: cluster.url() });
        await admin.connect();
        await admin.query(`CREATE DATABASE "${database}"`);
        await admin.end();
      }
      const databaseUrl = cluster.url(database);
      await applyMigrations({ kind: 'postgres', url: databaseUrl });
      const db = await openDatabase({ kind: 'postgres', url: databaseUrl });
      onStop(() => db.close());
      const issued = await ensureInitialReleaseEngineer(db.prisma);
      if (!issued) throw new Error(`database ${database} already has a release engineer`);
      return { databaseUrl, db, home: path.join(scratch, database), token: issued.token };
    };
    const apiEnvironment = (databaseUrl: string, home: string) => ({
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: devServer.address,
      CASCADE_DATA_DIR: home,
      CASCADE_DISTGIT_ROOT: path.join(home, 'distgit'),
      CASCADE_WEBHOOK_SECRET_FILE: path.join(home, 'secret'),
    });
    return {
      stop,
      async startApi(database) {
        const { databaseUrl, db, home, token } = await prepareDatabase(database);
        const config = loadConfig(apiEnvironment(databaseUrl, home));
        const temporal = new Client({ connection, namespace: config.temporal.namespace });
        const deps = apiDependencies(config, db.prisma, temporal, logger);
        const api = await startApiServer(deps, '127.0.0.1', 0);
        onStop(() => api.close());
        return { url: api.url, token, prisma: db.prisma, databaseUrl, metadata: deps.metadata };
      },
      async startApiProcess(database) {
        const { databaseUrl, db, home, token } = await prepareDatabase(database);
        const options = {
          port: await freePort(),
          env: { ...apiEnvironment(databaseUrl, home), CASCADE_LOG_LEVEL: 'warn' },
          logFile: path.join(scratch, `${database}-api.log`),
          probeSocket: path.join(scratch, `${database}-probe.sock`),
        };
        let running: ApiProcess | undefined = await startApiProcess(options);
        onStop(async () => running?.stop());
        const api: BenchApiProcess = {
          url: running.url,
          token,
          prisma: db.prisma,
          databaseUrl,
          process: running,
          async restart() {
            await running?.stop();
            running = undefined;
            running = await startApiProcess(options);
            api.process = running;
            return running;
          },
        };
        return api;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
