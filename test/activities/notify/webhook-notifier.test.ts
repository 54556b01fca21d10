import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { verifySignature } from '../../../activities/distgit';
import { WebhookNotifier, type NotificationMessage, type Recipient } from '../../../activities/notify';
import { loadConfig } from '../../../platform/config';
import { createNotifierFromConfig } from '../../../platform/notifier-setup';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { makeTempDir } from '../../support/git-person';
import { createNotifyPeople } from '../../support/notify-people';

/** A webhook receiver on 127.0.0.1 that checks the signature (401 when wrong) and answers scripted statuses. */
async function startReceiver(secret: () => string) {
  const received: { idempotencyKey: string | undefined; payload: Record<string, unknown> }[] = [];
  const statuses: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/silent') return; // never answers
      const body = Buffer.concat(chunks);
      if (!verifySignature(secret(), body, req.headers['x-cascade-signature'] as string | undefined))
        return void res.writeHead(401).end('bad signature');
      received.push({
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        payload: JSON.parse(body.toString('utf8')),
      });
      const status = statuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'try later');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** the next answers, in order; 200 after them */
    answer: (...next: number[]) => statuses.push(...next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const people: Recipient[] = [
  { id: 'u1', name: 'alice', email: 'alice@example.org' },
  { id: 'u2', name: 'bob', email: null },
];

const message: NotificationMessage = {
  dedupeKey: 'campaign/c1/module/nodejs:10/failed/1',
  kind: 'campaign.module-failed',
  subject: 'nodejs:10 failed to build',
  body: 'libuv: rpmbuild exited with 1',
  campaignId: 'c1',
  module: 'nodejs:10',
  recipients: { modules: ['nodejs'] },
};

const isFailure = (retryable: boolean, pattern: RegExp) => (err: unknown) =>
  err instanceof ApplicationFailure && err.nonRetryable === !retryable && pattern.test(err.message);

describe('WebhookNotifier against a real HTTP receiver', () => {
  const secret = 'f'.repeat(64);
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const notifier = (urlPath = '/hook', options: { secret?: string; timeoutMs?: number } = {}) =>
    new WebhookNotifier({
      url: `${receiver.url}${urlPath}`,
      secret: options.secret ?? secret,
      timeoutMs: options.timeoutMs,
      resolveRecipients: async () => people,
    });
  before(async () => {
    receiver = await startReceiver(() => secret);
  });
  after(async () => {
    await receiver?.close();
  });

  it('posts the message signed, with the dedupe key as Idempotency-Key and the resolved people', async () => {
    receiver.received.length = 0;
    assert.deepEqual(await notifier().notify(message), { delivered: 2 });
    assert.equal(receiver.received.length, 1);
    const [got] = receiver.received;
    assert.equal(got!.idempotencyKey, message.dedupeKey);
    assert.deepEqual(got!.payload, {
      kind: 'campaign.module-failed',
      subject: 'nodejs:10 failed to build',
      body: 'libuv: rpmbuild exited with 1',
      campaignId: 'c1',
      module: 'nodejs:10',
      moduleBuild: null,
      recipients: [
        { name: 'alice', email: 'alice@example.org' },
        { name: 'bob', email: null },
      ],
    });
  });

  it('throws a retryable failure on a 500, then succeeds on the retry with the same Idempotency-Key', async () => {
    receiver.received.length = 0;
    receiver.answer(500);
    await assert.rejects(notifier().notify(message), isFailure(true, /answered 500/));
    assert.deepEqual(await notifier().notify(message), { delivered: 2 });
    assert.deepEqual(
      receiver.received.map((r) => r.idempotencyKey),
      [message.dedupeKey, message.dedupeKey],
    );
  });

  it('fails without retry on a 400, and on a 401 for a wrong secret, naming the status', async () => {
    receiver.answer(400);
    await assert.rejects(notifier().notify(message), isFailure(false, /answered 400/));
    await assert.rejects(
      notifier('/hook', { secret: 'not the secret' }).notify(message),
      isFailure(false, /answered 401/),
    );
  });

  it('retries a 408 and a 429 (the receiver is busy, not refusing)', async () => {
    receiver.answer(429, 408);
    await assert.rejects(notifier().notify(message), isFailure(true, /answered 429/));
    await assert.rejects(notifier().notify(message), isFailure(true, /answered 408/));
  });

  it('gives up on a receiver that does not answer within the time limit, retryably', async () => {
    await assert.rejects(notifier('/silent', { timeoutMs: 300 }).notify(message), isFailure(true, /within 300 ms/));
  });

  it("names only the URL's origin in errors (webhook paths often hold secrets)", async () => {
    receiver.answer(503);
    await assert.rejects(notifier('/hook/T0KEN-SECRET').notify(message), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure);
      assert.doesNotMatch(err.message, /T0KEN-SECRET/);
      assert.match(err.message, new RegExp(receiver.url.replace(/[.]/g, '\\.')));
      return true;
    });
  });

  it('throws a retryable failure when nothing listens', async () => {
    const closed = await startReceiver(() => secret);
    await closed.close();
    const unreachable = new WebhookNotifier({
      url: `${closed.url}/hook`,
      secret,
      resolveRecipients: async () => people,
    });
    await assert.rejects(unreachable.notify(message), isFailure(true, /notify webhook http:\/\/127\.0\.0\.1/));
  });
});

