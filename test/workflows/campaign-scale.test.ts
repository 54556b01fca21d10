// A campaign of a few thousand modules in ten tiers on the real campaign workflow and activities, with
// zero-cost attempts (test/support/instant-attempt-workflows.ts: each passes at once through the real
// attempt's last step), so that it fits make test's budget: the windowed campaign keeps its plan and
// progress in the store, every run's history, every continue-as-new input and every payload stays
// small, each module passes once, and the API's dry run and campaign page answer per tier with counts
// first. The bench (npm run bench -- campaign) runs real attempts and module builds at this scale.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { InMemoryDistGit, InstantBuilder, InstantModuleCi, writeNoModuleRepo } from '../../bench/instant-adapters';
import {
  BENCH_BRANCH,
  CHANGED_COMPONENT,
  generateTieredDistribution,
  loadTieredDistribution,
} from '../../bench/tiered-distribution';
import { chainHistorySizes, historySize } from '../../bench/workflow-histories';
import { startCampaign } from '../../clients/campaign-client';
import { campaignIdFor, changeKeyOf, DEFAULT_REBUILD_STRATEGY } from '../../domain/campaign';
import { workflowIds } from '../../domain/workflow-ids';
import { campaignSettings } from '../../platform/config';
import { createNotifierFromConfig } from '../../platform/notifier-setup';
import { eventually, startTestStack, type TestStack } from '../support/stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies, checked field by field
type Json = any;

const TIERS = 10;
const PER_TIER = 200;
const MODULES = TIERS * PER_TIER;

