import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InboxNotifier } from '../../activities/notify';
import { openApiDocument } from '../../api/openapi-registry';
import { DATABASE_KINDS } from '../support/databases';
import { createNotifyPeople, type NotifyPeople } from '../support/notify-people';
import { startTestStack, type TestStack } from '../support/stack';

for (const kind of DATABASE_KINDS) {
  describe(`the notification inbox API (${kind})`, () => {
    let stack: TestStack;
    let people: NotifyPeople;
    before(async () => {
      stack = await startTestStack(kind);
      people = await createNotifyPeople(stack.db.prisma);
      const inbox = new InboxNotifier({ prisma: stack.db.prisma });
      // alice and bob maintain nodejs: both get these two; carol gets only the libuv one
      await inbox.notify({
        dedupeKey: 'c1/nodejs/failed',
        kind: 'campaign.module-failed',
        subject: 'nodejs:10 failed',
        body: 'libuv did not build',
        campaignId: 'c1',
        module: 'nodejs:10',
        recipients: { modules: ['nodejs'] },
      });
      await inbox.notify({
        dedupeKey: 'c2/nodejs/reminder',
        kind: 'campaign.reminder',
        subject: 'nodejs:10 still waits for you',
        body: 'retry or resume it',
        campaignId: 'c2',
        module: 'nodejs:10',
        recipients: { modules: ['nodejs'], components: ['libuv'] },
      });
      // five more for alice with distinct times, oldest first, to page through
      for (let i = 1; i <= 5; i++) {
        await stack.db.prisma.notification.create({
          data: {
            userId: people.alice.userId,
            kind: 'campaign.finished',
            subject: `old ${i}`,
            body: '',
            dedupeKey: `old/${i}/alice`,
            createdAt: new Date(Date.UTC(2020, 0, i)),
          },
        });
      }
    });
    after(async () => {
      await stack?.stop();
    });

    const inboxOf = (token: string, query = '') => stack.request('GET', `/api/v1/notifications${query}`, { token });

    it('answers 401 without a token or with an unknown one', async () => {
      for (const token of [undefined, 'cas_not-a-real-token']) {
        const list = await stack.request('GET', '/api/v1/notifications', { token });
        assert.equal(list.status, 401);
        assert.equal(list.body.error.code, 'unauthenticated');
        assert.equal((await stack.request('POST', '/api/v1/notifications/read-all', { token })).status, 401);
        assert.equal((await stack.request('POST', '/api/v1/notifications/x/read', { token })).status, 401);
      }
    });

    it('shows a user only their own notifications, newest first, with the unread count', async () => {
      const carol = await inboxOf(people.carol.token);
      assert.equal(carol.status, 200);
      assert.deepEqual(
        carol.body.items.map((n: { subject: string }) => n.subject),
        ['nodejs:10 still waits for you'],
      );
      assert.equal(carol.body.unread, 1);
      assert.equal(carol.body.nextCursor, null);
      const item = carol.body.items[0];
      assert.deepEqual(Object.keys(item).sort(), [
        'body',
        'campaignId',
        'createdAt',
        'id',
        'kind',
        'module',
        'moduleBuild',
        'readAt',
        'subject',
      ]);
      assert.equal(item.kind, 'campaign.reminder');
      assert.equal(item.readAt, null);

      const bob = await inboxOf(people.bob.token);
      assert.deepEqual(
        bob.body.items.map((n: { subject: string }) => n.subject),
        ['nodejs:10 still waits for you', 'nodejs:10 failed'],
      );
      assert.equal(bob.body.unread, 2);
      assert.deepEqual((await inboxOf(people.rita.token)).body, { items: [], unread: 0, nextCursor: null });
    });

    it('pages through an inbox with the cursor, without overlap', async () => {
      const seen: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page = await inboxOf(people.alice.token, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200);
        assert.ok(page.body.items.length <= 3);
        seen.push(...page.body.items.map((n: { subject: string }) => n.subject));
        cursor = page.body.nextCursor;
      }
      assert.deepEqual(seen, [
        'nodejs:10 still waits for you',
        'nodejs:10 failed',
        'old 5',
        'old 4',
        'old 3',
        'old 2',
        'old 1',
      ]);
    });

    it('filters by campaign, counting unread ones in that campaign', async () => {
      const page = await inboxOf(people.alice.token, '?campaign=c1');
      assert.deepEqual(
        page.body.items.map((n: { subject: string }) => n.subject),
        ['nodejs:10 failed'],
      );
      assert.equal(page.body.unread, 1);
    });

    it("marks one read, keeps the first read time, and answers 404 for someone else's id", async () => {
      const [first] = (await inboxOf(people.bob.token)).body.items;
      const alicesOwn = (await inboxOf(people.alice.token)).body.items[0];

      const other = await stack.request('POST', `/api/v1/notifications/${alicesOwn.id}/read`, {
        token: people.bob.token,
      });
      assert.equal(other.status, 404);
      assert.equal(other.body.error.code, 'not_found');
      const missing = await stack.request('POST', '/api/v1/notifications/doesnotexist/read', {
        token: people.bob.token,
      });
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body.error.code, other.body.error.code);
      assert.equal((await inboxOf(people.alice.token)).body.items[0].readAt, null, "alice's stays unread");

      const marked = await stack.request('POST', `/api/v1/notifications/${first.id}/read`, { token: people.bob.token });
      assert.equal(marked.status, 200);
      assert.equal(marked.body.id, first.id);
      assert.ok(!Number.isNaN(Date.parse(marked.body.readAt)));
      const again = await stack.request('POST', `/api/v1/notifications/${first.id}/read`, { token: people.bob.token });
      assert.equal(again.body.readAt, marked.body.readAt);

      const bob = await inboxOf(people.bob.token);
      assert.equal(bob.body.unread, 1);
      const unreadOnly = await inboxOf(people.bob.token, '?unread=true');
      assert.deepEqual(
        unreadOnly.body.items.map((n: { id: string }) => n.id),
        bob.body.items.filter((n: { id: string }) => n.id !== first.id).map((n: { id: string }) => n.id),
      );
    });

    it("marks all the caller's read, and nobody else's", async () => {
      const done = await stack.request('POST', '/api/v1/notifications/read-all', { token: people.alice.token });
      assert.equal(done.status, 200);
      assert.deepEqual(done.body, { marked: 7 });
      assert.equal((await inboxOf(people.alice.token)).body.unread, 0);
      assert.deepEqual((await inboxOf(people.alice.token, '?unread=true')).body.items, []);
      assert.equal((await inboxOf(people.carol.token)).body.unread, 1);
      const again = await stack.request('POST', '/api/v1/notifications/read-all', { token: people.alice.token });
      assert.deepEqual(again.body, { marked: 0 });
    });

    it('answers a bad query with 400 naming each field', async () => {
      const bad = await inboxOf(people.alice.token, '?unread=maybe&limit=0&cursor=nope&campaign=BAD!&colour=red');
      assert.equal(bad.status, 400);
      const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field).sort();
      assert.deepEqual(fields, ['query', 'query.campaign', 'query.cursor', 'query.limit', 'query.unread']);
      assert.match(bad.body.error.message, /query\.unread/);
      const badId = await stack.request('POST', '/api/v1/notifications/bad%20id!/read', { token: people.alice.token });
      assert.equal(badId.status, 400);
      assert.equal(badId.body.error.details.fields[0].field, 'params.id');
    });
  });
}

describe('the notification routes in the OpenAPI document', () => {
  it('lists the inbox, mark-read and read-all paths with their schemas', () => {
    const doc = openApiDocument();
    for (const p of ['/api/v1/notifications', '/api/v1/notifications/{id}/read', '/api/v1/notifications/read-all'])
      assert.ok(doc.paths?.[p], `missing path ${p}`);
    assert.ok(doc.components?.schemas?.NotificationInbox);
  });
});
