// The outbox on PGlite and PostgreSQL: every state change a store writer makes writes exactly one
// event in the same transaction (a transaction that fails writes neither), a retried write adds
// nothing, and on PostgreSQL a reader never sees an event while an earlier id is still uncommitted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { campaignInput } from '../support/campaign-input';
import { recordCampaignPlan, setCampaignState, updateCampaignModules } from '../../store/campaigns';
import { recordCiRun } from '../../store/ci-results';
import {
  allocateCompose,
  markComposePublished,
  recordComposePhase,
  recordComposeVariants,
  recordVariantValidation,
  setComposeStatus,
  setComposeVariantState,
} from '../../store/composes';
import { appendEvents, messageIdFor, readEventFeed, sequencedMessageId } from '../../store/events';
import { sql, sqlFor, viaPrisma } from '../../store/sql';
import { recordPlannedModuleBuild, setComponentBuildState, setModuleBuildState } from '../../store/module-builds';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';

const NSVC = 'tools:f29:2900002026113001:6c81f848';

const input = campaignInput('c-events', 'rpms/libcore@f29=abc');
const plan = {
  tierCount: 2,
  modules: [
    {
      node: 'core:f29',
      name: 'core',
      stream: 'f29',
      tier: 0,
      changed: true,
      cycle: false,
      path: ['core:f29'],
      reason: 'holds libcore',
      dependsOn: [],
    },
    {
      node: 'tools:f29',
      name: 'tools',
      stream: 'f29',
      tier: 1,
      changed: false,
      cycle: false,
      path: ['core:f29', 'tools:f29'],
      reason: 'buildrequires core:f29',
      dependsOn: ['core:f29'],
    },
  ],
};

