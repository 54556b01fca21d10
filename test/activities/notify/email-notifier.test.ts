import assert from 'node:assert/strict';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { EmailNotifier, storeRecipientResolver, type NotificationMessage } from '../../../activities/notify';
import { ConfigError, loadConfig } from '../../../platform/config';
import { createNotifierFromConfig } from '../../../platform/notifier-setup';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases';
import { makeTempDir } from '../../support/git-person';
import { createNotifyPeople, type NotifyPeople } from '../../support/notify-people';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink';
import { selfSigned } from '../../support/test-certificates';
import { eventually, startTestStack, type TestStack } from '../../support/stack';

const PUBLIC_URL = 'https://cascade.example.org';

const failed = (dedupeKey: string, recipients: NotificationMessage['recipients']): NotificationMessage => ({
  dedupeKey,
  kind: 'campaign.module-failed',
  subject: '[cascade] nodejs:10 failed the build in campaign c1',
  body: [
    'nodejs:10 (attempt 1) failed the build: libuv: rpmbuild exited with 1',
    'It blocks 1 module(s): npm:10.',
    '  cascade campaign retry c1 --module nodejs:10',
  ].join('\n'),
  campaignId: 'c1',
  module: 'nodejs:10',
  moduleBuild: 'nodejs:10:2900002026112504:6c81f848',
  recipients,
});

