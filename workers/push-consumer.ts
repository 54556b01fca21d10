// The optional message-bus consumer of dist-git pushes (CASCADE_AMQP_URL): each git.receive message
// becomes the same distGitPush workflows a signed webhook starts.
import type { Client } from '@temporalio/client';
import { startAmqpPushConsumer, type AmqpPushConsumer } from '../activities/distgit/amqp-push-consumer';
import { startPushWorkflows } from '../api/dist-git-events';
import type { CascadeConfig } from '../platform/config';
import type { Logger } from '../platform/logger';

export async function startPushConsumer(
  config: CascadeConfig,
  temporal: Client,
  logger: Logger,
): Promise<AmqpPushConsumer | undefined> {
  if (!config.amqp) return undefined;
  const consumer = await startAmqpPushConsumer({
    ...config.amqp,
    logger,
    onPush: async (event) => {
      await startPushWorkflows(temporal, config.temporal.taskQueue, event);
    },
  });
  logger.info(
    { exchange: config.amqp.exchange, queue: config.amqp.queue },
    'consuming dist-git pushes from the message bus',
  );
  return consumer;
}
