// The production channel beside the inbox: a signed POST of the message to one configured URL (a chat
// bridge, a mailer). Signed like dist-git's push events (X-Cascade-Signature: sha256=<HMAC-SHA256 of the
// raw body>, the same function), with the message's dedupe key as Idempotency-Key so a receiver can drop
// the repeat a retried activity sends. Errors name the URL's origin only: webhook paths often hold secrets.
import { ApplicationFailure } from '@temporalio/activity';
import { signatureHeader, signBody } from '../distgit';
import { checkNotificationMessage, type NotificationMessage, type Notifier, type Recipient } from './notifier';
import type { RecipientResolver } from './recipients';

export const idempotencyKeyHeader = 'Idempotency-Key';
const DEFAULT_TIMEOUT_MS = 10_000;

export interface WebhookNotifierOptions {
  url: string;
  secret: string;
  /** per request, default 10 s */
  timeoutMs?: number;
  /** the same people the inbox is written for (storeRecipientResolver) */
  resolveRecipients: RecipientResolver;
}

/** What the receiver gets (JSON); `recipients` are the people the inbox was written for. */
export interface WebhookPayload {
  kind: string;
  subject: string;
  body: string;
  campaignId: string | null;
  module: string | null;
  moduleBuild: string | null;
  recipients: { name: string; email: string | null }[];
}

export function webhookPayload(message: NotificationMessage, recipients: Recipient[]): WebhookPayload {
  return {
    kind: message.kind,
    subject: message.subject,
    body: message.body,
    campaignId: message.campaignId ?? null,
    module: message.module ?? null,
    moduleBuild: message.moduleBuild ?? null,
    recipients: recipients.map((r) => ({ name: r.name, email: r.email })),
  };
}

export class WebhookNotifier implements Notifier {
  private readonly origin: string;

  constructor(private readonly options: WebhookNotifierOptions) {
    this.origin = new URL(options.url).origin;
  }

  async notify(message: NotificationMessage): Promise<{ delivered: number }> {
    checkNotificationMessage(message);
    const recipients = await this.options.resolveRecipients(message.recipients);
    await this.post(JSON.stringify(webhookPayload(message, recipients)), message.dedupeKey);
    return { delivered: recipients.length };
  }

  private async post(body: string, idempotencyKey: string): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let response: Response;
    let answer: string;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'cascade-notify',
          [signatureHeader]: signBody(this.options.secret, body),
          [idempotencyKeyHeader]: idempotencyKey,
        },
        body,
        // a redirected POST may turn into a GET elsewhere; the configured URL is the one to fix
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      answer = await response.text();
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : describeFetchError(error);
      throw ApplicationFailure.retryable(`notify webhook ${this.origin}: ${reason}`, 'NotifyWebhookUnreachable');
    }
    if (response.ok) return;
    const said = `notify webhook ${this.origin} answered ${response.status} ${response.statusText}: ${answer.slice(0, 200)}`;
    // a 4xx will be the same on every retry (bad URL, bad secret), except a timeout or a rate limit
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429)
      throw ApplicationFailure.nonRetryable(said, 'NotifyWebhookRejected');
    throw ApplicationFailure.retryable(said, 'NotifyWebhookFailed');
  }
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : error.cause ? String(error.cause) : '';
  return cause ? `${error.message} (${cause})` : error.message;
}
