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
