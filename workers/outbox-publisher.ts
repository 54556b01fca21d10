// The outbox's AMQP publisher (CASCADE_AMQP_URL): reads undelivered events in id order, publishes each
// in fedora-messaging's wire format on a confirm channel, and marks them delivered once the broker has
// confirmed them. At least once: a crash between the confirm and the mark publishes the same message
// again with the same message_id, and consumers deduplicate by it. Order per object holds because a
// single publisher always restarts from the oldest undelivered event; run one per deployment.
import amqp, { type ConfirmChannel, type ChannelModel } from 'amqplib';
import type { PrismaClient } from '@prisma/client';
import type { Logger } from '../platform/logger';
import { markEventsDelivered, readUndeliveredEvents, type UndeliveredEvent } from '../store/events';

export interface OutboxPublisherOptions {
  prisma: PrismaClient;
  url: string;
  /** a topic exchange; amq.* ones are predeclared and only checked */
  exchange: string;
  /** prepended to each topic with a dot, e.g. org.fedoraproject.prod */
  topicPrefix: string;
  logger: Logger;
  pollMs?: number;
  batchSize?: number;
  reconnectDelayMs?: { initial: number; max: number };
}

export interface OutboxPublisher {
  stop(): Promise<void>;
}

export const routingKeyFor = (prefix: string, topic: string) => (prefix ? `${prefix}.${topic}` : topic);

/** fedora_messaging.message's sent-at: UTC, whole seconds, isoformat() with +00:00. */
const sentAt = (now: Date) => now.toISOString().replace(/\.\d{3}Z$/, '+00:00');

function publishOne(channel: ConfirmChannel, exchange: string, prefix: string, event: UndeliveredEvent): boolean {
  return channel.publish(
    exchange,
    routingKeyFor(prefix, event.topic),
    Buffer.from(JSON.stringify(event.body), 'utf8'),
    {
      messageId: event.messageId,
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      deliveryMode: 2,
      priority: 0,
      headers: { ...event.headers, 'sent-at': sentAt(new Date()) },
    },
  );
}

async function connect(o: OutboxPublisherOptions): Promise<{ connection: ChannelModel; channel: ConfirmChannel }> {
  const connection = await amqp.connect(o.url);
  const channel = await connection.createConfirmChannel();
  if (o.exchange.startsWith('amq.')) await channel.checkExchange(o.exchange);
  else await channel.assertExchange(o.exchange, 'topic', { durable: true });
  return { connection, channel };
}

/** Publishes one batch and waits for the broker's confirms; true when there may be more. */
async function deliverBatch(o: OutboxPublisherOptions, channel: ConfirmChannel, size: number): Promise<boolean> {
  const events = await readUndeliveredEvents(o.prisma, size);
  if (events.length === 0) return false;
  for (const event of events) {
    if (!publishOne(channel, o.exchange, o.topicPrefix, event)) await new Promise((r) => channel.once('drain', r));
  }
  await channel.waitForConfirms();
  await markEventsDelivered(
    o.prisma,
    events.map((e) => e.id),
  );
  return events.length === size;
}

export function startOutboxPublisher(o: OutboxPublisherOptions): OutboxPublisher {
  const pollMs = o.pollMs ?? 500;
  const size = o.batchSize ?? 100;
  const backoff = o.reconnectDelayMs ?? { initial: 500, max: 30_000 };
  let running = true;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const run = async () => {
    let delay = backoff.initial;
    while (running) {
      let session: Awaited<ReturnType<typeof connect>> | undefined;
      try {
        session = await connect(o);
        const lost = new Promise<never>((_, reject) =>
          session!.connection.once('close', () => reject(new Error('the broker closed the connection'))),
        );
        lost.catch(() => {});
        o.logger.info({ exchange: o.exchange, prefix: o.topicPrefix || null }, 'publishing events to the message bus');
        delay = backoff.initial;
        while (running) {
          const more = await Promise.race([deliverBatch(o, session.channel, size), lost]);
          if (!more) await Promise.race([sleep(pollMs), lost]);
        }
      } catch (err) {
        if (!running) break;
        o.logger.warn({ err, retryInMs: delay }, 'event publisher lost the broker; undelivered events stay queued');
        await sleep(delay);
        delay = Math.min(delay * 2, backoff.max);
      } finally {
        await session?.connection.close().catch(() => {});
      }
    }
  };
  const done = run();
  return {
    async stop() {
      running = false;
      wake?.();
      await done;
    },
  };
}