const isFailure = (retryable: boolean, pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(error)}`);
  assert.equal(error.nonRetryable, !retryable);
  assert.match(error.message, pattern);
  return true;
};

/** alice, carol and erin chose e-mail; bob has an address but chose the inbox only; rita has no address. */
async function chooseChannels(db: TestDatabase, people: NotifyPeople) {
  const set = (userId: string, email: string | null, notifyBy: string[]) =>
    db.prisma.user.update({ where: { id: userId }, data: { email, notifyBy } });
  await set(people.alice.userId, 'alice@example.org', ['inbox', 'email']);
  await set(people.bob.userId, 'bob@example.org', ['inbox']);
  await set(people.carol.userId, 'carol@example.org', ['inbox', 'email']);
  await set(people.erin.userId, 'erin@example.org', ['inbox', 'email']);
  await set(people.rita.userId, null, ['inbox', 'email']);
}

for (const kind of DATABASE_KINDS) {
  describe(`EmailNotifier against a local SMTP server (${kind})`, () => {
    let db: TestDatabase;
    let sink: SmtpSink;
    let email: EmailNotifier;
    before(async () => {
      db = await freshDatabase(kind);
      await chooseChannels(db, await createNotifyPeople(db.prisma));
      sink = await startSmtpSink();
      email = new EmailNotifier({
        prisma: db.prisma,
        smtp: { host: sink.host, port: sink.port, tls: 'none' },
        from: 'Cascade <cascade@example.org>',
        dashboardUrl: PUBLIC_URL,
        resolveRecipients: storeRecipientResolver(db.prisma),
      });
    });
    after(async () => {
      await sink?.stop();
      await db?.close();
      await db?.drop();
    });

    const mailsTo = (address: string) => sink.received.filter((m) => m.to.includes(address));

    it('mails the maintainer who chose e-mail a message to act on, and not the one who chose the inbox only', async () => {
      const sent = await email.notify(failed('campaign/c1/nodejs:10/a1/failed', { modules: ['nodejs:10'] }));
      assert.deepEqual(sent, { delivered: 1 });
      assert.equal(mailsTo('bob@example.org').length, 0, 'bob chose the inbox only');
      const [mail, ...more] = mailsTo('alice@example.org');
      assert.equal(more.length, 0);
      assert.deepEqual(mail!.to, ['alice@example.org']);
      assert.equal(mail!.from, 'cascade@example.org');
      assert.equal(mail!.headers.get('from'), 'Cascade <cascade@example.org>');
      assert.equal(mail!.headers.get('to'), 'alice@example.org');
      assert.equal(mail!.headers.get('subject'), '[cascade] nodejs:10 failed the build in campaign c1');
      assert.equal(mail!.headers.get('auto-submitted'), 'auto-generated');
      assert.equal(mail!.headers.get('message-id'), email.messageIdFor('campaign/c1/nodejs:10/a1/failed/alice'));
      assert.match(mail!.headers.get('message-id')!, /^<cascade\.[0-9a-f]{32}@example\.org>$/);
      assert.match(mail!.text, /failed the build: libuv: rpmbuild exited with 1/);
      assert.match(mail!.text, /cascade campaign retry c1 --module nodejs:10/);
      assert.match(mail!.text, /Campaign: c1 {2}https:\/\/cascade\.example\.org\/campaigns\/c1\n/);
      assert.match(mail!.text, /Module: nodejs:10 \(nodejs:10:2900002026112504:6c81f848\)/);
      assert.match(mail!.text, /cascade user set --notify inbox/);
      const row = await db.prisma.emailDelivery.findUniqueOrThrow({
        where: { dedupeKey: 'campaign/c1/nodejs:10/a1/failed/alice' },
      });
      assert.deepEqual(
        [row.status, row.address, row.messageId],
        ['sent', 'alice@example.org', mail!.headers.get('message-id')],
      );
    });

    it('sends nothing again when the same notification is repeated (a retried activity)', async () => {
      const before = sink.received.length;
      assert.deepEqual(await email.notify(failed('campaign/c1/nodejs:10/a1/failed', { modules: ['nodejs'] })), {
        delivered: 1,
      });
      assert.equal(sink.received.length, before);
      assert.equal(sink.attempts.get('alice@example.org'), 1);
    });

    it('skips people without an address, and a new key is a new message with a new Message-ID', async () => {
      await email.notify(failed('campaign/c1/nodejs:10/a1/reminder-1', { users: ['alice', 'rita'] }));
      const alice = mailsTo('alice@example.org');
      assert.equal(alice.length, 2);
      assert.notEqual(alice[0]!.headers.get('message-id'), alice[1]!.headers.get('message-id'));
      assert.equal(await db.prisma.emailDelivery.count({ where: { dedupeKey: { endsWith: '/rita' } } }), 0);
    });

    it('fails retryably on a 4xx after sending the others, then sends only what is missing on the retry', async () => {
      sink.refuse('carol@example.org', 451, 'Mailbox busy, try again later', 1);
      const message = failed('campaign/c1/libuv/a1/failed', { components: ['libuv'], users: ['alice'] });
      await assert.rejects(email.notify(message), isFailure(true, /carol: 451 .*try again later/));
      assert.equal(mailsTo('alice@example.org').length, 3, "alice's message went out before carol's failed");
      assert.equal(mailsTo('carol@example.org').length, 0);
      assert.equal(
        await db.prisma.emailDelivery.count({ where: { dedupeKey: 'campaign/c1/libuv/a1/failed/carol' } }),
        0,
      );

      assert.deepEqual(await email.notify(message), { delivered: 2 });
      assert.equal(mailsTo('alice@example.org').length, 3, 'alice is not mailed twice');
      const [carol] = mailsTo('carol@example.org');
      assert.equal(carol!.headers.get('message-id'), email.messageIdFor('campaign/c1/libuv/a1/failed/carol'));
    });

    it('records a 5xx refusal as final and never tries that address again for the message', async () => {
      sink.refuse('erin@example.org', 550, 'No such user here');
      const message = failed('campaign/c1/perl:5.26/a1/failed', { releaseEngineers: true });
      assert.deepEqual(await email.notify(message), { delivered: 0 });
      const row = await db.prisma.emailDelivery.findUniqueOrThrow({
        where: { dedupeKey: 'campaign/c1/perl:5.26/a1/failed/erin' },
      });
      assert.equal(row.status, 'rejected');
      assert.match(row.error ?? '', /550 .*No such user here/);
      assert.equal(sink.attempts.get('erin@example.org'), 1);

      assert.deepEqual(await email.notify(message), { delivered: 0 });
      assert.equal(sink.attempts.get('erin@example.org'), 1, 'the retried activity does not ask the server again');
      assert.equal(mailsTo('erin@example.org').length, 0);
    });

    it('fails retryably, naming the person, when the server cannot be reached', async () => {
      const closedPort = await unusedPort();
      const unreachable = new EmailNotifier({
        prisma: db.prisma,
        smtp: { host: '127.0.0.1', port: closedPort, tls: 'none' },
        from: 'cascade@example.org',
        dashboardUrl: PUBLIC_URL,
        resolveRecipients: storeRecipientResolver(db.prisma),
      });
      await assert.rejects(
        unreachable.notify(failed('campaign/c2/nodejs:10/a1/failed', { users: ['alice'] })),
        isFailure(true, /alice: ECONNECTION .*ECONNREFUSED|alice: .*ECONNREFUSED/),
      );
      assert.equal(await db.prisma.emailDelivery.count({ where: { dedupeKey: { startsWith: 'campaign/c2/' } } }), 0);
    });
  });
}

describe('the e-mail notifier from configuration', () => {
  let db: TestDatabase;
  let sink: SmtpSink;
  let home: string;
  before(async () => {
    db = await freshDatabase('pglite');
    await chooseChannels(db, await createNotifyPeople(db.prisma));
    sink = await startSmtpSink({ auth: { user: 'cascade', password: 's3cret pass' } });
    home = await makeTempDir('smtp');
  });
  after(async () => {
    await sink?.stop();
    await db?.close();
    await db?.drop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  const smtpEnvironment = (passwordFile: string) => ({
    CASCADE_DATA_DIR: home,
    CASCADE_PUBLIC_URL: `${PUBLIC_URL}/`,
    CASCADE_SMTP_HOST: sink.host,
    CASCADE_SMTP_PORT: String(sink.port),
    CASCADE_SMTP_TLS: 'none',
    CASCADE_SMTP_FROM: 'Cascade <cascade@example.org>',
    CASCADE_SMTP_USER: 'cascade',
    CASCADE_SMTP_PASSWORD_FILE: passwordFile,
  });

  it('signs in with the password file, writes the inbox for everyone and mails those who chose e-mail', async () => {
    const passwordFile = path.join(home, 'smtp-password');
    fs.writeFileSync(passwordFile, 's3cret pass\n', { mode: 0o600 });
    const config = loadConfig(smtpEnvironment(passwordFile));
    assert.deepEqual(config.notify.email, {
      host: sink.host,
      port: sink.port,
      tls: 'none',
      from: 'Cascade <cascade@example.org>',
      auth: { user: 'cascade', passwordFile },
      caFile: undefined,
      dashboardUrl: PUBLIC_URL,
    });
    const notifier = createNotifierFromConfig(config.notify, db.prisma);
    const message = failed('campaign/c3/nodejs:10/a1/failed', { modules: ['nodejs:10'] });
    assert.deepEqual(await notifier.notify(message), { delivered: 2 });
    assert.equal(await db.prisma.notification.count({ where: { dedupeKey: { startsWith: 'campaign/c3/' } } }), 2);
    assert.deepEqual(
      sink.received.map((m) => [m.to, m.user]),
      [[['alice@example.org'], 'cascade']],
    );
    assert.match(sink.received[0]!.text, /https:\/\/cascade\.example\.org\/campaigns\/c1\n/);
  });

  it('speaks STARTTLS (the default) to a server whose certificate chains to CASCADE_SMTP_CA_FILE, and only then', async () => {
    const { key, cert } = selfSigned('smtp', '/CN=localhost', home, [
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
    const tlsSink = await startSmtpSink({
      tls: { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') },
    });
    try {
      const env = {
        CASCADE_DATA_DIR: home,
        CASCADE_SMTP_HOST: tlsSink.host,
        CASCADE_SMTP_PORT: String(tlsSink.port),
        CASCADE_SMTP_FROM: 'cascade@example.org',
      };
      const message = failed('campaign/c4/nodejs:10/a1/failed', { users: ['alice'] });
      const untrusting = createNotifierFromConfig(loadConfig(env).notify, db.prisma);
      await assert.rejects(untrusting.notify(message), isFailure(true, /alice: .*(self-signed|certificate)/i));
      assert.equal(tlsSink.received.length, 0);

      const trusting = createNotifierFromConfig(loadConfig({ ...env, CASCADE_SMTP_CA_FILE: cert }).notify, db.prisma);
      assert.deepEqual(await trusting.notify(message), { delivered: 1 });
      assert.deepEqual(
        tlsSink.received.map((m) => [m.to, m.secure]),
        [[['alice@example.org'], true]],
      );
    } finally {
      await tlsSink.stop();
    }
  });

  it('names the variable that is missing or wrong, and the password file that cannot be read', () => {
    const env = smtpEnvironment(path.join(home, 'no-such-file'));
    assert.throws(() => loadConfig({ ...env, CASCADE_SMTP_FROM: undefined }), /CASCADE_SMTP_FROM is needed/);
    assert.throws(
      () => loadConfig({ ...env, CASCADE_SMTP_USER: undefined }),
      /CASCADE_SMTP_USER and CASCADE_SMTP_PASSWORD_FILE/,
    );
    assert.throws(() => loadConfig({ ...env, CASCADE_SMTP_TLS: 'ssl' }), /CASCADE_SMTP_TLS/);
    assert.throws(
      () => loadConfig({ ...env, CASCADE_SMTP_FROM: 'not an address' }),
      /CASCADE_SMTP_FROM: must be an address/,
    );
    assert.equal(loadConfig({ ...env, CASCADE_SMTP_PORT: undefined }).notify.email?.port, 587);
    assert.equal(loadConfig({ ...env, CASCADE_SMTP_PORT: undefined, CASCADE_SMTP_TLS: 'tls' }).notify.email?.port, 465);
    assert.equal(loadConfig({ CASCADE_DATA_DIR: home }).notify.email, undefined);
    assert.throws(
      () => createNotifierFromConfig(loadConfig(env).notify, db.prisma),
      (error: unknown) =>
        error instanceof ConfigError && /CASCADE_SMTP_PASSWORD_FILE .*no-such-file/.test(error.message),
    );
    const noCa = { ...env, CASCADE_SMTP_USER: undefined, CASCADE_SMTP_PASSWORD_FILE: undefined };
    assert.throws(
      () =>
        createNotifierFromConfig(
          loadConfig({ ...noCa, CASCADE_SMTP_CA_FILE: path.join(home, 'no-ca.pem') }).notify,
          db.prisma,
        ),
      /CASCADE_SMTP_CA_FILE .*no-ca\.pem/,
    );
  });
});

describe("a real campaign's notify activity, with the worker's notifier from configuration", () => {
  let sink: SmtpSink;
  let stack: TestStack;
  before(async () => {
    sink = await startSmtpSink();
    stack = await startTestStack('pglite', {
      env: {
        CASCADE_PUBLIC_URL: PUBLIC_URL,
        CASCADE_SMTP_HOST: sink.host,
        CASCADE_SMTP_PORT: String(sink.port),
        CASCADE_SMTP_TLS: 'none',
        CASCADE_SMTP_FROM: 'Cascade <cascade@example.org>',
      },
    });
  });
  after(async () => {
    await stack?.stop();
    await sink?.stop();
  });

  it('mails the release engineer who chose e-mail when a module nobody maintains fails to build', async () => {
    const me = await stack.request('PUT', '/api/v1/users/me', {
      token: stack.adminToken,
      body: { email: 'releng@example.org', notifyBy: ['inbox', 'email'] },
    });
    assert.equal(me.status, 200, JSON.stringify(me.body));
    // python3 is held by python38:f29 in the store; there is no dist-git repository to build it from
    const imported = await stack.request('POST', '/api/v1/imports/module-streams', {
      token: stack.adminToken,
      body: {
        streams: [
          {
            name: 'python38',
            stream: 'f29',
            edges: [{ type: 'BUILDREQUIRES', toName: 'platform', toStream: 'f29' }],
            components: [{ name: 'python3', ref: 'f29' }],
          },
        ],
      },
    });
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    const started = await stack.request('POST', '/api/v1/campaigns', {
      token: stack.adminToken,
      body: { components: ['python3'], branch: 'f29', strategy: 'only-changed' },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const { id, workflowId } = started.body as { id: string; workflowId: string };

    const mail = await eventually(async () => sink.received.find((m) => m.to.includes('releng@example.org')), 60_000);
    assert.equal(mail.headers.get('subject'), `[cascade] python38:f29 failed the build in campaign ${id}`);
    assert.match(mail.text, /python38:f29 \(attempt 1\) failed the build: /);
    assert.match(mail.text, new RegExp(`cascade campaign resume ${id} --module python38:f29`));
    assert.ok(mail.text.includes(`Campaign: ${id}  ${PUBLIC_URL}/campaigns/${id}\n`), mail.text);
    const delivery = await stack.db.prisma.emailDelivery.findUniqueOrThrow({
      where: { dedupeKey: `campaign/${id}/python38:f29/a1/failed/admin` },
    });
    assert.equal(mail.headers.get('message-id'), delivery.messageId);
    assert.equal(delivery.status, 'sent');
    const inbox = await stack.db.prisma.notification.count({
      where: { campaignId: id, kind: 'campaign.module-failed' },
    });
    assert.equal(inbox, 1, 'the inbox row is written beside the e-mail');

    const cancelled = await stack.request('POST', `/api/v1/campaigns/${id}/cancel`, {
      token: stack.adminToken,
      body: { reason: 'test over' },
    });
    assert.equal(cancelled.status, 202, JSON.stringify(cancelled.body));
    assert.equal((await stack.temporal.workflow.getHandle(workflowId).result()).state, 'cancelled');
    assert.equal(sink.received.filter((m) => m.to.includes('releng@example.org')).length, 1);
  });
});

/** A port nothing listens on: bound, read, released. */
async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
