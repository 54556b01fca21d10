// Against a private RabbitMQ node (platform/rabbitmq-server.ts): what the consumer acks, rejects and
// redelivers, and that it comes back after the broker went away.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { DistGitPushEventBody } from '../../../api/dist-git-events';
import {
  startAmqpPushConsumer,
  type AmqpPushConsumer,
  type PushConsumerLogger,
} from '../../../activities/distgit/amqp-push-consumer';
import { startRabbitMq, type RabbitMqServer } from '../../../platform/rabbitmq-server';

const exchange = 'cascade-test-bus';
const queue = 'cascade-test-git-receive';
const deadLetters = { exchange: 'cascade-test-dead', queue: 'cascade-test-dead-letters' };
const routingKey = 'org.fedoraproject.prod.git.receive';
const revs = { rpms: 'a'.repeat(40), modules: 'b'.repeat(40), ignored: 'c'.repeat(40), late: 'd'.repeat(40) };

function commit(namespace: string, repo: string, branch: string, rev: string) {
  return { namespace, repo, branch, rev, agent: 'alice', username: 'alice', summary: 'x', seen: false };
}

interface LogLine {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

function recordingLogger(lines: LogLine[]): PushConsumerLogger {
  const log = (level: LogLine['level']) => (fields: object, message: string) =>
    lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function publish(channel: ConfirmChannel, key: string, body: unknown, timestamp?: number) {
  const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  channel.publish(exchange, key, content, { contentType: 'application/json', persistent: true, timestamp });
  await channel.waitForConfirms();
}

describe('AMQP dist-git push consumer', { timeout: 120_000 }, () => {
  let broker: RabbitMqServer;
  let publisher: ChannelModel;
  let channel: ConfirmChannel;
  let consumer: AmqpPushConsumer | undefined;
  const received: DistGitPushEventBody[] = [];
  const logLines: LogLine[] = [];
  let failuresLeft = 1;

  before(async () => {
    broker = await startRabbitMq(await freePort());
    publisher = await amqp.connect(broker.url);
    channel = await publisher.createConfirmChannel();
    await channel.assertExchange(deadLetters.exchange, 'fanout', { durable: true });
    await channel.assertQueue(deadLetters.queue, { durable: true });
    await channel.bindQueue(deadLetters.queue, deadLetters.exchange, '');
  });

  after(async () => {
    await consumer?.stop();
    await publisher?.close().catch(() => undefined);
    await broker?.stop();
  });

  it('hands rpms and modules pushes to onPush, dead-letters a malformed one once, and redelivers a failed one', async () => {
    consumer = await startAmqpPushConsumer({
      url: broker.url,
      exchange,
      queue,
      deadLetterExchange: deadLetters.exchange,
      retryDelayMs: 100,
      reconnectDelayMs: { initial: 100, max: 1_000 },
      logger: recordingLogger(logLines),
      onPush: async (event) => {
        received.push(event);
        if (event.updates[0]?.newHash === revs.rpms && failuresLeft-- > 0) throw new Error('Temporal is away');
      },
    });

    await publish(channel, routingKey, { commit: commit('rpms', 'python3', 'f40', revs.rpms) }, 1714550400);
    await publish(channel, 'org.fedoraproject.stg.git.receive', {
      msg: { commit: commit('modules', 'nodejs', '20', revs.modules) },
      timestamp: 1714550500,
    });
    await publish(channel, routingKey, { commit: commit('rpms', 'python3', 'f40', 'not-a-hash') });
    await publish(channel, routingKey, { commit: commit('tests', 'python3', 'main', revs.ignored) });
    await publish(channel, 'org.fedoraproject.prod.bodhi.update.comment', { commit: 'not for us' });

    await eventually('three onPush calls and one dead letter', async () => {
      const dead = await channel.checkQueue(deadLetters.queue);
      return received.length >= 3 && dead.messageCount >= 1;
    });
    // Give a wrongly requeued message time to come back before counting.
    await new Promise((r) => setTimeout(r, 500));

    const byHash = (hash: string) => received.filter((e) => e.updates[0]?.newHash === hash);
    assert.equal(byHash(revs.rpms).length, 2, 'the push whose onPush threw came again and was handled');
    assert.equal(byHash(revs.modules).length, 1);
    assert.equal(byHash(revs.ignored).length, 0, 'the tests namespace is ignored');
    assert.equal(received.length, 3);
    assert.deepEqual(byHash(revs.rpms)[1], {
      source: 'amqp',
      pusher: 'alice',
      pushedAt: '2024-05-01T08:00:00.000Z',
      updates: [{ namespace: 'rpms', name: 'python3', branch: 'f40', oldHash: null, newHash: revs.rpms }],
    });
    assert.deepEqual(byHash(revs.modules)[0], {
      source: 'amqp',
      pusher: 'alice',
      pushedAt: '2024-05-01T08:01:40.000Z',
      updates: [{ namespace: 'modules', name: 'nodejs', branch: '20', oldHash: null, newHash: revs.modules }],
    });

    const rejections = logLines.filter((l) => l.fields.field === 'commit.rev');
    assert.equal(rejections.length, 1, 'the malformed message was read once, not redelivered');
    assert.equal((await channel.checkQueue(deadLetters.queue)).messageCount, 1);
    const dead = await channel.get(deadLetters.queue, { noAck: true });
    assert.ok(dead);
    assert.match(dead.content.toString(), /not-a-hash/);
    const death = (dead.properties.headers?.['x-death'] as { reason: string }[] | undefined)?.[0];
    assert.equal(death?.reason, 'rejected');

    await consumer.stop();
    consumer = undefined;
    const left = await channel.checkQueue(queue);
    assert.equal(left.messageCount, 0, 'everything was acked or dead-lettered');
    assert.equal(left.consumerCount, 0, 'stop() cancelled the consumer');
  });

  it('reconnects after the broker went away and consumes what is published on the new one', async () => {
    consumer = await startAmqpPushConsumer({
      url: broker.url,
      exchange,
      queue,
      deadLetterExchange: deadLetters.exchange, // a queue is redeclared with the arguments it has
      reconnectDelayMs: { initial: 100, max: 1_000 },
      logger: recordingLogger(logLines),
      onPush: async (event) => void received.push(event),
    });
    await publisher.close();
    const { port } = broker;
    await broker.stop();
    broker = await startRabbitMq(port);
    publisher = await amqp.connect(broker.url);
    channel = await publisher.createConfirmChannel();

    // The new node knows nothing: the consumer's reconnect declares the exchange and queue again.
    await eventually('the consumer has redeclared its queue', async () => {
      const probe = await publisher.createChannel();
      probe.on('error', () => undefined);
      try {
        return (await probe.checkQueue(queue)).consumerCount === 1;
      } catch {
        return false;
      } finally {
        await probe.close().catch(() => undefined);
      }
    });
    await publish(channel, routingKey, { commit: commit('rpms', 'bash', 'rawhide', revs.late) });
    await eventually('the late push arrived', () => received.some((e) => e.updates[0]?.newHash === revs.late));
    assert.ok(logLines.some((l) => l.message === 'AMQP connection restored'));
  });
});
