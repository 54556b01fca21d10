// Notifications in the store: who to tell (maintainers from Maintainership, release engineers, users by
// name), the append-only inbox rows (one per person, unique by dedupe key, so a retried write adds
// nothing), and a person's inbox as the API reads and marks it.
import type { Notification, Prisma, PrismaClient } from '@prisma/client';

export interface UserContact {
  id: string;
  name: string;
  email: string | null;
}

const contact = { id: true, name: true, email: true } as const;

/** The maintainers of each named repository that has any: `name` → its maintainers. */
export async function maintainersOf(
  prisma: PrismaClient,
  namespace: 'modules' | 'rpms',
  names: string[],
): Promise<Map<string, UserContact[]>> {
  const byName = new Map<string, UserContact[]>();
  if (names.length === 0) return byName;
  const rows = await prisma.maintainership.findMany({
    where: { namespace, name: { in: names } },
    select: { name: true, user: { select: contact } },
  });
  for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row.user]);
  return byName;
}

/** The users with these names that exist (unknown names are left out). */
export async function usersNamed(prisma: PrismaClient, names: string[]): Promise<UserContact[]> {
  if (names.length === 0) return [];
  return prisma.user.findMany({ where: { name: { in: names } }, select: contact });
}

export async function releaseEngineers(prisma: PrismaClient): Promise<UserContact[]> {
  return prisma.user.findMany({ where: { role: 'RELEASE_ENGINEER' }, select: contact });
}

export type NotificationRow = Pick<
  Notification,
  'userId' | 'kind' | 'subject' | 'body' | 'campaignId' | 'module' | 'moduleBuild' | 'dedupeKey'
>;

/** Writes the rows whose dedupe key is new; returns how many were new. */
export async function insertNotifications(prisma: PrismaClient, rows: NotificationRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const { count } = await prisma.notification.createMany({ data: rows, skipDuplicates: true });
  return count;
}

/** A position in an inbox listed newest first: the last row of the page before. */
export interface InboxPosition {
  createdAt: Date;
  id: string;
}

export interface InboxQuery {
  unreadOnly: boolean;
  campaignId?: string;
  limit: number;
  after?: InboxPosition;
}

export const inboxItemFields = {
  id: true,
  kind: true,
  subject: true,
  body: true,
  campaignId: true,
  module: true,
  moduleBuild: true,
  createdAt: true,
  readAt: true,
} as const;

export type InboxItem = Prisma.NotificationGetPayload<{ select: typeof inboxItemFields }>;

/** One page of a user's notifications, newest first (ties broken by id, so pages never overlap). */
export async function listInbox(
  prisma: PrismaClient,
  userId: string,
  query: InboxQuery,
): Promise<{ items: InboxItem[]; next?: InboxPosition }> {
  const where: Prisma.NotificationWhereInput = {
    userId,
    ...(query.unreadOnly ? { readAt: null } : {}),
    ...(query.campaignId ? { campaignId: query.campaignId } : {}),
    ...(query.after
      ? {
          OR: [
            { createdAt: { lt: query.after.createdAt } },
            { createdAt: query.after.createdAt, id: { lt: query.after.id } },
          ],
        }
      : {}),
  };
  // one row more than asked tells whether another page exists
  const rows = await prisma.notification.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    select: inboxItemFields,
  });
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > query.limit && last ? { createdAt: last.createdAt, id: last.id } : undefined };
}

export async function countUnread(prisma: PrismaClient, userId: string, campaignId?: string): Promise<number> {
  return prisma.notification.count({ where: { userId, readAt: null, ...(campaignId ? { campaignId } : {}) } });
}

/**
 * Marks one of the user's notifications read (keeping the first read time); undefined when the user
 * has no notification with that id, whoever else it belongs to.
 */
export async function markRead(
  prisma: PrismaClient,
  userId: string,
  id: string,
  now = new Date(),
): Promise<InboxItem | undefined> {
  await prisma.notification.updateMany({ where: { id, userId, readAt: null }, data: { readAt: now } });
  return (await prisma.notification.findFirst({ where: { id, userId }, select: inboxItemFields })) ?? undefined;
}

/** Marks all the user's unread notifications read; returns how many changed. */
export async function markAllRead(prisma: PrismaClient, userId: string, now = new Date()): Promise<number> {
  const { count } = await prisma.notification.updateMany({ where: { userId, readAt: null }, data: { readAt: now } });
  return count;
}
