// /api/v1/events: POST /dist-git takes signed push events from dist-git hooks or any sender holding the
// shared secret (unsigned or badly signed: 401; sent outside the window or without sentAt and
// deliveryId: 401; a delivery id seen before: 409; nothing written or started). GET / is the outbox as a
// feed (`?after=<id>`), GET /stream the same events live as server-sent events (events-stream.ts).
import type { PrismaClient } from '@prisma/client';
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { readEventFeed } from '../../store/events';
import type { Logger } from '../../platform/logger';
import { signatureHeader, verifySignature } from '../../platform/body-signature';
import type { RequestWithRawBody } from '../raw-body';
import { DistGitPushEvent, DistGitWebhookDelivery, startPushWorkflows } from '../dist-git-events';
import { forgetDelivery, rememberDelivery } from '../../store/webhook-deliveries';
import { ApiError } from '../errors';
import { errorResponses, registry, z } from '../openapi-registry';
import { parse } from '../validate';
import { EventFeedQuery, EventFeedPage, EventStreamQuery, streamEvents } from './events-stream';

/** How far a delivery's sentAt may be from the API's clock, either way, unless configured. */
export const DEFAULT_WEBHOOK_WINDOW_SECONDS = 300;

registry.register('DistGitPushEvent', DistGitPushEvent);
registry.register('DistGitWebhookDelivery', DistGitWebhookDelivery);
registry.registerPath({
  method: 'post',
  path: '/api/v1/events/dist-git',
  summary: `A dist-git push (one body per push); signed with ${signatureHeader}: sha256=<HMAC-SHA256 of the raw body>. The body's sentAt must be within CASCADE_WEBHOOK_WINDOW_SECONDS (default 300) of the API's clock and its deliveryId new: a replay is answered 409`,
  request: { body: { required: true, content: { 'application/json': { schema: DistGitWebhookDelivery } } } },
  responses: {
    202: {
      description: 'one workflow per ref move',
      content: { 'application/json': { schema: z.object({ workflowIds: z.array(z.string()) }) } },
    },
    ...errorResponses(400, 401, 409),
  },
});

registry.registerPath({
  method: 'get',
  path: '/api/v1/events',
  summary:
    "State changes in commit order (the outbox): campaigns, module and component builds, CI results, composes. Page with `after` = the previous page's `next`.",
  request: { query: EventFeedQuery },
  responses: {
    200: { description: 'one page', content: { 'application/json': { schema: EventFeedPage } } },
    ...errorResponses(400),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/events/stream',
  summary:
    'The same events live, as server-sent events (`id: <id>`, `event: <topic>`, `data: <feed item>`); resumes after `Last-Event-ID` or `after`, else from now; a comment every 15 s',
  request: { query: EventStreamQuery },
  responses: {
    200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...errorResponses(400),
  },
});

export function eventRoutes(deps: {
  temporal: Client;
  taskQueue: string;
  webhookSecret: string;
  prisma: PrismaClient;
  logger: Logger;
  /** CASCADE_WEBHOOK_WINDOW_SECONDS */
  webhookWindowSeconds?: number;
}): Router {
  const windowMs = (deps.webhookWindowSeconds ?? DEFAULT_WEBHOOK_WINDOW_SECONDS) * 1000;
  const router = Router();
  router.get('/', async (req, res) => {
    const q = parse(EventFeedQuery, req, 'query');
    res.json(await readEventFeed(deps.prisma, q));
  });
  router.get('/stream', async (req, res) => {
    await streamEvents(deps, req, res);
  });
  router.post('/dist-git', async (req, res) => {
    const raw = (req as unknown as RequestWithRawBody).rawBody;
    const signature = req.get(signatureHeader);
    if (!raw || !signature || !verifySignature(deps.webhookSecret, raw, signature)) {
      throw new ApiError(
        401,
        'invalid_signature',
        `the body must be signed: ${signatureHeader}: sha256=<hex HMAC-SHA256 of the raw body with the shared secret>`,
      );
    }
    const { sentAt, deliveryId, ...event } = parse(DistGitWebhookDelivery, req, 'body');
    if (!sentAt || !deliveryId) {
      throw new ApiError(
        401,
        'unprotected_delivery',
        'the signed body must carry sentAt (ISO 8601, when it was sent) and deliveryId (unique per delivery) against replays; this sender predates them: update its hook',
      );
    }
    const sent = new Date(sentAt).getTime();
    const now = Date.now();
    if (Math.abs(now - sent) > windowMs) {
      throw new ApiError(
        401,
        'stale_delivery',
        `sentAt ${sentAt} is more than ${windowMs / 1000} s from the API's clock`,
        {
          field: 'sentAt',
        },
      );
    }
    // Remembered until sentAt leaves the window: after that the timestamp check refuses the replay.
    if (!(await rememberDelivery(deps.prisma, deliveryId, new Date(sent + windowMs), new Date(now)))) {
      throw new ApiError(409, 'replayed_delivery', `delivery ${deliveryId} was already received`, {
        field: 'deliveryId',
      });
    }
    try {
      const workflowIds = await startPushWorkflows(deps.temporal, deps.taskQueue, event);
      res.status(202).json({ workflowIds });
    } catch (error) {
      await forgetDelivery(deps.prisma, deliveryId);
      throw error;
    }
  });
  return router;
}
