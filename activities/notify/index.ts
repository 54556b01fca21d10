// activities/notify/: telling people what a campaign needs from them.
//   notifier.ts            the Notifier adapter, NotificationMessage and the check run before any send
//   recipients.ts          who a message reaches: maintainers from the store, release engineers as fallback
//   inbox-notifier.ts      InboxNotifier: the embedded channel, one Notification row per person (always on)
//   email-notifier.ts      EmailNotifier: SMTP, one message per person who chose e-mail, recorded per key
//   webhook-notifier.ts    WebhookNotifier: a signed POST to a configured URL (production's bridge)
//   create-notifier.ts     createNotifier: the inbox, then e-mail and the webhook when configured
//   notify-activities.ts   createNotifyActivities: the `notify` activity workflows call
// Imported by activities/index.ts and workers (platform/notifier-setup.ts builds it from config);
// workflows import types only.
export { createNotifier, SequentialNotifier } from './create-notifier';
export { EmailNotifier, emailBody } from './email-notifier';
export type { EmailNotifierOptions, SmtpSettings } from './email-notifier';
export { InboxNotifier } from './inbox-notifier';
export { checkNotificationMessage } from './notifier';
export type { NotificationMessage, NotificationRecipients, Notifier, Recipient } from './notifier';
export { storeRecipientResolver } from './recipients';
export type { RecipientResolver } from './recipients';
export { idempotencyKeyHeader, WebhookNotifier, webhookPayload } from './webhook-notifier';
export type { WebhookNotifierOptions, WebhookPayload } from './webhook-notifier';
export { createNotifyActivities } from './notify-activities';
