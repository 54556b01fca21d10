// The real stack for the HTTP benchmarks, in this process: a private PostgreSQL cluster, an
// in-memory headless Temporal dev server, and one API (in-process, port 0) per database asked for.
// stop() takes down whatever was started, in reverse order, even after a failure half-way.
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
import { startBenchServers } from './bench-servers';

export interface BenchApi {
  url: string;
  token: string;
  prisma: PrismaClient;
  databaseUrl: string;
  /** The API's metadata service (the deps benches clear its cache to time cold answers). */
  metadata: MetadataService;
}

export interface BenchStack {
  startApi(database: string): Promise<BenchApi>;
  stop(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  const { scratch, cluster, devServer, connection, onStop, stop } = await startBenchServers('http');
  try {
    const logger = createLogger('warn');
    return {
      stop,
      async startApi(database) {
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
        const home = path.join(scratch, database);
        const config = loadConfig({
          DATABASE_URL: databaseUrl,
          TEMPORAL_ADDRESS: devServer.address,
          CASCADE_DATA_DIR: home,
          CASCADE_DISTGIT_ROOT: path.join(home, 'distgit'),
          CASCADE_WEBHOOK_SECRET_FILE: path.join(home, 'secret'),
        });
        const temporal = new Client({ connection, namespace: config.temporal.namespace });
        const issued = await ensureInitialReleaseEngineer(db.prisma);
        if (!issued) throw new Error(`database ${database} already has a release engineer`);
        const deps = apiDependencies(config, db.prisma, temporal, logger);
        const api = await startApiServer(deps, '127.0.0.1', 0);
        onStop(() => api.close());
        return { url: api.url, token: issued.token, prisma: db.prisma, databaseUrl, metadata: deps.metadata };
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
