// GET /api/v1/events/stream: the outbox as server-sent events, for the dashboard and any client that
// follows Cascade live. Each event is `id: <id>`, `event: <topic>`, `data: <the feed item as JSON>`;
// a reconnecting EventSource sends Last-Event-ID and gets everything after it, so nothing is missed
// while it was away (the ids become visible in increasing order: store/events.ts). The store is
// polled, since the writers may be another process (the worker) than the API.
import type { PrismaClient } from '@prisma/client';
import type { Request, Response } from 'express';
import type { Logger } from '../../platform/logger';
import { latestEventId, readEventFeed, type FeedQuery } from '../../store/events';
import { ApiError } from '../errors';
import { registry, z } from '../openapi-registry';
import { parse } from '../validate';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;
const PAGE = 200;

const eventId = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const filters = {
  topic: z
    .string()
    .regex(/^[a-z0-9._-]{1,200}$/, 'must be a topic prefix: lower-case letters, digits, . _ -')
    .optional()
    .openapi({ description: 'a topic prefix, e.g. mbs. or pungi.compose.phase' }),
  object: z
    .string()
    .min(1)
    .max(400)
    .optional()
    .openapi({ description: 'one object, e.g. campaign/<id>, module-build/<nsvc>, compose/<compose id>' }),
};

export const EventFeedQuery = z
  .object({
    after: eventId.default(0).openapi({ description: "events after this id (the previous page's next)" }),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    ...filters,
  })
  .strict();

export const EventStreamQuery = z
  .object({
    after: eventId.optional().openapi({ description: 'start after this id (Last-Event-ID wins)' }),
    ...filters,
  })
  .strict();

const FeedItem = registry.register(
  'EventFeedItem',
  z.object({
    id: z.number().int(),
    messageId: z.string(),
    topic: z.string(),
    objectKey: z.string(),
    body: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  }),
);
export const EventFeedPage = registry.register(
  'EventFeedPage',
  z.object({
    items: z.array(FeedItem),
    next: z.number().int().nullable().openapi({ description: 'the last id when the page is full, else null' }),
  }),
);

function lastEventId(req: Request): number | undefined {
  const header = req.get('last-event-id');
  if (header === undefined || header === '') return undefined;
  if (!/^[0-9]{1,15}$/.test(header)) {
    throw new ApiError(400, 'invalid_request', 'Last-Event-ID must be an event id (a non-negative integer)', {
      header: 'Last-Event-ID',
    });
  }
  return Number(header);
}

export async function streamEvents(
  deps: { prisma: PrismaClient; logger: Logger },
  req: Request,
  res: Response,
): Promise<void> {
  const q = parse(EventStreamQuery, req, 'query');
  let cursor = lastEventId(req) ?? q.after ?? (await latestEventId(deps.prisma));
  res.status(200).set({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  res.write('retry: 3000\n\n');

  let open = true;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  req.on('close', () => {
    open = false;
    wake?.();
  });
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  try {
    while (open) {
      const query: FeedQuery = { after: cursor, limit: PAGE, topic: q.topic, object: q.object };
      const page = await readEventFeed(deps.prisma, query);
      for (const item of page.items) {
        res.write(`id: ${item.id}\nevent: ${item.topic}\ndata: ${JSON.stringify(item)}\n\n`);
        cursor = item.id;
      }
      if (page.next === null) await sleep(POLL_MS);
    }
  } catch (err) {
    deps.logger.warn({ err }, 'event stream ended by an error');
  } finally {
    clearInterval(heartbeat);
    res.end();
  }
}
