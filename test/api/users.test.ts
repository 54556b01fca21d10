import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NotificationMessage } from '../../activities/notify';
import { openApiDocument } from '../../api/openapi-registry';
import { loadConfig } from '../../platform/config';
import { createNotifierFromConfig } from '../../platform/notifier-setup';
import { createNotifyPeople, type NotifyPeople } from '../support/notify-people';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTestStack, type TestStack } from '../support/stack';

const cascade = path.join(__dirname, '..', '..', 'bin', 'cascade');

const failed = (dedupeKey: string): NotificationMessage => ({
  dedupeKey,
  kind: 'campaign.module-failed',
  subject: '[cascade] nodejs:10 failed CI in campaign c9',
  body: 'nodejs:10 (attempt 1) failed CI: smoke test exited with 1',
  campaignId: 'c9',
  module: 'nodejs:10',
  recipients: { modules: ['nodejs'] },
});

describe('a user sets how they are told: the API, bin/cascade user, and the e-mail that follows', () => {
  let stack: TestStack;
  let people: NotifyPeople;
  let sink: SmtpSink;
  before(async () => {
    stack = await startTestStack('pglite');
    people = await createNotifyPeople(stack.db.prisma);
    sink = await startSmtpSink();
  });
  after(async () => {
    await sink?.stop();
    await stack?.stop();
  });

  const put = (token: string | undefined, who: string, body: unknown) =>
    stack.request('PUT', `/api/v1/users/${who}`, { token, body });

  /** Runs bin/cascade as a person does: the API and the token from the environment. */
  const run = (token: string, ...args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(cascade, args, { env: { ...process.env, CASCADE_URL: stack.api.url, CASCADE_TOKEN: token } });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ code, out, err }));
    });

  it('lets anyone, a reader too, set and read their own address and channels', async () => {
    const set = await put(people.rita.token, 'me', { email: 'rita@example.org', notifyBy: ['email'] });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body, {
      name: 'rita',
      role: 'reader',
      email: 'rita@example.org',
      notifyBy: ['inbox', 'email'],
    });
    const read = await stack.request('GET', '/api/v1/users/me', { token: people.rita.token });
    assert.deepEqual(read.body, set.body);
    const inboxOnly = await put(people.rita.token, 'me', { notifyBy: ['inbox'] });
    assert.deepEqual(inboxOnly.body.notifyBy, ['inbox']);
    assert.equal(inboxOnly.body.email, 'rita@example.org', 'a field not given is kept');
  });

  it('answers 400 naming the field: a bad address, e-mail without an address, an unknown channel, nothing to set', async () => {
    const bad = await put(people.bob.token, 'me', { email: 'not-an-address' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details.fields[0].field, 'body.email');
    const noAddress = await put(people.bob.token, 'me', { notifyBy: ['inbox', 'email'] });
    assert.equal(noAddress.status, 400);
    assert.equal(noAddress.body.error.details.fields[0].field, 'body.notifyBy');
    assert.match(noAddress.body.error.message, /needs an address/);
    const unknown = await put(people.bob.token, 'me', { notifyBy: ['pager'] });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.details.fields[0].field, 'body.notifyBy.0');
    assert.equal((await put(people.bob.token, 'me', {})).status, 400);
    assert.equal((await put(people.bob.token, 'me', { email: 'b@example.org', role: 'x' })).status, 400);
    const bob = await stack.db.prisma.user.findUniqueOrThrow({ where: { name: 'bob' } });
    assert.deepEqual([bob.email, bob.notifyBy], [null, ['inbox']], 'nothing was written by a refused request');
  });

  it("lets release engineers set another user's, and nobody else (401, 403, 404)", async () => {
    assert.equal((await put(undefined, 'alice', { notifyBy: ['inbox'] })).status, 401);
    const byBob = await put(people.bob.token, 'alice', { email: 'mallory@example.org' });
    assert.equal(byBob.status, 403);
    assert.equal(byBob.body.error.code, 'forbidden');
    assert.equal((await put(people.rita.token, 'alice', { notifyBy: ['inbox'] })).status, 403);
    assert.equal((await put(people.erin.token, 'nobody', { notifyBy: ['inbox'] })).status, 404);
    assert.equal((await put(people.erin.token, 'Bad Name', { notifyBy: ['inbox'] })).status, 400);
    const byErin = await put(people.erin.token, 'alice', {
      email: 'alice@fedora.example',
      notifyBy: ['inbox', 'email'],
    });
    assert.equal(byErin.status, 200);
    assert.deepEqual(byErin.body, {
      name: 'alice',
      role: 'maintainer',
      email: 'alice@fedora.example',
      notifyBy: ['inbox', 'email'],
    });
  });

  it('mails the people who chose e-mail, and stops when they choose the inbox with bin/cascade user set', async () => {
    const config = loadConfig({
      CASCADE_DATA_DIR: stack.home,
      CASCADE_PUBLIC_URL: 'https://cascade.example.org',
      CASCADE_SMTP_HOST: sink.host,
      CASCADE_SMTP_PORT: String(sink.port),
      CASCADE_SMTP_TLS: 'none',
      CASCADE_SMTP_FROM: 'cascade@example.org',
    });
    const notifier = createNotifierFromConfig(config.notify, stack.db.prisma);

    const bobSets = await run(people.bob.token, 'user', 'set', '--email', 'bob@example.org', '--notify', 'inbox,email');
    assert.equal(bobSets.code, 0, bobSets.err);
    assert.match(bobSets.out, /^bob \(maintainer\)\ne-mail {4}bob@example\.org\nnotify by inbox, email\n$/);

    await notifier.notify(failed('campaign/c9/nodejs:10/a1/failed'));
    assert.deepEqual(sink.received.map((m) => m.to).sort(), [['alice@fedora.example'], ['bob@example.org']]);
    assert.match(sink.received[0]!.text, /https:\/\/cascade\.example\.org\/campaigns\/c9/);

    const bobStops = await run(people.bob.token, 'user', 'set', '--notify', 'inbox');
    assert.equal(bobStops.code, 0, bobStops.err);
    const shown = await run(people.bob.token, '--json', 'user', 'show');
    assert.deepEqual(JSON.parse(shown.out), {
      name: 'bob',
      role: 'maintainer',
      email: 'bob@example.org',
      notifyBy: ['inbox'],
    });
    await notifier.notify(failed('campaign/c9/nodejs:10/a1/reminder-1'));
    assert.deepEqual(sink.received.map((m) => m.to).slice(2), [['alice@fedora.example']]);

    const erinForBob = await run(people.erin.token, 'user', 'set', '--user', 'bob', '--no-email');
    assert.equal(erinForBob.code, 0, erinForBob.err);
    assert.match(erinForBob.out, /e-mail {4}\(none\)/);
    const wrong = await run(people.bob.token, 'user', 'set', '--notify', 'inbox,pager');
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.err, /--notify: a comma-separated list of inbox, email/);
  });

  it('lists the user paths and their schemas in the OpenAPI document', () => {
    const doc = openApiDocument();
    assert.ok(doc.paths?.['/api/v1/users/me']?.get);
    assert.ok(doc.paths?.['/api/v1/users/me']?.put);
    assert.ok(doc.paths?.['/api/v1/users/{name}']?.put);
    assert.ok(doc.components?.schemas?.UserSettingsChange);
    assert.ok(doc.components?.schemas?.UserSettings);
  });
});
