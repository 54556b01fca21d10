import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createNotifyActivities, InboxNotifier, type NotificationMessage } from '../../../activities/notify';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases';
import { createNotifyPeople } from '../../support/notify-people';

const message = (dedupeKey: string, recipients: NotificationMessage['recipients']): NotificationMessage => ({
  dedupeKey,
  kind: 'campaign.module-failed',
  subject: 'nodejs:10 failed to build',
  body: 'libuv: rpmbuild exited with 1',
  campaignId: 'c1',
  module: 'nodejs:10',
  moduleBuild: 'nodejs:10:2900002026112504:6c81f848',
  recipients,
});

for (const kind of DATABASE_KINDS) {
  describe(`InboxNotifier (${kind})`, () => {
    let db: TestDatabase;
    let inbox: InboxNotifier;
    before(async () => {
      db = await freshDatabase(kind);
      await createNotifyPeople(db.prisma);
      inbox = new InboxNotifier({ prisma: db.prisma });
    });
    after(async () => {
      await db?.close();
      await db?.drop();
    });

    const rowsFor = async (dedupeKey: string) => {
      const rows = await db.prisma.notification.findMany({
        where: { dedupeKey: { startsWith: `${dedupeKey}/` } },
        include: { user: { select: { name: true } } },
      });
      return rows.map((r) => r.user.name).sort();
    };

    it("writes one row for each of a module's two maintainers, keyed <dedupeKey>/<user>, with the message's fields", async () => {
      const sent = await inbox.notify(message('m1', { modules: ['nodejs:10'] }));
      assert.deepEqual(sent, { delivered: 2 });
      assert.deepEqual(await rowsFor('m1'), ['alice', 'bob']);
      const row = await db.prisma.notification.findUniqueOrThrow({ where: { dedupeKey: 'm1/alice' } });
      assert.equal(row.kind, 'campaign.module-failed');
      assert.equal(row.subject, 'nodejs:10 failed to build');
      assert.equal(row.campaignId, 'c1');
      assert.equal(row.module, 'nodejs:10');
      assert.equal(row.moduleBuild, 'nodejs:10:2900002026112504:6c81f848');
      assert.equal(row.readAt, null);
    });

    it("reaches a component's maintainer through components", async () => {
      assert.deepEqual(await inbox.notify(message('c1', { components: ['libuv'] })), { delivered: 1 });
      assert.deepEqual(await rowsFor('c1'), ['carol']);
    });

    it('gives a person named several ways (module, component, user) one row', async () => {
      await inbox.notify(message('d1', { modules: ['nodejs'], components: ['nodejs', 'libuv'], users: ['alice'] }));
      assert.deepEqual(await rowsFor('d1'), ['alice', 'bob', 'carol']);
    });

    it('adds release engineers when asked, and named users', async () => {
      await inbox.notify(message('r1', { users: ['rita'], releaseEngineers: true }));
      assert.deepEqual(await rowsFor('r1'), ['erin', 'rita']);
    });

    it('tells release engineers when nobody maintains the module, beside the other maintainers named', async () => {
      await inbox.notify(message('u1', { modules: ['perl:5.26'], components: ['libuv'] }));
      assert.deepEqual(await rowsFor('u1'), ['carol', 'erin']);
    });

    it('tells release engineers when nobody at all is found (unknown user, unmaintained component)', async () => {
      await inbox.notify(message('n1', { users: ['nobody'], components: ['zlib'] }));
      assert.deepEqual(await rowsFor('n1'), ['erin']);
    });

    it('writes nothing twice when the same message is sent again (a retried activity)', async () => {
      const first = await inbox.notify(message('twice', { modules: ['nodejs'] }));
      const before = await db.prisma.notification.count();
      const second = await inbox.notify(message('twice', { modules: ['nodejs'] }));
      assert.deepEqual(second, first);
      assert.equal(await db.prisma.notification.count(), before);
      assert.deepEqual(await rowsFor('twice'), ['alice', 'bob']);
    });

    it('refuses a malformed message without retry, naming the field, and writes nothing', async () => {
      const count = await db.prisma.notification.count();
      await assert.rejects(
        inbox.notify(message('', { modules: ['nodejs'] })),
        (err: unknown) =>
          err instanceof ApplicationFailure && err.nonRetryable && /message\.dedupeKey/.test(err.message),
      );
      await assert.rejects(
        inbox.notify(message('bad', { modules: 'nodejs' as unknown as string[] })),
        (err: unknown) => err instanceof ApplicationFailure && /message\.recipients\.modules/.test(err.message),
      );
      assert.equal(await db.prisma.notification.count(), count);
    });

    it('is the notify activity (run in an activity context)', async () => {
      const activities = createNotifyActivities({ notifier: inbox });
      const sent = await new MockActivityEnvironment().run(
        activities.notify,
        message('activity', { modules: ['nodejs'] }),
      );
      assert.deepEqual(sent, { delivered: 2 });
      assert.deepEqual(await rowsFor('activity'), ['alice', 'bob']);
    });
  });
}
