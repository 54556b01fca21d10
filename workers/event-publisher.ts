// The outbox's AMQP publisher as a process of its own: `tsx workers/event-publisher.ts` (one per
// deployment, beside the workers) when CASCADE_AMQP_URL is set. `make start` runs the same loop in
// its own process (PGlite is one connection), see workers/stack.ts.
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { createLogger } from '../platform/logger';
import { startOutboxPublisher } from './outbox-publisher';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel).child({ component: 'event-publisher' });
  if (!config.events.amqp) throw new Error('CASCADE_AMQP_URL is not set: there is no broker to publish events to');
  const db = await openDatabase(config.database);
  const publisher = startOutboxPublisher({ prisma: db.prisma, logger, ...config.events.amqp });
  const stop = async () => {
    await publisher.stop();
    await db.close();
    logger.info('event publisher stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error('cascade event publisher: ' + (err instanceof Error ? err.message : String(err)));
  process.exit(1);
});