for (const kind of DATABASE_KINDS) {
  describe(`outbox on ${kind}`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await freshDatabase(kind);
    });
    after(async () => {
      await db.close();
      await db.drop();
    });

    const topics = async (object: string) =>
      (await readEventFeed(db.prisma, { after: 0, limit: 1000, object })).items.map((e) => [
        e.topic,
        (e.body as { state_name?: string; state?: string; status?: string; phase_name?: string }).state_name ??
          (e.body as { status?: string }).status ??
          (e.body as { phase_name?: string }).phase_name ??
          (e.body as { state?: string }).state,
      ]);

    it('campaigns: one event per change of the campaign or one of its modules, none for a retry', async () => {
      await recordCampaignPlan(db.prisma, input, plan);
      await recordCampaignPlan(db.prisma, input, plan);
      await updateCampaignModules(db.prisma, 'c-events', [{ node: 'core:f29', state: 'building', attempt: 1 }]);
      await updateCampaignModules(db.prisma, 'c-events', [{ node: 'core:f29', state: 'building', attempt: 1 }]);
      await updateCampaignModules(db.prisma, 'c-events', [
        { node: 'core:f29', state: 'failed', failedStep: 'ci', failure: 'smoke failed' },
        { node: 'tools:f29', state: 'blocked' },
      ]);
      // a new nsvc in the same state is not a state change
      await updateCampaignModules(db.prisma, 'c-events', [{ node: 'core:f29', state: 'failed', nsvc: NSVC }]);
      await setCampaignState(db.prisma, 'c-events', 'waiting', 'core:f29 failed');
      await setCampaignState(db.prisma, 'c-events', 'waiting', 'core:f29 failed');
      await updateCampaignModules(db.prisma, 'c-events', [{ node: 'core:f29', state: 'failed', attempt: 2 }]);
      await setCampaignState(db.prisma, 'c-events', 'running', null);

      const feed = await readEventFeed(db.prisma, { after: 0, limit: 100, object: 'campaign/c-events' });
      assert.deepEqual(
        feed.items.map((e) => [
          e.topic,
          (e.body as { module?: string }).module ?? null,
          (e.body as { state: string }).state,
        ]),
        [
          ['cascade.campaign.state.change', null, 'running'],
          ['cascade.campaign.module.state.change', 'core:f29', 'building'],
          ['cascade.campaign.module.state.change', 'core:f29', 'failed'],
          ['cascade.campaign.module.state.change', 'tools:f29', 'blocked'],
          ['cascade.campaign.state.change', null, 'waiting'],
          ['cascade.campaign.module.state.change', 'core:f29', 'failed'],
          ['cascade.campaign.state.change', null, 'running'],
        ],
      );
      const failed = feed.items[2]!.body as Record<string, unknown>;
      assert.deepEqual(
        [failed.campaign_id, failed.failed_step, failed.failure, failed.attempt, failed.tier],
        ['c-events', 'ci', 'smoke failed', 1, 0],
      );
      assert.equal(new Set(feed.items.map((e) => e.messageId)).size, feed.items.length);
      const ids = feed.items.map((e) => e.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
      );
    });

    it("module and component builds: MBS's states and bodies, once each", async () => {
      const record = {
        nsvc: NSVC,
        name: 'tools',
        stream: 'f29',
        version: '2900002026113001',
        context: '6c81f848',
        commitHash: 'a'.repeat(40),
        strategy: 'changed-and-after',
        workflowId: 'module-build-tools-f29-2900002026113001',
        owner: 'admin',
        campaignId: 'c-events',
      };
      const components = [{ name: 'toolkit', commitHash: 'b'.repeat(40), batch: 1 }];
      const planned = await recordPlannedModuleBuild(db.prisma, record, components, true);
      // a retried plan finds the build as the first left it, and changes nothing
      const replanned = await recordPlannedModuleBuild(db.prisma, record, components, true);
      assert.deepEqual([planned.before, replanned.before, replanned.id], [null, 'build', planned.id]);
      await setModuleBuildState(db.prisma, NSVC, 'build');
      await setComponentBuildState(db.prisma, NSVC, 'toolkit', { state: 'building', taskId: '7' });
      await setComponentBuildState(db.prisma, NSVC, 'toolkit', { state: 'building', taskId: '7' });
      await setComponentBuildState(db.prisma, NSVC, 'toolkit', {
        state: 'complete',
        taskId: '7',
        nvr: 'toolkit-1.0-1.module_f29+1+6c81f848',
      });
      await setModuleBuildState(db.prisma, NSVC, 'done');
      await setModuleBuildState(db.prisma, NSVC, 'ready');
      await setModuleBuildState(db.prisma, NSVC, 'ready');

      const feed = await readEventFeed(db.prisma, { after: 0, limit: 100, object: `module-build/${NSVC}` });
      assert.deepEqual(
        feed.items.map((e) => [e.topic, (e.body as { state: number | null }).state]),
        [
          ['mbs.module.state.change', 0],
          ['mbs.module.state.change', 1],
          ['mbs.module.state.change', 2],
          ['mbs.component.state.change', 0],
          ['mbs.component.state.change', 1],
          ['mbs.module.state.change', 3],
          ['mbs.module.state.change', 5],
        ],
      );
      // each is the object's next event, named by the version-3 UUID of its number
      assert.deepEqual(
        feed.items.map((e) => e.messageId),
        feed.items.map((e, seq) => sequencedMessageId(e.objectKey, seq)),
      );
      assert.match(feed.items[0]!.messageId, /^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const done = feed.items[5]!.body as Record<string, unknown>;
      assert.deepEqual(
        [done.name, done.stream, done.version, done.context, done.state_name, done.owner, done.koji_tag],
        ['tools', 'f29', '2900002026113001', '6c81f848', 'done', 'admin', 'module-tools-f29-2900002026113001-6c81f848'],
      );
      const row = await db.prisma.moduleBuild.findUniqueOrThrow({
        where: { nsvc: NSVC },
        include: { components: true },
      });
      assert.deepEqual(done.component_builds, [row.components[0]!.id]);
      // the row's own time, whatever the process's zone (a raw timestamp can be read back as local time)
      assert.equal(done.time_submitted, row.createdAt.toISOString().replace(/\.\d+Z$/, 'Z'));
      assert.ok(done.time_completed);
      const complete = feed.items[4]!.body as Record<string, unknown>;
      assert.deepEqual(
        [complete.package, complete.state_name, complete.nvr, complete.task_id, complete.format],
        ['toolkit', 'COMPLETE', 'toolkit-1.0-1.module_f29+1+6c81f848', '7', 'rpms'],
      );
    });

    it('a transaction that fails writes neither the change nor its event; the retry writes one', async () => {
      const before = await db.prisma.event.count();
      // The outbox refuses this one event, as a full disk or a dropped connection would: the state
      // change in the same transaction must go with it.
      await db.prisma.$executeRawUnsafe(`
        CREATE FUNCTION refuse_failed_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.body->>'state_name' = 'failed' THEN RAISE EXCEPTION 'outbox refused the event'; END IF;
          RETURN NEW;
        END $$`);
      await db.prisma.$executeRawUnsafe(
        `CREATE TRIGGER refuse_failed BEFORE INSERT ON "Event" FOR EACH ROW EXECUTE FUNCTION refuse_failed_event()`,
      );
      await assert.rejects(setModuleBuildState(db.prisma, NSVC, 'failed', { reason: 'boom' }), /outbox refused/);
      const row = await db.prisma.moduleBuild.findUniqueOrThrow({ where: { nsvc: NSVC }, include: { states: true } });
      assert.equal(row.state, 'ready');
      assert.equal(row.stateReason, null);
      assert.ok(!row.states.some((s) => s.state === 'failed'));
      assert.equal(await db.prisma.event.count(), before);

      await db.prisma.$executeRawUnsafe(`DROP TRIGGER refuse_failed ON "Event"`);
      await setModuleBuildState(db.prisma, NSVC, 'failed', { reason: 'boom' });
      await setModuleBuildState(db.prisma, NSVC, 'failed', { reason: 'boom' });
      assert.equal(await db.prisma.event.count(), before + 1);
      const last = (await readEventFeed(db.prisma, { after: 0, limit: 100, object: `module-build/${NSVC}` })).items.at(
        -1,
      )!;
      assert.deepEqual(
        [(last.body as { state: number }).state, (last.body as { state_reason: string }).state_reason],
        [4, 'boom'],
      );
    });

    it("CI results: ResultsDB's result.new once per result, whatever the retries", async () => {
      const build = await db.prisma.moduleBuild.findUniqueOrThrow({ where: { nsvc: NSVC } });
      const run = {
        runKey: `ci/${NSVC}/1`,
        nsvc: NSVC,
        moduleBuildId: build.id,
        campaignId: 'c-events',
        results: [
          { testcase: 'modulemd.valid', outcome: 'PASSED' as const, durationMs: 5, log: '', data: { note: '' } },
          {
            testcase: 'dnf.install',
            outcome: 'FAILED' as const,
            durationMs: 9,
            log: 'x',
            data: { note: 'no libcore' },
          },
        ],
      };
      await recordCiRun(db.prisma, run);
      await recordCiRun(db.prisma, run);
      const results = (await readEventFeed(db.prisma, { after: 0, limit: 100, topic: 'resultsdb.' })).items;
      assert.equal(results.length, 2);
      const failed = results[1]!.body as Record<string, unknown>;
      assert.equal(failed.outcome, 'FAILED');
      assert.equal(failed.note, 'no libcore');
      assert.deepEqual(failed.testcase, { name: 'dnf.install', ref_url: null });
      assert.deepEqual((failed.data as Record<string, string[]>).item, [NSVC]);
      assert.deepEqual((failed.data as Record<string, string[]>).type, ['module']);
      assert.equal(results[1]!.objectKey, `module-build/${NSVC}`);
    });

    it("composes: Pungi's status and phase messages, once per change", async () => {
      const compose = await allocateCompose(db.prisma, {
        short: 'cascade',
        version: '29',
        type: 'nightly',
        date: '20261130',
        request: {},
        origin: 'release',
        createdBy: 'admin',
        workflowIdFor: (id) => `compose-${id}`,
      });
      const id = compose.composeId;
      await recordComposePhase(db.prisma, id, 'init', 'running');
      await recordComposePhase(db.prisma, id, 'init', 'running');
      await recordComposePhase(db.prisma, id, 'init', 'done');
      await recordComposePhase(db.prisma, id, 'init', 'done', { note: 'again' });
      await recordVariantValidation(db.prisma, id, 'Server', [
        { testcase: 'repoclosure', outcome: 'PASSED', data: {}, log: null, note: '' },
      ]);
      await recordVariantValidation(db.prisma, id, 'Server', [
        { testcase: 'repoclosure', outcome: 'PASSED', data: {}, log: null, note: '' },
      ]);
      await recordComposeVariants(db.prisma, id, [
        { uid: 'Server', name: 'Server', type: 'variant', arches: ['x86_64'], state: 'pending' },
      ]);
      await setComposeVariantState(db.prisma, id, 'Server', 'ready', null);
      await setComposeVariantState(db.prisma, id, 'Server', 'ready', null);
      await setComposeStatus(db.prisma, id, 'FINISHED', { path: `/composes/${id}` });
      await setComposeStatus(db.prisma, id, 'FINISHED');
      await markComposePublished(db.prisma, id, `/mirror/${id}`);
      await markComposePublished(db.prisma, id, `/mirror/${id}`);
      assert.deepEqual(await topics(`compose/${id}`), [
        ['pungi.compose.status.change', 'STARTED'],
        ['pungi.compose.phase.start', 'init'],
        ['pungi.compose.phase.stop', 'init'],
        ['resultsdb.result.new', undefined],
        ['cascade.compose.variant.state.change', 'ready'],
        ['pungi.compose.status.change', 'FINISHED'],
        ['cascade.compose.published', 'FINISHED'],
      ]);
      const finished = (await readEventFeed(db.prisma, { after: 0, limit: 100, topic: 'pungi.compose.status' }))
        .items[1]!.body as Record<string, unknown>;
      assert.deepEqual(
        [
          finished.compose_id,
          finished.location,
          finished.compose_type,
          finished.compose_respin,
          finished.release_short,
        ],
        [id, `/composes/${id}`, 'nightly', 0, 'cascade'],
      );
    });

    it('pages the feed with after= and filters by topic prefix and object', async () => {
      const all = (await readEventFeed(db.prisma, { after: 0, limit: 1000 })).items;
      const first = await readEventFeed(db.prisma, { after: 0, limit: 3 });
      assert.equal(first.next, first.items[2]!.id);
      const rest = await readEventFeed(db.prisma, { after: first.next!, limit: 1000 });
      assert.equal(rest.next, null);
      assert.deepEqual([...first.items, ...rest.items], all);
      const mbs = await readEventFeed(db.prisma, { after: 0, limit: 1000, topic: 'mbs.' });
      assert.ok(mbs.items.length > 0 && mbs.items.every((e) => e.topic.startsWith('mbs.')));
    });

    it("keeps each object's event count equal to its events, whatever was skipped as a duplicate", async () => {
      const drafts = [
        { topic: 'test.count', objectKey: 'test/count', body: { n: 1 }, severity: 20 },
        { topic: 'test.count', objectKey: 'test/count', body: { n: 2 }, severity: 20, naturalKey: 'count-once' },
      ];
      await db.prisma.$transaction((tx) => appendEvents(viaPrisma(tx), drafts));
      // the natural key's event is skipped the second time; the sequenced one is the object's third
      await db.prisma.$transaction((tx) => appendEvents(viaPrisma(tx), drafts));
      const counted = await db.prisma.$queryRawUnsafe<{ objectKey: string; events: number; rows: number }[]>(
        `SELECT c."objectKey", c.events, (SELECT count(*)::int FROM "Event" e WHERE e."objectKey" = c."objectKey") AS rows
         FROM "EventCount" c ORDER BY 1`,
      );
      const objects = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(DISTINCT "objectKey")::int AS n FROM "Event"`,
      );
      assert.equal(counted.length, objects[0]!.n);
      for (const c of counted) assert.equal(c.events, c.rows, c.objectKey);
      assert.equal(counted.find((c) => c.objectKey === 'test/count')?.events, 3);
      const ids = (await readEventFeed(db.prisma, { after: 0, limit: 1000, object: 'test/count' })).items;
      assert.deepEqual(
        ids.map((e) => e.messageId),
        [sequencedMessageId('test/count', 0), messageIdFor('count-once'), sequencedMessageId('test/count', 2)],
      );
    });

    if (kind === 'postgres') {
      it("numbers one object's events without a gap or a repeat when twenty writers append at once", async () => {
        const runner = sqlFor(db.prisma);
        const writers = 20;
        await Promise.all(
          Array.from({ length: writers }, (_, i) =>
            runner.transaction((session) =>
              appendEvents(session, [
                { topic: 'test.race', objectKey: 'test/race', body: { writer: i }, severity: 20 },
                { topic: 'test.race', objectKey: 'test/race', body: { writer: i, second: true }, severity: 20 },
              ]),
            ),
          ),
        );
        const events = (await readEventFeed(db.prisma, { after: 0, limit: 1000, object: 'test/race' })).items;
        assert.deepEqual(
          events.map((e) => e.messageId),
          Array.from({ length: 2 * writers }, (_, seq) => sequencedMessageId('test/race', seq)),
        );
        const counted = await runner.query<{ events: number }>(
          sql`SELECT events FROM "EventCount" WHERE "objectKey" = ${'test/race'}`,
        );
        assert.deepEqual(counted, [{ events: 2 * writers }]);
      });

      it('shows no event while an earlier id is still uncommitted (the feed cursor is safe)', async () => {
        const url = (db.target as { url: string }).url;
        const watcher = new Client({ connectionString: url });
        await watcher.connect();
        const start = Number((await watcher.query('SELECT coalesce(max(id), 0) AS m FROM "Event"')).rows[0].m);
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        let appended!: () => void;
        const inserted = new Promise<void>((r) => (appended = r));
        const slow = db.prisma.$transaction(
          async (tx) => {
            await appendEvents(viaPrisma(tx), [
              { topic: 'test.slow', objectKey: 'test/slow', body: {}, severity: 20, naturalKey: 'slow' },
            ]);
            appended();
            await held;
          },
          { timeout: 60_000 },
        );
        await inserted;
        const fast = setCampaignState(db.prisma, 'c-events', 'finished', null);
        // wait until the second writer is queued behind the first one's lock
        for (;;) {
          const waiting = await watcher.query(
            `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
          );
          if (waiting.rows[0].n > 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        const visible = await watcher.query('SELECT id FROM "Event" WHERE id > $1', [start]);
        assert.equal(visible.rowCount, 0, 'a later event must not be visible before the earlier one commits');
        release();
        await slow;
        await fast;
        const after = await watcher.query('SELECT id, topic FROM "Event" WHERE id > $1 ORDER BY id', [start]);
        assert.deepEqual(
          after.rows.map((r) => r.topic),
          ['test.slow', 'cascade.campaign.state.change'],
        );
        await watcher.end();
      });
    }
  });
}
