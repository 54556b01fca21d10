// Dist-git push events into Temporal: one distGitPush workflow per ref move, with an id derived from
// the move, so the same move reported twice (or by two paths) starts one workflow, and the store's
// natural key catches a report that comes after that workflow has finished.
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { readSpool, removeSpooled } from '../activities/distgit';
import type { RefMoveInput } from '../activities/pdc/pdc-activities';
import type { Logger } from '../platform/logger';
import { z } from './openapi-registry';
import { artifactName } from './routes/campaigns.schemas';

const hash = z.string().regex(/^[0-9a-f]{40}$/, 'must be a 40-character hex commit hash');

export const DistGitPushEvent = z
  .object({
    source: z.enum(['hook', 'webhook', 'amqp', 'import']).default('webhook'),
    pusher: z.string().min(1).max(200),
    pushedAt: z.iso.datetime({ offset: true }),
    updates: z
      .array(
        z
          .object({
            namespace: z.enum(['rpms', 'modules']),
            name: artifactName,
            branch: z
              .string()
              .regex(/^(?!-)(?!.*\.\.)(?!.*@\{)[A-Za-z0-9._+/-]{1,200}$/, 'must be a branch name')
              .refine((b) => !b.endsWith('.lock') && !b.endsWith('/'), 'must be a branch name'),
            oldHash: hash.nullable(),
            newHash: hash,
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();

export type DistGitPushEventBody = z.infer<typeof DistGitPushEvent>;

export function pushWorkflowId(u: { namespace: string; name: string; branch: string; newHash: string }): string {
  return `dist-git-push-${u.namespace}-${u.name}-${u.branch}-${u.newHash}`;
}

export async function startPushWorkflows(
  temporal: Client,
  taskQueue: string,
  event: DistGitPushEventBody,
): Promise<string[]> {
  const ids: string[] = [];
  for (const u of event.updates) {
    const workflowId = pushWorkflowId(u);
    const move: RefMoveInput = {
      ...u,
      pusher: event.pusher,
      movedAt: new Date(event.pushedAt).toISOString(),
      source: event.source,
    };
    try {
      await temporal.workflow.start('distGitPush', { workflowId, taskQueue, args: [move] });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    ids.push(workflowId);
  }
  return ids;
}

/** Push events the hooks could not deliver (the API was down) are started now, then removed. */
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
