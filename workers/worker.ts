// Production worker process: `npm run worker`.
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { createLogger } from '../platform/logger';
import { connectWorkerConnection } from '../platform/temporal-connection';
import { createCascadeWorker, installTemporalRuntime } from './worker-runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel).child({ component: 'worker' });
  installTemporalRuntime(logger);
  const db = await openDatabase(config.database);
  const connection = await connectWorkerConnection(config.temporal);
  const worker = await createCascadeWorker({ config, prisma: db.prisma, connection });
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'worker polling');
  await worker.run();
  await connection.close();
  await db.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
