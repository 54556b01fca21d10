// The rebuild campaign end to end on the real Temporal dev server, with real git pushes, rpmbuild,
// dnf and CI: a component push starts a campaign over three tiers; one module's CI fails, its
// maintainer finds the notification and pushes a fix; the campaign resumes and finishes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { specFile } from '../support/module-fixture';
import {
  createDistribution,
  distributionMaintainers,
  prebuildDistribution,
  smokeTest,
  type Distribution,
} from '../support/distribution-fixture';
import { GitPerson, personEnv } from '../support/git-person';
import { replayAndRecordHistory } from '../support/recorded-histories';
import { eventually, startTestStack, type TestStack } from '../support/stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies, checked field by field
type Json = any;

describe('RebuildCampaign', () => {
  let stack: TestStack;
  let dist: Distribution;
  let tina: { token: string };
  let bob: { token: string };
  let campaignId: string;
  const prebuilt = new Map<string, string>();

  before(async () => {
    stack = await startTestStack('postgres', { env: { CASCADE_CAMPAIGN_BRANCHES: 'f29' } });
    dist = await createDistribution(stack.distGit, { failingSmoke: true });
    ({ tina, bob } = await distributionMaintainers(stack));
    for (const [name, nsvc] of await prebuildDistribution(stack)) prebuilt.set(name, nsvc);
  });
  after(async () => {
    await stack?.stop();
  });

  const campaign = async (): Promise<Json> => (await stack.request('GET', `/api/v1/campaigns/${campaignId}`)).body;
  const stateOf = (c: Json) =>
    Object.fromEntries(c.tiers.flatMap((t: Json) => t.modules.map((m: Json) => [m.module, m.state])));

  it('answers a dry run with the tiers and why each module is rebuilt, building nothing', async () => {
    const res = await stack.request('POST', '/api/v1/campaigns', {
      token: stack.adminToken,
      body: { components: ['libcore'], branch: 'f29', dryRun: true },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.tiers.map((t: Json) => t.modules.map((m: Json) => m.module)),
      [['core:f29'], ['lang:f29', 'tools:f29'], ['app:f29', 'docs:f29']],
    );
    const app = res.body.tiers[2].modules.find((m: Json) => m.module === 'app:f29');
    assert.deepEqual(app.path, ['core:f29', 'tools:f29', 'app:f29']);
    assert.match(app.reason, /buildrequires tools:f29/);
    assert.match(res.body.tiers[0].modules[0].reason, /holds rpms\/libcore, changed on f29/);
    assert.equal(await stack.db.prisma.campaign.count(), 0);
  });

  it('starts one campaign from a push of the component, and the same change asked through the API meets it', async () => {
    const libcore = dist.rpm('libcore');
    await libcore.commit(
      'f29',
      { 'libcore.spec': specFile('libcore', { note: 'patched' }) },
      'patch libcore',
      dist.tick(),
    );
    await libcore.push('f29');
    const listed = await eventually(async () => {
      const res = await stack.request('GET', '/api/v1/campaigns');
      return res.body.items.length === 1 ? res.body.items[0] : undefined;
    });
    campaignId = listed.id;
    const again = await stack.request('POST', '/api/v1/campaigns', {
      token: stack.adminToken,
      body: { components: ['libcore'], branch: 'f29' },
    });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual([again.body.id, again.body.existing], [campaignId, true]);
    assert.equal(await stack.db.prisma.campaign.count(), 1);
  });

  it('builds tier by tier; a CI failure blocks only what depends on it and waits for a person', async () => {
    const waiting = await eventually(async () => {
      const c = await campaign();
      return c.state === 'waiting' ? c : undefined;
    }, 240_000);
    assert.deepEqual(
      stateOf(waiting),
      {
        'core:f29': 'passed',
        'lang:f29': 'passed',
        'tools:f29': 'failed',
        'app:f29': 'blocked',
        'docs:f29': 'passed',
      },
      JSON.stringify(waiting.blocking),
    );
    const [blocking] = waiting.blocking;
    assert.equal(blocking.module, 'tools:f29');
    assert.equal(blocking.failedStep, 'ci');
    assert.match(blocking.failure, /module\.tests\.smoke\.sh/);
    assert.equal(blocking.blocks, 1);
    assert.deepEqual(blocking.canAct, ['tina', 'role:release-engineer']);
    assert.equal(waiting.counts.passed, 3);

    const live = await stack.request('GET', `/api/v1/campaigns/${campaignId}/progress`);
    assert.equal(live.status, 200);
    assert.deepEqual(live.body.modules.find((m: Json) => m.node === 'app:f29').blockedBy, ['tools:f29']);

    // ResultsDB's view of the failed run.
    const tools = waiting.tiers[1].modules.find((m: Json) => m.module === 'tools:f29');
    const results = await stack.request(
      'GET',
      `/api/v1/ci/results?item=${encodeURIComponent(tools.nsvc)}&outcome=FAILED`,
    );
    assert.deepEqual(
      results.body.data.map((r: Json) => r.testcase.name),
      ['module.tests.smoke.sh'],
    );
  });

  it("tells the failed module's maintainer, and no one else", async () => {
    const inbox = await stack.request('GET', '/api/v1/notifications', { token: tina.token });
    assert.equal(inbox.status, 200);
    const failed = inbox.body.items.filter((n: Json) => n.kind === 'campaign.module-failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].campaignId, campaignId);
    assert.equal(failed[0].module, 'tools:f29');
    assert.match(failed[0].body, /cascade campaign resume/);
    const bobs = await stack.request('GET', '/api/v1/notifications', { token: bob.token });
    assert.equal(bobs.body.items.length, 0);
  });

  it('refuses a person who does not maintain the module (403) and malformed actions (400), changing nothing', async () => {
    for (const action of ['resume', 'retry', 'skip']) {
      const res = await stack.request('POST', `/api/v1/campaigns/${campaignId}/modules/tools:f29/${action}`, {
        token: bob.token,
        body: { reason: 'not mine' },
      });
      assert.equal(res.status, 403, action);
    }
    const noReason = await stack.request('POST', `/api/v1/campaigns/${campaignId}/modules/tools:f29/skip`, {
      token: tina.token,
      body: {},
    });
    assert.equal(noReason.status, 400);
    assert.deepEqual(
      noReason.body.error.details.fields.map((f: Json) => f.field),
      ['body.reason'],
    );
    const badModule = await stack.request('POST', `/api/v1/campaigns/${campaignId}/modules/tools/retry`, {
      token: tina.token,
      body: {},
    });
    assert.equal(badModule.status, 400);
    assert.deepEqual(
      badModule.body.error.details.fields.map((f: Json) => f.field),
      ['params.module'],
    );
    const notFailed = await stack.request('POST', `/api/v1/campaigns/${campaignId}/modules/lang:f29/retry`, {
      token: stack.adminToken,
      body: {},
    });
    assert.equal(notFailed.status, 409);
    assert.match(notFailed.body.error.message, /lang:f29 is passed/);
    assert.equal(await stack.db.prisma.campaignAction.count(), 0);
    const c = await campaign();
    assert.equal(stateOf(c)['tools:f29'], 'failed');
    assert.equal(c.state, 'waiting');
  });

  it('lets the maintainer retry CI on the same build, which fails again and waits again', async () => {
    const before = (await campaign()).tiers[1].modules.find((m: Json) => m.module === 'tools:f29');
    const retried = await stack.request('POST', `/api/v1/campaigns/${campaignId}/modules/tools:f29/retry`, {
      token: tina.token,
      body: { reason: 'flaky?' },
    });
    assert.equal(retried.status, 202, JSON.stringify(retried.body));
    assert.deepEqual(retried.body, { action: 'retry', module: 'tools:f29', attempt: 2 });
    const again = await eventually(async () => {
      const c = await campaign();
      const tools = c.tiers[1].modules.find((m: Json) => m.module === 'tools:f29');
      return c.state === 'waiting' && tools.attempt === 2 && tools.state === 'failed' ? tools : undefined;
    }, 120_000);
    assert.equal(again.nsvc, before.nsvc, 'CI ran again on the same build');
    const inbox = await stack.request('GET', '/api/v1/notifications', { token: tina.token });
    assert.equal(inbox.body.items.filter((n: Json) => n.kind === 'campaign.module-failed').length, 2);
  });

  it('resumes when the maintainer pushes a fix, and finishes the later tiers', async () => {
    const fixer = await GitPerson.clone(
      stack.distGit.repoPath({ namespace: 'modules', name: 'tools' }),
      dist.home,
      personEnv(dist.home, {
        GL_USER: 'tina',
        GIT_AUTHOR_NAME: 'Tina Maintainer',
        GIT_AUTHOR_EMAIL: 'tina@example.org',
      }),
    );
    await fixer.run(['checkout', '--quiet', '-b', 'f29', 'origin/f29']);
    await fixer.commit('f29', { 'tests/smoke.sh': smokeTest(true) }, 'fix the smoke test', dist.tick());
    await fixer.push('f29');
    const finished = await eventually(async () => {
      const c = await campaign();
      return c.state === 'finished' ? c : undefined;
    }, 240_000);
    assert.deepEqual(Object.values(stateOf(finished)), ['passed', 'passed', 'passed', 'passed', 'passed']);
    assert.deepEqual(
      finished.actions.map((a: Json) => [a.action, a.actor]),
      [
        ['retry', 'tina'],
        ['resume', 'tina'],
      ],
    );
    const resume = finished.actions.find((a: Json) => a.action === 'resume');
    assert.equal(resume.actor, 'tina');
    assert.equal(resume.module, 'tools:f29');
    assert.match(resume.reason, /fix pushed to modules\/tools@f29/);

    // Every module built exactly once in the campaign, except the fixed one; `other` not at all.
    const builds = await stack.db.prisma.moduleBuild.findMany({ where: { campaignId }, include: { components: true } });
    const perModule: Record<string, number> = {};
    for (const b of builds) perModule[b.name] = (perModule[b.name] ?? 0) + 1;
    assert.deepEqual(perModule, { app: 1, core: 1, docs: 1, lang: 1, tools: 2 });
    assert.ok(builds.every((b) => b.state === 'ready'));
    // Each attempt built its module itself: the build's row names the attempt's workflow, and the
    // campaign started no ModuleBuild workflow (one workflow per module, not two).
    for (const b of builds)
      assert.match(b.workflowId, new RegExp(`^campaign-${campaignId}-${b.name}-f29-a\\d+$`), b.nsvc);
    const children = [];
    for await (const w of stack.temporal.workflow.list({
      query: `WorkflowType = 'moduleBuild' AND CascadeCampaignId = '${campaignId}'`,
    }))
      children.push(w.workflowId);
    assert.deepEqual(children, []);
    const toolsHistory = await stack.request(
      'GET',
      `/api/v1/module-builds/${encodeURIComponent(builds.find((b) => b.name === 'tools')!.nsvc)}/history`,
    );
    assert.equal(toolsHistory.status, 200);
    assert.match(toolsHistory.body.workflowId, /-tools-f29-a\d+$/);
    assert.ok(
      toolsHistory.body.events.some((e: Json) => e.type === 'ActivityTaskScheduled'),
      'the attempt history holds the build steps',
    );

    // Reuse: core's unchanged corehelp from the build before the campaign; the fixed tools' toolkit
    // from its first campaign build (same source, same buildroot).
    const core = builds.find((b) => b.name === 'core')!;
    const corehelp = core.components.find((c) => c.name === 'corehelp')!;
    assert.equal(corehelp.state, 'reused');
    const origin = await stack.db.prisma.componentBuild.findUnique({
      where: { id: corehelp.reusedFromId! },
      include: { moduleBuild: true },
    });
    assert.equal(origin!.moduleBuild.nsvc, prebuilt.get('core'));
    assert.equal(core.components.find((c) => c.name === 'libcore')!.state, 'complete');
    const [firstTools, secondTools] = builds
      .filter((b) => b.name === 'tools')
      .sort((a, b) => a.version.localeCompare(b.version));
    assert.equal(firstTools!.ciOutcome, 'FAILED');
    assert.equal(secondTools!.ciOutcome, 'PASSED');
    assert.equal(secondTools!.components[0]!.state, 'reused');
    // app was built on the fixed tools, not on the one whose CI failed.
    const app = builds.find((b) => b.name === 'app')!;
    assert.ok(app.modulemd!.includes(secondTools!.version), 'app buildrequires the second tools build');

    // The record says finished just before the workflow's last steps (a notification) complete.
    await stack.temporal.workflow.getHandle(`campaign-${campaignId}`).result();
    const history = await stack.request('GET', `/api/v1/campaigns/${campaignId}/history`);
    assert.equal(history.status, 200);
    const types = history.body.events.map((e: Json) => e.type);
    assert.equal(types[0], 'WorkflowExecutionStarted');
    assert.ok(types.includes('WorkflowExecutionUpdateAccepted'), types.join(' '));
    // launches are activities of their own, never local ones (whose markers let a replay take the
    // attempts' report signals in another order); attempts report by signal
    assert.ok(types.includes('ActivityTaskCompleted'), types.join(' '));
    assert.ok(!types.includes('MarkerRecorded'), types.join(' '));
    assert.ok(types.includes('WorkflowExecutionSignaled'), types.join(' '));
    assert.equal(types.at(-1), 'WorkflowExecutionCompleted');

    // The histories replay on the current workflow code (no non-determinism), and may be kept as fixtures.
    await replayAndRecordHistory(stack, `campaign-${campaignId}`, 'windowed-rebuild-campaign');
    await replayAndRecordHistory(stack, `campaign-${campaignId}-tools-f29-a3`, 'campaign-module-attempt-claimed');

    const mine = await stack.request('GET', '/api/v1/notifications', { token: stack.adminToken });
    assert.ok(mine.body.items.some((n: Json) => n.kind === 'campaign.finished' || n.kind === 'campaign.module-failed'));
  });
});
