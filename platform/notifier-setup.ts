// Builds the notifier from config: the inbox in the store always; e-mail when CASCADE_SMTP_HOST is set
// (its password and CA certificates read from their files); the signed webhook when CASCADE_NOTIFY_WEBHOOK_URL
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
  const { host, port, tls, auth, caFile } = email;
  return {
    smtp: {
      host,
      port,
      tls,
      auth: auth && { user: auth.user, password: readSecretFile('CASCADE_SMTP_PASSWORD_FILE', auth.passwordFile) },
      ca: caFile && readSecretFile('CASCADE_SMTP_CA_FILE', caFile),
    },
    from: email.from,
    dashboardUrl: email.dashboardUrl,
  };
}

/** The file's text, trimmed; a missing, unreadable or empty file is named with its variable. */
function readSecretFile(variable: string, file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`${variable} ${file}: ${(error as Error).message}`);
  }
  if (!text) throw new ConfigError(`${variable} ${file} is empty`);
  return text;
}
