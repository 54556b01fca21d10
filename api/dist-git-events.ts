// Dist-git push events as the API (and the message-bus consumer) receives them: the body's schema,
// and one ref move per update, started through clients/dist-git-push-client.ts.
import type { Client } from '@temporalio/client';
import { startDistGitPushes } from '../clients/dist-git-push-client';
import type { RefMoveInput } from '../workflows/dist-git-push/contracts';
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

/**
 * A push event as the signed webhook carries it: the event plus, inside the signed bytes, when it was
 * sent and an id of its own, so that a captured delivery cannot be replayed. Optional here so that a
 * sender that predates them gets a 401 that says so rather than a 400 about unknown fields.
 */
export const DistGitWebhookDelivery = DistGitPushEvent.extend({
  sentAt: z.iso.datetime({ offset: true }).optional(),
  deliveryId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8 to 128 letters, digits or . _ : -')
    .optional(),
}).strict();

/** One ref move per update, at the push's time, from the path that reported it. */
export function refMovesOf(event: DistGitPushEventBody): RefMoveInput[] {
  const movedAt = new Date(event.pushedAt).toISOString();
  return event.updates.map((u) => ({ ...u, pusher: event.pusher, movedAt, source: event.source }));
}

/** Starts one distGitPush workflow per ref move; answers their ids. */
export function startPushWorkflows(
  temporal: Client,
  taskQueue: string,
  event: DistGitPushEventBody,
): Promise<string[]> {
  return startDistGitPushes(temporal, taskQueue, refMovesOf(event));
}
