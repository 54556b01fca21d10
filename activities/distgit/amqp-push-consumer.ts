// The optional AMQP consumer of the distribution's message bus: Fedora `git.receive` messages become
// Cascade push events handed to onPush (which starts the push workflows). Delivery is at-least-once:
// a message is acked only after onPush resolved, so a crash, a dropped connection or a failing onPush
// brings it back. Duplicates are harmless because everything downstream is idempotent: the push
// workflow's id is derived from the ref move (a second start is a no-op) and the store upserts the
// move by its natural key.
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type { DistGitPushEventBody } from '../../api/dist-git-events';
import { GitReceiveMessageError, mapGitReceiveMessage } from './fedora-git-receive';

export interface PushConsumerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface AmqpPushConsumerOptions {
  /** amqp:// or amqps:// URL of the broker; `?heartbeat=30` makes a dead peer show sooner. */
  url: string;
  /** A topic exchange; declared durable unless it is a predeclared `amq.*` one (then only checked). */
  exchange: string;
  /** Durable queue of this consumer, bound to the exchange with bindingKeys. */
  queue: string;
  bindingKeys?: string[];
  onPush: (event: DistGitPushEventBody) => Promise<void>;
  logger?: PushConsumerLogger;
  /** Where rejected (malformed) messages go, as the queue's x-dead-letter-exchange; a policy does as well. */
  deadLetterExchange?: string;
  prefetch?: number;
  /** How long a message whose onPush failed is held before it is requeued, so failures do not spin. */
  retryDelayMs?: number;
  /** First and longest wait before reconnecting after the connection dropped (doubling in between). */
  reconnectDelayMs?: { initial: number; max: number };
  /** How long stop() waits for onPush calls under way before closing (their messages come back). */
  drainTimeoutMs?: number;
}

export interface AmqpPushConsumer {
  stop(): Promise<void>;
}

export class AmqpPushConsumerError extends Error {
  readonly code = 'amqp_consumer_start_failed';
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'AmqpPushConsumerError';
  }
}

const silentLogger: PushConsumerLogger = { info: () => {}, warn: () => {}, error: () => {} };

interface Session {
  connection: ChannelModel;
  channel: Channel;
  consumerTag: string;
  open: boolean;
}

