// The embedded stack as `make start` runs it (workers/stack.ts: a Temporal dev server child persisting
// to <data>/temporal.db, PGlite under <data>/pglite, a worker and the API in this one process), with
// zero-cost builds, for the chaos harness to kill whole and start again:
// `node --import tsx chaos/chaos-stack.ts [<workflow bundle>]`. Prints "stack ready" once it serves.
import path from 'node:path';
import { ensureInitialReleaseEngineer } from '../api/identity/tokens';
import { loadConfig } from '../platform/config';
import { prepareLocalDistGit } from '../platform/dist-git-setup';
import { openDatabase } from '../platform/database';
import { createLogger } from '../platform/logger';
import { findTemporalCli } from '../platform/temporal-cli';
import { connectClient, connectWorkerConnection } from '../platform/temporal-connection';
import { startDevServer } from '../platform/temporal-dev-server';
import { apiDependencies, startApiServer } from '../workers/api-server';
import { createCascadeWorker, installTemporalRuntime } from '../workers/worker-runtime';
import { chaosReplacements } from './chaos-builders';

const projectRoot = path.join(__dirname, '..');

async function main(): Promise<void> {
  const config = loadConfig();
  const root = createLogger(config.logLevel);
  installTemporalRuntime(root);
  const cliPath = findTemporalCli(config.temporal.cliPath, projectRoot, config.systemPath);
  if (!cliPath) throw new Error('no Temporal CLI found');
  const server = await startDevServer({
    cliPath,
    port: Number(config.temporal.address.split(':')[1]),
    dbFile: path.join(config.dataDir, 'temporal.db'),
    namespace: config.temporal.namespace,
  });
  const db = await openDatabase(config.database);
  await prepareLocalDistGit(config);
  await ensureInitialReleaseEngineer(db.prisma);
  const connection = await connectWorkerConnection(config.temporal);
  const worker = await createCascadeWorker({
    config,
    prisma: db.prisma,
    connection,
    replace: {
      ...chaosReplacements(config.builds.kojiRoot, db.prisma),
      workflowBundlePath: process.argv[2],
    },
  });
  const workerRun = worker.run();
  const temporal = await connectClient(config.temporal);
  const api = await startApiServer(
    apiDependencies(config, db.prisma, temporal, root.child({ component: 'api' })),
    config.api.host,
    config.api.port,
  );
  console.log(`stack ready ${api.url} temporal ${server.process.pid}`);
  process.once('SIGTERM', () => {
    void (async () => {
      await api.close();
      worker.shutdown();
      await workerRun.catch(() => undefined);
      await temporal.connection.close();
      await connection.close();
      await db.close();
      await server.stop();
      process.exit(0);
    })();
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
