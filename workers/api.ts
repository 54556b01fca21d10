// Production API process: `npm run api`.
import { loadConfig } from '../platform/config';
import { prepareLocalDistGit } from '../platform/dist-git-setup';
import { openDatabase } from '../platform/database';
import { createLogger } from '../platform/logger';
import { connectClient } from '../platform/temporal-connection';
import { apiDependencies, startApiServer } from './api-server';
import { startPushConsumer } from './push-consumer';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel).child({ component: 'api' });
  const db = await openDatabase(config.database);
  await prepareLocalDistGit(config);
  const temporal = await connectClient(config.temporal);
  const api = await startApiServer(
    apiDependencies(config, db.prisma, temporal, logger),
    config.api.host,
    config.api.port,
  );
  logger.info({ url: api.url }, 'API listening');
  const pushConsumer = await startPushConsumer(config, temporal, logger);
  const stop = async () => {
    await pushConsumer?.stop();
    await api.close();
    await temporal.connection.close();
    await db.close();
    logger.info('API stopped');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
