// The notifier Cascade runs with: the inbox always, then the webhook when one is configured.
import type { PrismaClient } from '@prisma/client';
import { InboxNotifier } from './inbox-notifier';
import type { NotificationMessage, Notifier } from './notifier';
import { storeRecipientResolver } from './recipients';
import { WebhookNotifier } from './webhook-notifier';

/**
 * Sends through each channel in order and stops at the first failure. The inbox goes first: its write
 * is idempotent, so when a later channel fails and the activity retries, the inbox gains nothing twice.
 */
export class SequentialNotifier implements Notifier {
  constructor(private readonly channels: Notifier[]) {}

  async notify(message: NotificationMessage): Promise<{ delivered: number }> {
    let delivered = 0;
    for (const channel of this.channels) delivered = Math.max(delivered, (await channel.notify(message)).delivered);
    return { delivered };
  }
}

/** The inbox always; the signed webhook too when one is configured (the secret already read). */
export function createNotifier(deps: { prisma: PrismaClient; webhook?: { url: string; secret: string } }): Notifier {
  const resolveRecipients = storeRecipientResolver(deps.prisma);
  const inbox = new InboxNotifier({ prisma: deps.prisma, resolveRecipients });
  if (!deps.webhook) return inbox;
  return new SequentialNotifier([inbox, new WebhookNotifier({ ...deps.webhook, resolveRecipients })]);
}
