// Events out, end to end: a small campaign (core built first, then lang:f29 and docs:f29 rebuilt in two
// tiers, with real builds and CI) runs while the outbox publisher, a process of its own, publishes to
// a private RabbitMQ. The publisher is SIGKILLed mid-stream and restarted after the campaign finished;
// the last events it had confirmed are marked undelivered again, as a crash between the broker's
// confirm and the mark leaves them. Then fedora-messaging's own Python library consumes the queue:
// every stored event arrives, each id at least once and any repeat identical, in order per object,
// with the topic, headers and body fields Fedora's consumers read.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { startRabbitMq, type RabbitMqServer } from '../../platform/rabbitmq-server';
import { createDistribution } from '../support/distribution-fixture';
import { eventually, startTestStack, type TestStack } from '../support/stack';

const projectRoot = path.join(__dirname, '..', '..');
const PREFIX = 'org.cascade.test';
const QUEUE = 'cascade-events-test';
const STOP_TOPIC = 'cascade.test.stop';

interface Received {
  id: string;
  topic: string;
  severity: number;
  headers: Record<string, unknown>;
  body: Record<string, unknown>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startPublisher(stack: TestStack, broker: RabbitMqServer): ChildProcess {
  // node itself, not the tsx wrapper: SIGKILL must hit the publisher.
  return spawn(process.execPath, ['--import', 'tsx', 'workers/event-publisher.ts'], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: stack.home,
      DATABASE_URL: (stack.db.target as { url: string }).url,
      CASCADE_DATA_DIR: stack.config.dataDir,
      CASCADE_AMQP_URL: broker.url,
      CASCADE_AMQP_TOPIC_PREFIX: PREFIX,
      CASCADE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

describe('events out through fedora-messaging', () => {
  let broker: RabbitMqServer;
  let stack: TestStack;
  let publisher: ChildProcess | undefined;
  before(async () => {
    broker = await startRabbitMq(await freePort());
    stack = await startTestStack('postgres');
    // The consumer's queue exists before anything is published, as a subscribed service's does.
    const connection = await amqp.connect(broker.url);
    const channel = await connection.createChannel();
    await channel.assertQueue(QUEUE, { durable: true, autoDelete: false, exclusive: false, arguments: {} });
    await channel.bindQueue(QUEUE, 'amq.topic', '#');
    await connection.close();
  });
  after(async () => {
    publisher?.kill('SIGKILL');
    await stack?.stop();
    await broker?.stop();
  });

  it('delivers every state change of a small campaign, in order per object, through a publisher killed mid-stream', async () => {
    const prisma = stack.db.prisma;
    await createDistribution(stack.distGit);
    publisher = startPublisher(stack, broker);

    const core = await stack.request('POST', '/api/v1/module-builds', {
      token: stack.adminToken,
      body: { name: 'core', stream: 'f29' },
    });
    assert.equal(core.status, 202, JSON.stringify(core.body));
    assert.equal((await stack.temporal.workflow.getHandle(core.body.workflowId).result()).state, 'ready');
    const started = await stack.request('POST', '/api/v1/campaigns', {
      token: stack.adminToken,
      body: { modules: ['lang'], branch: 'f29' },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const campaignId: string = started.body.id;

    // Kill the publisher once it has delivered some of the campaign's events: the rest are written
    // while no publisher runs.
    await eventually(
      async () =>
        (await prisma.event.count({ where: { objectKey: `campaign/${campaignId}`, deliveredAt: { not: null } } })) >
          0 || undefined,
      120_000,
    );
    publisher.kill('SIGKILL');
    await new Promise((resolve) => publisher!.once('exit', resolve));
    const deliveredAtKill = await prisma.event.count({ where: { deliveredAt: { not: null } } });

    await eventually(async () => {
      const c = await prisma.campaign.findUnique({ where: { id: campaignId } });
      return c && ['finished', 'failed', 'waiting'].includes(c.state) ? c : undefined;
    }, 600_000).then((c) => assert.equal(c.state, 'finished', c.stateReason ?? ''));
    const total = await prisma.event.count();
    assert.ok(total > deliveredAtKill, 'events were written while the publisher was down');

    // A crash after the broker's confirm and before the mark: the newest delivered events are undelivered again.
    const confirmed = await prisma.event.findMany({
      where: { deliveredAt: { not: null } },
      orderBy: { id: 'desc' },
      take: 3,
      select: { id: true },
    });
    await prisma.event.updateMany({ where: { id: { in: confirmed.map((e) => e.id) } }, data: { deliveredAt: null } });

    publisher = startPublisher(stack, broker);
    await eventually(
      async () => ((await prisma.event.count({ where: { deliveredAt: null } })) === 0 ? true : undefined),
      60_000,
    );
    publisher.kill('SIGTERM');
    await new Promise((resolve) => publisher!.once('exit', resolve));
    publisher = undefined;

    const connection = await amqp.connect(broker.url);
    const channel = await connection.createConfirmChannel();
    channel.publish('amq.topic', STOP_TOPIC, Buffer.from('{}'), {
      contentType: 'application/json',
      headers: { fedora_messaging_schema: 'base.message', fedora_messaging_severity: 10 },
    });
    await channel.waitForConfirms();
    await connection.close();

    const { stdout } = await promisify(execFile)(
      path.join(projectRoot, '.venv/bin/python'),
      [path.join(projectRoot, 'test/support/fedora-messaging-consume.py'), broker.url, QUEUE, STOP_TOPIC],
      { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
    const received = JSON.parse(stdout) as Received[];
    const outbox = await prisma.event.findMany({ orderBy: { id: 'asc' } });

    // every id once after deduplication, and any repeat identical to the first copy
    const first = new Map<string, Received>();
    let repeats = 0;
    for (const m of received) {
      const seen = first.get(m.id);
      if (!seen) {
        first.set(m.id, m);
        continue;
      }
      repeats++;
      assert.deepEqual([m.topic, m.body], [seen.topic, seen.body], `repeat of ${m.id} differs`);
    }
    assert.deepEqual([...first.keys()].sort(), outbox.map((e) => e.messageId).sort());
    assert.ok(repeats >= confirmed.length, `the ${confirmed.length} re-marked events came again (${repeats} repeats)`);

    // in order per object: first arrivals per object follow the outbox's ids
    const objectOf = new Map(outbox.map((e) => [e.messageId, e.objectKey]));
    const arrived = new Map<string, string[]>();
    for (const id of first.keys()) arrived.set(objectOf.get(id)!, [...(arrived.get(objectOf.get(id)!) ?? []), id]);
    for (const [object, ids] of arrived) {
      assert.deepEqual(
        ids,
        outbox.filter((e) => e.objectKey === object).map((e) => e.messageId),
        `order of ${object}`,
      );
    }

    // fedora-messaging's view: topic with the prefix, schema and severity headers, sent-at
    for (const m of first.values()) {
      const stored = outbox.find((e) => e.messageId === m.id)!;
      assert.equal(m.topic, `${PREFIX}.${stored.topic}`);
      assert.equal(m.headers.fedora_messaging_schema, 'base.message');
      assert.equal(m.severity, m.headers.fedora_messaging_severity);
      assert.match(String(m.headers['sent-at']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      assert.deepEqual(m.body, stored.body);
    }

    const bodies = (topic: string) =>
      [...first.values()].filter((m) => m.topic === `${PREFIX}.${topic}`).map((m) => m.body);
    assert.deepEqual(
      bodies('cascade.campaign.state.change').map((b) => [b.campaign_id, b.state]),
      [
        [campaignId, 'running'],
        [campaignId, 'finished'],
      ],
    );
    const moduleStates = (module: string) =>
      bodies('cascade.campaign.module.state.change')
        .filter((b) => b.module === module)
        .map((b) => b.state);
    for (const module of ['lang:f29', 'docs:f29'])
      assert.deepEqual(moduleStates(module), ['building', 'testing', 'passed'], module);

    // MBS's module.state.change: each build of the three from init to ready, with the fields consumers read
    const mbs = bodies('mbs.module.state.change');
    const builds = [...new Set(mbs.map((b) => b.nsvc as string))];
    assert.deepEqual(builds.map((n) => n.split(':')[0]).sort(), ['core', 'docs', 'lang']);
    for (const nsvc of builds) {
      const states = mbs.filter((b) => b.nsvc === nsvc);
      assert.deepEqual(
        states.map((b) => [b.state, b.state_name]),
        [
          [0, 'init'],
          [1, 'wait'],
          [2, 'build'],
          [3, 'done'],
          [5, 'ready'],
        ],
        nsvc,
      );
      const [name, stream, version, context] = nsvc.split(':');
      const ready = states.at(-1)!;
      assert.deepEqual([ready.name, ready.stream, ready.version, ready.context], [name, stream, version, context]);
      assert.equal(ready.koji_tag, `module-${name}-${stream}-${version}-${context}`);
      assert.ok((ready.component_builds as unknown[]).length > 0 && ready.owner && ready.time_submitted);
    }
    const components = bodies('mbs.component.state.change');
    assert.ok(components.some((c) => c.package === 'interp' && c.state_name === 'COMPLETE' && c.nvr));
    // ResultsDB's result.new: CI of the campaign's two builds (core was built outside it, with no CI)
    const results = bodies('resultsdb.result.new');
    for (const nsvc of builds.filter((n) => !n.startsWith('core:'))) {
      const own = results.filter((r) => (r.data as { item: string[] }).item[0] === nsvc);
      assert.deepEqual(
        own.map((r) => [(r.testcase as { name: string }).name, r.outcome]).sort(),
        [
          ['dnf.install', 'PASSED'],
          ['modulemd.valid', 'PASSED'],
          ['rpm.digests', 'PASSED'],
        ],
        nsvc,
      );
      for (const r of own) {
        assert.ok(r.submit_time && typeof r.id === 'number' && r.note === '');
        assert.deepEqual((r.data as { type: string[] }).type, ['module']);
      }
    }
    console.log(
      `events: ${outbox.length} stored, ${received.length} received (${repeats} repeats), ${deliveredAtKill} delivered before the kill; ` +
        `topics ${[...new Set(outbox.map((e) => e.topic))].join(', ')}`,
    );
  });
});
