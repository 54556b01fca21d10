// /api/v1/notifications: the calling user's own inbox (the rows InboxNotifier writes), newest first,
// and marking them read. Every route needs a token; another person's notification answers 404, the same
// as one that does not exist, so ids tell nothing about other people's inboxes.
import type { PrismaClient } from '@prisma/client';
import { Router } from 'express';
import { countUnread, listInbox, markAllRead, markRead, type InboxPosition } from '../../store/notifications';
import { notFound } from '../errors';
import { requireActor } from '../identity/authenticate';
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';
import { parse } from '../validate';
import { CampaignIdParams } from './campaigns.schemas';
import { booleanParam } from './modules.schemas';

const InboxQuery = z
  .object({
    unread: booleanParam.default(false).describe('true: unread ones only'),
    campaign: CampaignIdParams.shape.id.optional().describe("one campaign's notifications only"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      // 13 digits of milliseconds reach the year 2286; more would be a time the store cannot hold
      .regex(/^[0-9]{1,13}\.[A-Za-z0-9_-]{1,64}$/, 'must be a cursor returned as nextCursor')
      .optional(),
  })
  .strict();

const NotificationIdParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a notification id'),
});

const NotificationItem = registry.register(
  'Notification',
  z.object({
    id: z.string(),
    kind: z.string().describe("e.g. 'campaign.module-failed', 'campaign.reminder', 'campaign.finished'"),
    subject: z.string(),
    body: z.string(),
    campaignId: z.string().nullable(),
    module: z.string().nullable().describe('name:stream'),
    moduleBuild: z.string().nullable().describe('name:stream:version:context'),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().nullable(),
  }),
);

const InboxPage = registry.register(
  'NotificationInbox',
  z.object({
    items: z.array(NotificationItem),
    unread: z.number().int().describe('unread notifications of the caller (in the campaign, when one is asked for)'),
    nextCursor: z.string().nullable(),
  }),
);

registry.registerPath({
  method: 'get',
  path: '/api/v1/notifications',
  summary: "The caller's own notifications, newest first",
  security: [{ [bearerAuth.name]: [] }],
  request: { query: InboxQuery },
  responses: {
    200: { description: 'one page of the inbox', content: { 'application/json': { schema: InboxPage } } },
    ...errorResponses(400, 401),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/notifications/{id}/read',
  summary: "Mark one of the caller's notifications read (someone else's: 404)",
  security: [{ [bearerAuth.name]: [] }],
  request: { params: NotificationIdParams },
  responses: {
    200: { description: 'the notification', content: { 'application/json': { schema: NotificationItem } } },
    ...errorResponses(400, 401, 404),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/notifications/read-all',
  summary: "Mark all the caller's notifications read",
  security: [{ [bearerAuth.name]: [] }],
  responses: {
    200: {
      description: 'how many were unread',
      content: { 'application/json': { schema: z.object({ marked: z.number().int() }) } },
    },
    ...errorResponses(401),
  },
});

const encodeCursor = (p: InboxPosition) => `${p.createdAt.getTime()}.${p.id}`;
function decodeCursor(cursor: string): InboxPosition {
  const dot = cursor.indexOf('.');
  return { createdAt: new Date(Number(cursor.slice(0, dot))), id: cursor.slice(dot + 1) };
}

export function notificationRoutes(deps: { prisma: PrismaClient }): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const q = parse(InboxQuery, req, 'query');
    const page = await listInbox(deps.prisma, actor.id, {
      unreadOnly: q.unread,
      campaignId: q.campaign,
      limit: q.limit,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
    });
    res.json({
      items: page.items,
      unread: await countUnread(deps.prisma, actor.id, q.campaign),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    });
  });

  router.post('/read-all', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    res.json({ marked: await markAllRead(deps.prisma, actor.id) });
  });

  router.post('/:id/read', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const { id } = parse(NotificationIdParams, req, 'params');
    const item = await markRead(deps.prisma, actor.id, id);
    if (!item) throw notFound('notification', id);
    res.json(item);
  });

  return router;
}
