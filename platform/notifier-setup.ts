// Builds the notifier from config: the inbox in the store always; e-mail when CASCADE_SMTP_HOST is set
// (its password read from CASCADE_SMTP_PASSWORD_FILE); the signed webhook when CASCADE_NOTIFY_WEBHOOK_URL
// is set, its secret read from (or first created in, mode 600) its file.
import fs from 'node:fs';
import type { PrismaClient } from '@prisma/client';
import { createNotifier, type Notifier } from '../activities/notify';
import { ConfigError, type CascadeConfig } from './config';
import { ensureWebhookSecret } from './dist-git-setup';

export function createNotifierFromConfig(notify: CascadeConfig['notify'], prisma: PrismaClient): Notifier {
  const webhook = notify.webhook;
  return createNotifier({
    prisma,
    email: notify.email && emailSettings(notify.email),
    webhook: webhook && { url: webhook.url, secret: ensureWebhookSecret(webhook.secretFile) },
  });
}

function emailSettings(email: NonNullable<CascadeConfig['notify']['email']>) {
  const { host, port, tls, auth } = email;
  return {
    smtp: { host, port, tls, auth: auth && { user: auth.user, password: readPassword(auth.passwordFile) } },
    from: email.from,
    dashboardUrl: email.dashboardUrl,
  };
}

function readPassword(file: string): string {
  let password: string;
  try {
    password = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`CASCADE_SMTP_PASSWORD_FILE ${file}: ${(error as Error).message}`);
  }
  if (!password) throw new ConfigError(`CASCADE_SMTP_PASSWORD_FILE ${file} is empty`);
  return password;
}
