import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InboxNotifier } from '../../activities/notify';
import { createNotifyPeople, type NotifyPeople } from '../support/notify-people';
import { startTestStack, type TestStack } from '../support/stack';

const cascade = path.join(__dirname, '..', '..', 'bin', 'cascade');

describe('bin/cascade notifications', () => {
  let stack: TestStack;
  let people: NotifyPeople;
  before(async () => {
    stack = await startTestStack('pglite');
    people = await createNotifyPeople(stack.db.prisma);
    const inbox = new InboxNotifier({ prisma: stack.db.prisma });
    for (const { dedupeKey, subject } of [
      { dedupeKey: 'c1/failed', subject: 'nodejs:10 failed' },
      { dedupeKey: 'c1/reminder', subject: 'nodejs:10 still waits for you' },
    ]) {
      await inbox.notify({
        dedupeKey,
        kind: 'campaign.module-failed',
        subject,
        body: '',
        campaignId: 'c1',
        module: 'nodejs:10',
        recipients: { modules: ['nodejs'] },
      });
    }
  });
  after(async () => {
    await stack?.stop();
  });

  /** Runs bin/cascade as a person does: the API and the token from the environment. */
  const run = (token: string, ...args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(cascade, args, {
        env: { ...process.env, CASCADE_URL: stack.api.url, CASCADE_TOKEN: token },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ code, out, err }));
    });

  it("lists the caller's notifications, newest first, unread ones marked", async () => {
    const listed = await run(people.alice.token, 'notifications');
    assert.equal(listed.code, 0, listed.err);
    const lines = listed.out.split('\n');
    assert.equal(lines[0], '2 unread');
    assert.match(
      lines[1]!,
      /^\* \S+\s+campaign\.module-failed\s+nodejs:10 still waits for you {2}\(campaign c1, nodejs:10\)$/,
    );
    assert.match(listed.out, /\* .*nodejs:10 failed/);
  });

  it('marks one read by id, then the rest with --all; --unread --json shows what is left', async () => {
    const before = JSON.parse((await run(people.alice.token, 'notifications', '--unread', '--json')).out);
    assert.equal(before.unread, 2);
    const id = before.items[0].id;

    const one = await run(people.alice.token, 'notifications', 'read', id);
    assert.equal(one.code, 0, one.err);
    assert.match(one.out, new RegExp(`marked ${id} read`));
    const left = JSON.parse((await run(people.alice.token, 'notifications', '--unread', '--json')).out);
    assert.deepEqual(
      left.items.map((n: { id: string }) => n.id),
      [before.items[1].id],
    );

    const all = await run(people.alice.token, 'notifications', 'read', '--all');
    assert.equal(all.code, 0, all.err);
    assert.equal(all.out.trim(), 'marked 1 read');
    assert.match((await run(people.alice.token, 'notifications')).out, /^0 unread\n {2}/);
    assert.equal(JSON.parse((await run(people.bob.token, 'notifications', '--json')).out).unread, 2, "bob's untouched");
  });

  it("fails with the API's 404 on someone else's id, and asks for an id or --all", async () => {
    const bobs = JSON.parse((await run(people.bob.token, 'notifications', '--json')).out).items[0].id;
    const other = await run(people.carol.token, 'notifications', 'read', bobs);
    assert.equal(other.code, 1);
    assert.match(other.err, /404 not_found: notification/);
    const neither = await run(people.carol.token, 'notifications', 'read');
    assert.equal(neither.code, 1);
    assert.match(neither.err, /notification id, or --all/);
  });

  it('exits 1 with the reason for an unknown token', async () => {
    const denied = await run('cas_not-a-real-token', 'notifications');
    assert.equal(denied.code, 1);
    assert.match(denied.err, /401 unauthenticated/);
  });
});