describe('A windowed campaign of 2,000 modules', () => {
  let stack: TestStack;
  let native: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let campaignId: string;
  let workflowId: string;
  const distribution = generateTieredDistribution(41, TIERS, PER_TIER);

  before(async () => {
    stack = await startTestStack('postgres', { worker: false, env: { CASCADE_CAMPAIGN_CONCURRENCY: '50' } });
    const distGit = new InMemoryDistGit();
    await loadTieredDistribution(distribution, distGit, stack.db.prisma, new Date('2020-01-06T10:00:00Z'));
    native = await NativeConnection.connect({ address: stack.config.temporal.address });
    const { config } = stack;
    worker = await Worker.create({
      connection: native,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      workflowsPath: require.resolve('../support/instant-attempt-workflows'),
      activities: createActivities({
        prisma: stack.db.prisma,
        distGit,
        builder: new InstantBuilder(),
        kojiRoot: config.builds.kojiRoot,
        campaigns: { settings: campaignSettings(config), pushBranches: [], taskQueue: config.temporal.taskQueue },
        notifier: createNotifierFromConfig(config.notify, stack.db.prisma),
        ci: new InstantModuleCi(),
        writeModuleRepo: writeNoModuleRepo,
        composes: config.composes,
      }),
    });
    running = worker.run();
  });
  after(async () => {
    worker?.shutdown();
    await running;
    await native?.close();
    await stack?.stop();
  });

  it('answers the dry run per tier, counts first, a page of modules each', async () => {
    const body = { components: [CHANGED_COMPONENT], branch: BENCH_BRANCH, dryRun: true };
    const plan = await eventually(async () => {
      const res = await stack.request('POST', '/api/v1/campaigns?limit=25', { token: stack.adminToken, body });
      return res.status === 200 && res.body.total === MODULES ? res.body : undefined;
    }, 60_000);
    assert.equal(plan.tiers.length, TIERS);
    for (const tier of plan.tiers) {
      assert.equal(tier.count, PER_TIER);
      assert.equal(tier.truncated, true);
      assert.equal(tier.modules.length, 25);
    }
  });

  it('walks one tier of the dry run page by page, the other tiers by their counts only', async () => {
    const body = { components: [CHANGED_COMPONENT], branch: BENCH_BRANCH, dryRun: true };
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const query: string = `tier=4&limit=90${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const res = await stack.request('POST', `/api/v1/campaigns?${query}`, { token: stack.adminToken, body });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const plan: Json = res.body;
      assert.equal(plan.total, MODULES);
      assert.deepEqual(
        plan.tiers.map((t: Json) => [t.tier, t.count, t.tier === 4 ? 'shown' : t.modules.length]),
        Array.from({ length: TIERS }, (_, t) => [t, PER_TIER, t === 4 ? 'shown' : 0]),
      );
      const tier = plan.tiers[4];
      assert.ok(tier.modules.length <= 90);
      seen.push(...tier.modules.map((m: Json) => m.module));
      after = tier.nextCursor;
    } while (after);
    assert.equal(seen.length, PER_TIER);
    assert.equal(new Set(seen).size, PER_TIER);
  });

  it('refuses a malformed page of the dry run with 400 naming the field', async () => {
    const body = { components: [CHANGED_COMPONENT], branch: BENCH_BRANCH, dryRun: true };
    const res = await stack.request('POST', '/api/v1/campaigns?tier=-1&after=nocolon', {
      token: stack.adminToken,
      body,
    });
    assert.equal(res.status, 400);
    const fields = res.body.error.details.fields.map((f: { field: string }) => f.field).sort();
    assert.deepEqual(fields, ['query.after', 'query.tier']);
  });

  it('starts every module once, and finishes', async () => {
    // Started as the API starts it, with runs of at most 1,000 events: several continue-as-new at this size.
    const triggeredAt = new Date().toISOString();
    const changeKey = changeKeyOf(
      BENCH_BRANCH,
      [{ namespace: 'rpms', name: CHANGED_COMPONENT, head: undefined }],
      'buildrequires',
      triggeredAt,
    );
    ({ id: campaignId, workflowId } = await startCampaign(stack.temporal, stack.config.temporal.taskQueue, {
      campaignId: campaignIdFor(changeKey),
      request: {
        components: [CHANGED_COMPONENT],
        modules: [],
        branch: BENCH_BRANCH,
        strategy: DEFAULT_REBUILD_STRATEGY,
        relation: 'buildrequires',
        dryRun: false,
        reason: 'scale test',
      },
      requestedBy: 'admin',
      changeKey,
      triggeredAt,
      settings: { ...campaignSettings(stack.config), continueAsNewAfterEvents: 1_000 },
    }));
    const result = await stack.temporal.workflow.getHandle(workflowId).result();
    assert.equal(result.state, 'finished');
    assert.equal(result.counts.passed, MODULES);

    const rows = await stack.db.prisma.campaignModule.groupBy({
      by: ['state', 'attempt'],
      where: { campaignId },
      _count: { _all: true },
    });
    assert.deepEqual(
      rows.map((r) => [r.state, r.attempt, r._count._all]),
      [['passed', 1, MODULES]],
    );
    // one attempt per module, each started once (visibility catches up a moment after)
    const query = `WorkflowType = 'campaignModuleAttempt' AND CascadeCampaignId = '${campaignId}'`;
    const attempts = await eventually(async () => {
      const { count } = await stack.temporal.workflow.count(query);
      return count >= MODULES ? count : undefined;
    }, 30_000);
    assert.equal(attempts, MODULES);
  });

  it("keeps each run's history, its continue-as-new input and the attempts' histories small", async () => {
    const runs = await chainHistorySizes(stack.temporal, workflowId);
    assert.ok(runs.length >= 2, `${MODULES} modules take more than one run of 1,000 events (${runs.length})`);
    for (const run of runs) {
      // the server suggests continue-as-new at 4,096 events or 4 MiB, warns at 10,240 and 10 MB
      assert.ok(run.events <= 1_200, `a run of ${run.events} events`);
      assert.ok(run.bytes < 1024 * 1024, `a run of ${run.bytes} bytes`);
      // payloads warn at 256 KB: no event comes near
      assert.ok(run.largestEvent.bytes < 16 * 1024, `${run.largestEvent.type} of ${run.largestEvent.bytes} bytes`);
    }
    const inputs = runs.slice(1).map((r) => r.startedEventBytes);
    assert.ok(Math.max(...inputs) < 16 * 1024, `continue-as-new inputs of ${inputs.join(', ')} bytes`);
    const sample = distribution.modules[MODULES - 1]!;
    const attempt = await historySize(
      stack.temporal,
      workflowIds.campaignModuleAttempt(campaignId, `${sample.name}:${BENCH_BRANCH}`, 1),
    );
    assert.ok(attempt.events < 20, `an attempt of ${attempt.events} events`);
  });

  it('pages the campaign per tier with counts first', async () => {
    const first = await stack.request('GET', `/api/v1/campaigns/${campaignId}?limit=50`);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const c: Json = first.body;
    assert.equal(c.state, 'finished');
    assert.equal(c.counts.passed, MODULES);
    assert.equal(c.tiers.length, TIERS);
    for (const tier of c.tiers) {
      assert.deepEqual([tier.count, tier.counts.passed, tier.modules.length], [PER_TIER, PER_TIER, 50]);
      assert.ok(tier.nextCursor);
    }
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const query: string = `tier=3&limit=70${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const page: Json = (await stack.request('GET', `/api/v1/campaigns/${campaignId}?${query}`)).body;
      assert.deepEqual(
        page.tiers.map((t: Json) => t.tier),
        [3],
      );
      seen.push(...page.tiers[0].modules.map((m: Json) => m.module));
      after = page.tiers[0].nextCursor;
    } while (after);
    assert.equal(seen.length, PER_TIER);
    assert.equal(new Set(seen).size, PER_TIER);
  });

  it('answers the live progress per tier, counts first, a page of each tier from the store', async () => {
    // The last run of the finished campaign still answers its query (replayed by the worker).
    const res = await stack.request('GET', `/api/v1/campaigns/${campaignId}/progress`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const p: Json = res.body;
    assert.equal(p.state, 'finished');
    assert.equal(p.windowOnly, true);
    assert.equal(p.counts.passed, MODULES);
    assert.deepEqual(
      p.tiers.map((t: Json) => [t.tier, t.count, t.counts.passed, Boolean(t.nextCursor)]),
      Array.from({ length: TIERS }, (_, t) => [t, PER_TIER, PER_TIER, true]),
    );
    // the default page: 100 modules of each tier
    assert.equal(p.modules.length, TIERS * 100);
    assert.deepEqual(p.window, []);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const query: string = `tier=7&limit=64${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const page: Json = (await stack.request('GET', `/api/v1/campaigns/${campaignId}/progress?${query}`)).body;
      assert.equal(page.tiers.length, TIERS);
      assert.ok(page.modules.every((m: Json) => m.tier === 7 && m.state === 'passed' && m.attempt === 1));
      seen.push(...page.modules.map((m: Json) => m.node));
      after = page.tiers[7].nextCursor;
    } while (after);
    assert.equal(seen.length, PER_TIER);
    assert.equal(new Set(seen).size, PER_TIER);
  });

  it('refuses a malformed progress page with 400 naming the field', async () => {
    const res = await stack.request('GET', `/api/v1/campaigns/${campaignId}/progress?limit=0`);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.details.fields[0].field, 'query.limit');
  });
});
