// A campaign of a couple of thousand modules in ten tiers on the real workflows and activities, with
// zero-cost builds (bench/instant-adapters.ts): the windowed campaign keeps its plan and progress in
// the store, so every run's history, every continue-as-new input and every payload stays small, each
// module passes once, and the API's dry run and campaign page answer per tier with counts first.
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
  const builder = new InstantBuilder();

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
      workflowsPath: require.resolve('../../workflows'),
      activities: createActivities({
        prisma: stack.db.prisma,
        distGit,
        builder,
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

  it('runs every module once, and passes', async () => {
    const res = await stack.request('POST', '/api/v1/campaigns', {
      token: stack.adminToken,
      body: { components: [CHANGED_COMPONENT], branch: BENCH_BRANCH, reason: 'scale test' },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    ({ id: campaignId, workflowId } = res.body);
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
    const builds = await stack.db.prisma.moduleBuild.groupBy({
      by: ['state'],
      where: { campaignId },
      _count: { _all: true },
    });
    assert.deepEqual(
      builds.map((b) => [b.state, b._count._all]),
      [['ready', MODULES]],
    );
    assert.equal(builder.submitted, distribution.components, 'each component built once');
  });

  it("keeps each run's history, its continue-as-new input and the attempts' histories small", async () => {
    const runs = await chainHistorySizes(stack.temporal, workflowId);
    assert.ok(runs.length >= 2, `${MODULES} modules take more than one run (${runs.length})`);
    for (const run of runs) {
      // the server suggests continue-as-new at 4,096 events or 4 MiB, warns at 10,240 and 10 MB
      assert.ok(run.events <= 3_200, `a run of ${run.events} events`);
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
    assert.ok(attempt.events < 60, `an attempt of ${attempt.events} events`);
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
});