describe('the configured notifier: inbox first, then the signed webhook (pglite)', () => {
  let db: TestDatabase;
  let home: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let secretFile: string;
  before(async () => {
    db = await freshDatabase('pglite');
    await createNotifyPeople(db.prisma);
    home = await makeTempDir('notify');
    secretFile = path.join(home, 'notify-webhook-secret');
    receiver = await startReceiver(() => fs.readFileSync(secretFile, 'utf8').trim());
  });
  after(async () => {
    await receiver?.close();
    await db?.close();
    await db?.drop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('creates the secret file (mode 600), keeps the inbox when the webhook fails, and adds nothing on the retry', async () => {
    const config = loadConfig({ CASCADE_DATA_DIR: home, CASCADE_NOTIFY_WEBHOOK_URL: `${receiver.url}/hook` });
    assert.equal(config.notify.webhook?.secretFile, secretFile);
    const notifier = createNotifierFromConfig(config.notify, db.prisma);
    assert.match(fs.readFileSync(secretFile, 'utf8').trim(), /^[0-9a-f]{64}$/);
    assert.equal(fs.statSync(secretFile).mode & 0o777, 0o600);

    receiver.answer(502);
    await assert.rejects(notifier.notify(message), isFailure(true, /answered 502/));
    assert.equal(await db.prisma.notification.count({ where: { dedupeKey: { startsWith: message.dedupeKey } } }), 2);

    assert.deepEqual(await notifier.notify(message), { delivered: 2 });
    assert.equal(await db.prisma.notification.count({ where: { dedupeKey: { startsWith: message.dedupeKey } } }), 2);
    assert.equal(receiver.received.length, 2);
    assert.deepEqual(
      receiver.received[1]!.payload.recipients,
      [
        { name: 'alice', email: 'alice@example.org' },
        { name: 'bob', email: null },
      ],
      "the webhook names the people whose inbox got it: the module's maintainers",
    );
  });

  it('is the inbox alone when no webhook URL is configured', async () => {
    const notifier = createNotifierFromConfig(loadConfig({ CASCADE_DATA_DIR: home }).notify, db.prisma);
    const before = receiver.received.length;
    assert.deepEqual(await notifier.notify({ ...message, dedupeKey: 'inbox-only' }), { delivered: 2 });
    assert.equal(receiver.received.length, before);
    assert.equal(await db.prisma.notification.count({ where: { dedupeKey: { startsWith: 'inbox-only/' } } }), 2);
  });
});
