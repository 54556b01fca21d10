// Builds the notifier from config: the inbox in the store always, and the signed webhook when
// CASCADE_NOTIFY_WEBHOOK_URL is set, its secret read from (or first created in, mode 600) its file.
import type { PrismaClient } from '@prisma/client';
import { createNotifier, type Notifier } from '../activities/notify';
import type { CascadeConfig } from './config';
import { ensureWebhookSecret } from './dist-git-setup';

export function createNotifierFromConfig(notify: CascadeConfig['notify'], prisma: PrismaClient): Notifier {
  const webhook = notify.webhook;
  if (!webhook) return createNotifier({ prisma });
  return createNotifier({ prisma, webhook: { url: webhook.url, secret: ensureWebhookSecret(webhook.secretFile) } });
}
