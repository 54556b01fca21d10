// The notifier Cascade runs with: the inbox always, then e-mail and the webhook when configured.
import type { PrismaClient } from '@prisma/client';
import { EmailNotifier, type EmailNotifierOptions } from './email-notifier';
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

/**
 * The inbox always; e-mail to the people who chose it when an SMTP server is configured (its password
 * already read); the signed webhook too when one is configured (the secret already read).
 */
export function createNotifier(deps: {
  prisma: PrismaClient;
  email?: Omit<EmailNotifierOptions, 'prisma' | 'resolveRecipients'>;
  webhook?: { url: string; secret: string };
}): Notifier {
  const resolveRecipients = storeRecipientResolver(deps.prisma);
  const channels: Notifier[] = [new InboxNotifier({ prisma: deps.prisma, resolveRecipients })];
  if (deps.email) channels.push(new EmailNotifier({ ...deps.email, prisma: deps.prisma, resolveRecipients }));
  if (deps.webhook) channels.push(new WebhookNotifier({ ...deps.webhook, resolveRecipients }));
  return channels.length === 1 ? channels[0]! : new SequentialNotifier(channels);
}
