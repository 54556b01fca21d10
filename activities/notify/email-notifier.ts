// The e-mail channel: one plain-text message per person who chose e-mail (User.notifyBy has 'email' and
// an address is known), sent over SMTP. Each message's Message-ID is derived from `<dedupeKey>/<user>`,
// so a message re-sent after a crash carries the same id, and each sent (or finally refused) message is
// recorded under that key, so a retried activity sends nothing it knows it sent. A 5xx reply is final:
// recorded with the server's words, never retried; a 4xx or a connection failure fails the activity
// (retryable) after the others have gone out.
import crypto from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import { ApplicationFailure } from '@temporalio/activity';
import nodemailer, { type Transporter } from 'nodemailer';
import { emailAddressesOf, recordDelivery, recordedDeliveries } from '../../store/email-deliveries';
import { checkNotificationMessage, type NotificationMessage, type Notifier, type Recipient } from './notifier';
import type { RecipientResolver } from './recipients';

/** How to reach the SMTP server: STARTTLS (required), TLS from the first byte, or plain (a local relay). */
export interface SmtpSettings {
  host: string;
  port: number;
  tls: 'starttls' | 'tls' | 'none';
  auth?: { user: string; password: string };
  /** PEM certificates the server's must chain to, instead of the system's (a private CA) */
  ca?: string;
}

export interface EmailNotifierOptions {
  prisma: PrismaClient;
  smtp: SmtpSettings;
  /** the From address, e.g. `Cascade <cascade@example.org>` */
  from: string;
  /** where people open the dashboard; campaign pages are `<dashboardUrl>/campaigns/<id>` */
  dashboardUrl: string;
  /** the same people the inbox is written for (storeRecipientResolver) */
  resolveRecipients: RecipientResolver;
  /** per SMTP step (connect, greeting, each reply), default 30 s */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class EmailNotifier implements Notifier {
  private readonly transport: Transporter;
  private readonly idDomain: string;

  constructor(private readonly options: EmailNotifierOptions) {
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const { smtp } = options;
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.tls === 'tls',
      requireTLS: smtp.tls === 'starttls',
      ignoreTLS: smtp.tls === 'none',
      auth: smtp.auth ? { user: smtp.auth.user, pass: smtp.auth.password } : undefined,
      tls: smtp.ca ? { ca: smtp.ca } : undefined,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    this.idDomain = messageIdDomain(options.from);
  }

  async notify(message: NotificationMessage): Promise<{ delivered: number }> {
    checkNotificationMessage(message);
    const recipients = await this.options.resolveRecipients(message.recipients);
    const addresses = await emailAddressesOf(
      this.options.prisma,
      recipients.map((r) => r.id),
    );
    const wanted = recipients.filter((r) => addresses.has(r.id));
    const keyOf = (r: Recipient) => `${message.dedupeKey}/${r.name}`;
    const recorded = await recordedDeliveries(this.options.prisma, wanted.map(keyOf));
    let delivered = wanted.filter((r) => recorded.get(keyOf(r))?.status === 'sent').length;
    const transient: string[] = [];
    for (const person of wanted.filter((r) => !recorded.has(keyOf(r)))) {
      const outcome = await this.send(message, person, addresses.get(person.id)!, keyOf(person));
      if (outcome === 'sent') delivered += 1;
      if (typeof outcome === 'object') transient.push(`${person.name}: ${outcome.transient}`);
    }
    if (transient.length > 0)
      throw ApplicationFailure.retryable(`notify e-mail: ${transient.join('; ')}`, 'NotifyEmailDeferred');
    return { delivered };
  }

  /** Sends one message and records it when sent or refused for good; a transient failure is only reported. */
  private async send(
    message: NotificationMessage,
    person: Recipient,
    address: string,
    dedupeKey: string,
  ): Promise<'sent' | 'rejected' | { transient: string }> {
    const messageId = this.messageIdFor(dedupeKey);
    const row = { dedupeKey, userId: person.id, address, messageId };
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: address,
        subject: message.subject,
        text: emailBody(message, this.options.dashboardUrl),
        messageId,
        // RFC 3834: an automatic message, so vacation responders stay quiet
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Cascade-Kind': message.kind },
      });
    } catch (error) {
      const reply = smtpReply(error);
      if (reply.code === undefined || reply.code < 500) return { transient: reply.text };
      await recordDelivery(this.options.prisma, { ...row, status: 'rejected', error: reply.text.slice(0, 1000) });
      return 'rejected';
    }
    await recordDelivery(this.options.prisma, { ...row, status: 'sent', error: null });
    return 'sent';
  }

  /** `<cascade.<first 32 hex of sha256(key)>@<the From address's domain>>`: the same for every retry. */
  messageIdFor(dedupeKey: string): string {
    const digest = crypto.createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32);
    return `<cascade.${digest}@${this.idDomain}>`;
  }
}

/** What a person reads: the message, then where to act on it, then why they got it. */
export function emailBody(message: NotificationMessage, dashboardUrl: string): string {
  const lines = [message.body.trimEnd(), ''];
  if (message.campaignId)
    lines.push(`Campaign: ${message.campaignId}  ${dashboardUrl}/campaigns/${encodeURIComponent(message.campaignId)}`);
  if (message.module) lines.push(`Module: ${message.module}${message.moduleBuild ? ` (${message.moduleBuild})` : ''}`);
  lines.push(
    '',
    '-- ',
    `You get this e-mail because you chose e-mail notifications in Cascade (${dashboardUrl}).`,
    'To keep only the inbox: cascade user set --notify inbox',
  );
  return `${lines.join('\n')}\n`;
}

/** The domain a Message-ID is made under: the From address's, so ids stay unique to this deployment. */
function messageIdDomain(from: string): string {
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  const domain = address.slice(address.lastIndexOf('@') + 1).trim();
  return /^[A-Za-z0-9.-]+$/.test(domain) ? domain : 'cascade.invalid';
}

/** The server's reply code (absent when no reply came: a connection failure) and words for the record. */
function smtpReply(error: unknown): { code?: number; text: string } {
  if (!(error instanceof Error)) return { text: String(error) };
  const e = error as Error & { responseCode?: number; response?: string; code?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = e.response ? `${e.response}` : `${e.code ? `${e.code} ` : ''}${e.message}`;
  return { code, text };
}
