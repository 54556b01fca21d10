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
