// What every bench that talks to real servers starts first, on 127.0.0.1: a scratch directory, a
// private PostgreSQL cluster and a Temporal dev server (in memory, or on a SQLite file in the scratch
// directory) with a client connection. stop() takes down whatever was started, in reverse order, even
// after a failure half-way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../platform/config';
import { startPostgresCluster, type PostgresCluster } from '../platform/postgres-cluster';
import { findTemporalCli } from '../platform/temporal-cli';
import { freePort, startDevServer } from '../platform/temporal-dev-server';

export interface BenchServers {
  scratch: string;
  cluster: PostgresCluster;
  devServer: Awaited<ReturnType<typeof startDevServer>>;
  connection: Connection;
  /** run at stop(), last added first */
  onStop(cleanup: () => Promise<void>): void;
  stop(): Promise<void>;
}

/**
 * Where the dev server keeps its executions. `memory` (the default) is the fastest, but holds every
 * closed history in the server's memory: about 55 KB an execution, so a 40,000-module campaign's
 * 80,000 executions took it past 4 GB and it failed. `file` keeps them on disk (WAL, as `make start`).
 */
export type TemporalStore = 'memory' | 'file';

export async function startBenchServers(
  name: string,
  temporalStore: TemporalStore = 'memory',
  postgresSettings: Record<string, string> = {},
): Promise<BenchServers> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `cascade-bench-${name}-`));
  const cleanups: (() => Promise<void>)[] = [async () => fs.rmSync(scratch, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('bench cleanup:', error);
      }
    }
    cleanups.length = 0;
  };
  try {
    const cluster = await startPostgresCluster(await freePort(), postgresSettings);
    cleanups.push(() => cluster.stop());
    const environment = loadConfig();
    const cliPath = findTemporalCli(
      environment.temporal.cliPath,
      path.resolve(__dirname, '..'),
      environment.systemPath,
    );
    if (!cliPath) throw new Error("no Temporal CLI found: run 'make bootstrap'");
    const devServer = await startDevServer({
      cliPath,
      port: await freePort(),
      ...(temporalStore === 'file' ? { dbFile: path.join(scratch, 'temporal', 'temporal.db') } : {}),
    });
    cleanups.push(() => devServer.stop());
    const connection = await Connection.connect({ address: devServer.address });
    cleanups.push(() => connection.close());
    return { scratch, cluster, devServer, connection, onStop: (c) => cleanups.push(c), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
