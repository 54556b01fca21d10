// Push events the dist-git hooks spooled while the API was down (activities/distgit/hook-config.ts):
// started when the API server starts, then removed. Here, not in api/, because it reads the spool
// through the dist-git adapter's files, which the API does not import.
import type { Client } from '@temporalio/client';
import { readSpool, removeSpooled } from '../activities/distgit';
import { DistGitPushEvent, startPushWorkflows } from '../api/dist-git-events';
import type { Logger } from '../platform/logger';

export async function replaySpooledPushes(
  root: string,
  temporal: Client,
  taskQueue: string,
  logger: Logger,
): Promise<number> {
  let replayed = 0;
  for (const spooled of await readSpool(root)) {
    let json: unknown;
    try {
      json = JSON.parse(spooled.body);
    } catch {
      json = undefined;
    }
    const parsed = DistGitPushEvent.safeParse(json);
    if (!parsed.success) {
      logger.warn({ file: spooled.file, error: parsed.error.message }, 'ignoring a malformed spooled push event');
      continue;
    }
    await startPushWorkflows(temporal, taskQueue, parsed.data);
    await removeSpooled(spooled.file);
    replayed += 1;
  }
  return replayed;
}

/** How often a running API looks at the spool again. */
export const SPOOL_REPLAY_EVERY_MS = 10_000;

/**
 * Replays the spool every `everyMs` while the API runs, not only when it starts: a push spooled while
 * the API was up but could not start its workflow (Temporal down: the API answered 5xx and the hook
 * spooled the event) would otherwise wait for the API's next restart. Answers how to stop it.
 */
export function replaySpooledPushesEvery(
  root: string,
  temporal: Client,
  taskQueue: string,
  logger: Logger,
  everyMs = SPOOL_REPLAY_EVERY_MS,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = replaySpooledPushes(root, temporal, taskQueue, logger)
      .then((replayed) => {
        if (replayed) logger.info({ replayed }, 'replayed spooled push events');
      })
      .catch((err) => logger.warn({ err }, 'spooled push events not replayed yet; trying again'))
      .finally(() => (running = undefined));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
