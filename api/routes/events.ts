// /api/v1/events: POST /dist-git takes signed push events from dist-git hooks or any sender holding the
// shared secret (unsigned or badly signed: 401, nothing written or started). GET / is the outbox as a
// feed (`?after=<id>`), GET /stream the same events live as server-sent events (events-stream.ts).
import type { PrismaClient } from '@prisma/client';
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { readEventFeed } from '../../store/events';
import type { Logger } from '../../platform/logger';
import { signatureHeader, verifySignature } from '../../platform/body-signature';
import type { RequestWithRawBody } from '../raw-body';
import { DistGitPushEvent, startPushWorkflows } from '../dist-git-events';
import { ApiError } from '../errors';
import { errorResponses, registry, z } from '../openapi-registry';
import { parse } from '../validate';
import { EventFeedQuery, EventFeedPage, EventStreamQuery, streamEvents } from './events-stream';

registry.register('DistGitPushEvent', DistGitPushEvent);
registry.registerPath({
  method: 'post',
  path: '/api/v1/events/dist-git',
  summary: `A dist-git push (one body per push); signed with ${signatureHeader}: sha256=<HMAC-SHA256 of the raw body>`,
  request: { body: { content: { 'application/json': { schema: DistGitPushEvent } } } },
  responses: {
    202: {
      description: 'one workflow per ref move',
      content: { 'application/json': { schema: z.object({ workflowIds: z.array(z.string()) }) } },
    },
    ...errorResponses(400, 401),
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
}): Router {
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
    const event = parse(DistGitPushEvent, req, 'body');
    const workflowIds = await startPushWorkflows(deps.temporal, deps.taskQueue, event);
    res.status(202).json({ workflowIds });
  });
  return router;
}
