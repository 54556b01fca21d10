// The embedded channel: one Notification row per recipient, read through the API's inbox. Each row's
// dedupe key is `<message key>/<user name>`, so an activity retried after a crash writes nothing twice.
import type { PrismaClient } from '@prisma/client';
import { insertNotifications } from '../../store/notifications';
import { checkNotificationMessage, type NotificationMessage, type Notifier } from './notifier';
import { storeRecipientResolver, type RecipientResolver } from './recipients';

export class InboxNotifier implements Notifier {
  private readonly resolveRecipients: RecipientResolver;

  constructor(private readonly deps: { prisma: PrismaClient; resolveRecipients?: RecipientResolver }) {
    this.resolveRecipients = deps.resolveRecipients ?? storeRecipientResolver(deps.prisma);
  }

  async notify(message: NotificationMessage): Promise<{ delivered: number }> {
    checkNotificationMessage(message);
    const recipients = await this.resolveRecipients(message.recipients);
    await insertNotifications(
      this.deps.prisma,
      recipients.map((user) => ({
        userId: user.id,
        kind: message.kind,
        subject: message.subject,
        body: message.body,
        campaignId: message.campaignId ?? null,
        module: message.module ?? null,
        moduleBuild: message.moduleBuild ?? null,
        dedupeKey: `${message.dedupeKey}/${user.name}`,
      })),
    );
    return { delivered: recipients.length };
  }
}
