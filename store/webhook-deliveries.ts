// Signed webhook deliveries seen recently (table WebhookDelivery): the memory behind the dist-git
// webhook's replay check. In the store, not in the API's memory, so that every API process of a
// deployment refuses a delivery any one of them has taken.
import type { PrismaClient } from '@prisma/client';

/**
 * Records a delivery id until `expiresAt`; false when it is already recorded (a replay). Expired ids
 * are dropped first: by then the sender's timestamp is outside the window and refused anyway.
 */
export async function rememberDelivery(
  prisma: PrismaClient,
  id: string,
  expiresAt: Date,
  now = new Date(),
): Promise<boolean> {
  await prisma.webhookDelivery.deleteMany({ where: { expiresAt: { lt: now } } });
  try {
    await prisma.webhookDelivery.create({ data: { id, expiresAt, receivedAt: now } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Forgets a delivery whose work could not be started, so that the sender may send it again. */
export async function forgetDelivery(prisma: PrismaClient, id: string): Promise<void> {
  await prisma.webhookDelivery.deleteMany({ where: { id } });
}

// Duck-typed: the PGlite driver adapter's errors carry the code without being the client's class.
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';
}
