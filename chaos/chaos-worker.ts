// A Cascade worker with zero-cost builds, as its own process, for the chaos harness and the
// two-worker test: `node --import tsx chaos/chaos-worker.ts [<workflow bundle>]`, configured by the
// environment as `npm run worker` is. It prints "worker polling" once it polls.
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { createLogger } from '../platform/logger';
import { connectWorkerConnection } from '../platform/temporal-connection';
import { createCascadeWorker, installTemporalRuntime } from '../workers/worker-runtime';
import { chaosReplacements } from './chaos-builders';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel).child({ component: 'chaos-worker' });
  installTemporalRuntime(logger);
  const db = await openDatabase(config.database);
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
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  console.log(`worker polling ${config.temporal.taskQueue} as ${process.pid}`);
  await running;
  await connection.close();
  await db.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
