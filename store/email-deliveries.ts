// E-mail notifications in the store: who chose e-mail (and at which address), and the e-mails already
// sent or finally refused, one row per `<dedupeKey>/<user name>` like the inbox's, so a retried notify
// activity sends nothing it knows it sent.
import type { EmailDelivery, PrismaClient } from '@prisma/client';

export const NOTIFY_CHANNELS = ['inbox', 'email'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

/** Of these users, the ones who chose e-mail and have an address: user id → address. */
export async function emailAddressesOf(prisma: PrismaClient, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await prisma.user.findMany({
    where: { id: { in: userIds }, notifyBy: { has: 'email' }, email: { not: null } },
    select: { id: true, email: true },
  });
  return new Map(rows.filter((r) => r.email).map((r) => [r.id, r.email!]));
}

export type EmailDeliveryRow = Pick<
  EmailDelivery,
  'dedupeKey' | 'userId' | 'address' | 'messageId' | 'status' | 'error'
>;

/** The deliveries already recorded under these keys: dedupe key → its row. */
export async function recordedDeliveries(
  prisma: PrismaClient,
  dedupeKeys: string[],
): Promise<Map<string, EmailDeliveryRow>> {
  if (dedupeKeys.length === 0) return new Map();
  const rows = await prisma.emailDelivery.findMany({ where: { dedupeKey: { in: dedupeKeys } } });
  return new Map(rows.map((r) => [r.dedupeKey, r]));
}

/** Records one delivery; a row already there under its key (another worker's) is kept. */
export async function recordDelivery(prisma: PrismaClient, row: EmailDeliveryRow): Promise<void> {
  await prisma.emailDelivery.createMany({ data: [row], skipDuplicates: true });
}

export interface UserContactSettings {
  name: string;
  role: 'RELEASE_ENGINEER' | 'MAINTAINER' | 'READER';
  email: string | null;
  notifyBy: string[];
}

const settingsFields = { name: true, role: true, email: true, notifyBy: true } as const;

export async function userContactSettings(
  prisma: PrismaClient,
  name: string,
): Promise<UserContactSettings | undefined> {
  return (await prisma.user.findUnique({ where: { name }, select: settingsFields })) ?? undefined;
}

/**
 * Sets a user's address and channels (the fields given; the inbox always kept); undefined when no user
 * has that name. The caller checks that e-mail is not chosen without an address.
 */
export async function updateUserContact(
  prisma: PrismaClient,
  name: string,
  change: { email?: string | null; notifyBy?: NotifyChannel[] },
): Promise<UserContactSettings | undefined> {
  const notifyBy = change.notifyBy && NOTIFY_CHANNELS.filter((c) => c === 'inbox' || change.notifyBy!.includes(c));
  const { count } = await prisma.user.updateMany({
    where: { name },
    data: { ...(change.email !== undefined ? { email: change.email } : {}), ...(notifyBy ? { notifyBy } : {}) },
  });
  return count === 0 ? undefined : userContactSettings(prisma, name);
}