/** Connects, declares the queue and its bindings, and consumes; the first connection must succeed. */
export async function startAmqpPushConsumer(options: AmqpPushConsumerOptions): Promise<AmqpPushConsumer> {
  const logger = options.logger ?? silentLogger;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const backoff = options.reconnectDelayMs ?? { initial: 500, max: 30_000 };
  const target = redactedUrl(options.url);
  let stopping = false;
  let session: Session | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let nextDelay = backoff.initial;
  let connecting: Promise<void> | undefined;
  const retryTimers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();

  const settle = (s: Session, msg: ConsumeMessage, outcome: 'ack' | 'reject' | 'requeue') => {
    // A delivery tag means something only on its own channel; once that channel is gone the broker
    // has requeued the message already, and it will come again on the new one.
    if (!s.open) return;
    try {
      if (outcome === 'ack') s.channel.ack(msg);
      else s.channel.nack(msg, false, outcome === 'requeue');
    } catch (error) {
      logger.warn({ error: String(error) }, 'could not settle a dist-git push message; the broker will redeliver it');
    }
  };

  // The broker puts a requeued message back at the head of the queue: without the pause a failing
  // onPush would spin on it.
  const requeueLater = (s: Session, msg: ConsumeMessage) => {
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      settle(s, msg, 'requeue');
    }, retryDelayMs);
    retryTimers.add(timer);
  };

  const handle = async (s: Session, msg: ConsumeMessage) => {
    const where = { routingKey: msg.fields.routingKey, messageId: msg.properties.messageId as unknown };
    let event: DistGitPushEventBody | undefined;
    try {
      event = mapGitReceiveMessage(decodeJson(msg), { sentAt: sentAt(msg), now: new Date() });
    } catch (error) {
      if (!(error instanceof GitReceiveMessageError)) throw error;
      // Rejected without requeue: a message that cannot be read now never will be, and must not
      // loop; a dead-letter exchange, when configured, keeps it for a person to look at.
      logger.warn({ ...where, code: error.code, field: error.field, error: error.message }, 'rejecting a bad message');
      settle(s, msg, 'reject');
      return;
    }
    if (!event) {
      settle(s, msg, 'ack');
      return;
    }
    try {
      await options.onPush(event);
      settle(s, msg, 'ack');
    } catch (error) {
      logger.warn({ ...where, error: String(error) }, `dist-git push not handled; requeueing in ${retryDelayMs} ms`);
      requeueLater(s, msg);
    }
  };

  const track = (s: Session, msg: ConsumeMessage) => {
    const work = handle(s, msg).catch((error: unknown) => {
      logger.error({ error: String(error) }, 'dist-git push consumer failed on a message; it will be redelivered');
      requeueLater(s, msg);
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  const scheduleReconnect = () => {
    if (stopping || reconnectTimer) return;
    const delay = nextDelay;
    nextDelay = Math.min(nextDelay * 2, backoff.max);
    logger.warn({ broker: target, delayMs: delay }, 'AMQP connection lost; reconnecting');
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connecting = connect();
      connecting.then(
        () => logger.info({ broker: target }, 'AMQP connection restored'),
        (error: unknown) => {
          logger.warn({ broker: target, error: String(error) }, 'AMQP reconnect failed');
          scheduleReconnect();
        },
      );
    }, delay);
  };

  const connect = async () => {
    const connection = await amqp.connect(options.url, {
      clientProperties: { connection_name: `cascade dist-git push consumer (${options.queue})` },
      timeout: 10_000, // socket connect timeout: a silent host must not hold the reconnect loop
    });
    let s: Session | undefined;
    const lost = () => {
      if (s) s.open = false;
      if (session === s) session = undefined;
      scheduleReconnect();
    };
    connection.on('error', (error: unknown) => logger.warn({ error: String(error) }, 'AMQP connection error'));
    try {
      const channel = await connection.createChannel();
      channel.on('error', (error: unknown) => logger.warn({ error: String(error) }, 'AMQP channel error'));
      await declareTopology(channel, options);
      await channel.prefetch(options.prefetch ?? 10);
      s = { connection, channel, consumerTag: '', open: true };
      const current = s;
      // A channel closed by the broker (e.g. a bad ack) leaves the connection up: start over.
      channel.on('close', () => {
        current.open = false;
        if (!stopping) connection.close().catch(() => undefined);
      });
      connection.on('close', lost);
      const { consumerTag } = await channel.consume(options.queue, (msg) => {
        if (msg) track(current, msg);
        else connection.close().catch(() => undefined); // the broker cancelled us (queue deleted)
      });
      current.consumerTag = consumerTag;
      session = current;
      nextDelay = backoff.initial;
      if (stopping) await connection.close(); // stop() came while this reconnect was under way
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  };

  try {
    await connect();
  } catch (error) {
    throw new AmqpPushConsumerError(
      `cannot consume dist-git pushes from ${target} (exchange ${options.exchange}, queue ${options.queue}): ` +
        `${error instanceof Error ? error.message : String(error)}; check the URL, credentials and exchange`,
      { cause: error },
    );
  }
  logger.info({ broker: target, queue: options.queue }, 'consuming dist-git pushes from the message bus');

  return {
    stop: async () => {
      stopping = true;
      clearTimeout(reconnectTimer);
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      await connecting?.catch(() => undefined);
      const s = session;
      if (!s) return;
      await s.channel.cancel(s.consumerTag).catch(() => undefined);
      await waitAtMost(Promise.allSettled([...inFlight]), options.drainTimeoutMs ?? 10_000);
      s.open = false;
      // Unsettled messages (held for retry, or still in onPush) go back to the queue with the channel.
      await s.connection.close().catch(() => undefined);
    },
  };
}

async function declareTopology(channel: Channel, options: AmqpPushConsumerOptions): Promise<void> {
  if (options.exchange.startsWith('amq.')) await channel.checkExchange(options.exchange);
  else await channel.assertExchange(options.exchange, 'topic', { durable: true });
  await channel.assertQueue(options.queue, {
    durable: true,
    ...(options.deadLetterExchange ? { deadLetterExchange: options.deadLetterExchange } : {}),
  });
  for (const key of options.bindingKeys ?? ['#.git.receive']) {
    await channel.bindQueue(options.queue, options.exchange, key);
  }
}

function decodeJson(msg: ConsumeMessage): unknown {
  try {
    return JSON.parse(msg.content.toString('utf8'));
  } catch (error) {
    throw new GitReceiveMessageError('(body)', `is not JSON: ${error instanceof Error ? error.message : error}`);
  }
}

/** The AMQP timestamp property (seconds), else fedora-messaging's `sent-at` header. */
function sentAt(msg: ConsumeMessage): Date | undefined {
  const timestamp: unknown = msg.properties.timestamp;
  if (typeof timestamp === 'number' && timestamp > 0) return new Date(timestamp * 1000);
  const header: unknown = msg.properties.headers?.['sent-at'];
  if (typeof header !== 'string') return undefined;
  const date = new Date(header);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable AMQP URL)';
  }
}

async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
