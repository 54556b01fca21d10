// Two worker processes (and the API apart from them) against one PostgreSQL and one Temporal server
// share a rebuild campaign's work, with real rpmbuild: both have done work when one of them is killed
// (SIGKILL) while it holds a tier-1 build; the other carries on alone, and is killed in its turn while
// tier 2 builds, with no worker left; a fresh worker then finishes the campaign. Nothing was built
// twice: each LocalKoji task started once and ran rpmbuild once, one module build and one CI run per
// module. (Which worker ran what is read from Temporal's histories: each worker's identity is pid@host.)
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { createDistribution, prebuildDistribution } from '../support/distribution-fixture';
import { specFile } from '../support/module-fixture';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import { startWorkerProcess } from '../support/worker-process';

/** The pids of the workers that started an activity or a workflow task, from every history on the queue. */
async function workersThatWorked(temporal: Client, taskQueue: string): Promise<Set<number>> {
  const pids = new Set<number>();
  for await (const w of temporal.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
    const history = await temporal.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
    for (const event of history.events ?? []) {
      const identity =
        event.activityTaskStartedEventAttributes?.identity ?? event.workflowTaskStartedEventAttributes?.identity;
      const pid = identity ? Number(identity.split('@')[0]) : NaN;
      if (Number.isInteger(pid)) pids.add(pid);
    }
  }
  return pids;
}

/** The pid of the worker running a component build right now, if one does. */
async function holderOfBuild(temporal: Client, taskQueue: string): Promise<number | undefined> {
  const running = temporal.workflow.list({
    // module builds run in the campaign's attempts (or, recorded earlier, in their child module builds)
    query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`,
  });
  for await (const w of running) {
    const description = await temporal.workflow.getHandle(w.workflowId, w.runId).describe();
    for (const activity of description.raw.pendingActivities ?? []) {
      if (activity.activityType?.name !== 'buildModuleComponent' || !activity.lastWorkerIdentity) continue;
      if (activity.state !== 2) continue; // PENDING_ACTIVITY_STATE_STARTED
      return Number(activity.lastWorkerIdentity.split('@')[0]);
    }
  }
  return undefined;
}

/** Resolves once `worker` has exited after a SIGKILL. */
async function killWorker(worker: ChildProcess): Promise<void> {
  worker.kill('SIGKILL');
  await new Promise((r) => worker.once('exit', r));
}

describe('a campaign shared by two workers, one killed mid-tier, then the other', () => {
  let stack: TestStack;
  const workers: ChildProcess[] = [];

  before(async () => {
    stack = await startTestStack('postgres', { worker: false });
  });
  after(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await stack?.stop();
  });

  it('is finished by the survivor and then a fresh worker, with nothing built twice', async () => {
    workers.push(startWorkerProcess(stack), startWorkerProcess(stack));
    const pids = workers.map((w) => w.pid!);
    const dist = await createDistribution(stack.distGit, { slow: ['toolkit', 'interp', 'appd'] });
    await prebuildDistribution(stack);
    const libcore = dist.rpm('libcore');
    await libcore.commit('f29', { 'libcore.spec': specFile('libcore', { note: 'patched' }) }, 'patch', dist.tick());
    await libcore.push('f29');
    const started = await stack.request('POST', '/api/v1/campaigns', {
      token: stack.adminToken,
      body: { components: ['libcore'], branch: 'f29' },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const campaignId: string = started.body.id;
    const taskQueue = stack.config.temporal.taskQueue;
    const building = (names: string[]) =>
      stack.db.prisma.componentBuild.count({
        where: { name: { in: names }, state: 'building', moduleBuild: { campaignId } },
      });

    // Tier 1 (toolkit and interp, 4 s each) is building; kill whichever worker holds one of them.
    const victim = await eventually(
      async () => ((await building(['toolkit', 'interp'])) > 0 ? holderOfBuild(stack.temporal, taskQueue) : undefined),
      120_000,
    );
    const workedBeforeKill = await workersThatWorked(stack.temporal, taskQueue);
    assert.deepEqual(
      pids.filter((pid) => workedBeforeKill.has(pid)).sort(),
      [...pids].sort(),
      'both workers had done work before the kill',
    );
    await killWorker(workers[pids.indexOf(victim)]!);
    const survivor = workers[1 - pids.indexOf(victim)]!;

    // Tier 2's appd (4 s) is building on the survivor, the only worker left: kill it too, then start a fresh one.
    await eventually(async () => ((await building(['appd'])) > 0 ? true : undefined), 180_000);
    await killWorker(survivor);
    workers.push(startWorkerProcess(stack));
    const fresh = workers[2]!.pid!;

    const result = await stack.temporal.workflow.getHandle(started.body.workflowId).result();
    assert.equal(result.state, 'finished');
    assert.equal(result.counts.passed, 5);

    const builds = await stack.db.prisma.moduleBuild.findMany({ where: { campaignId }, include: { components: true } });
    assert.deepEqual(builds.map((b) => b.name).sort(), ['app', 'core', 'docs', 'lang', 'tools']);
    assert.ok(builds.every((b) => b.state === 'ready' && b.ciOutcome === 'PASSED'));
    const campaignComponents = builds.flatMap((b) => b.components.map((c) => `${b.name}/${c.name}:${c.state}`)).sort();
    assert.deepEqual(campaignComponents, [
      'app/appd:complete',
      'core/corehelp:reused',
      'core/libcore:complete',
      'docs/docgen:complete',
      'lang/interp:complete',
      'tools/toolkit:complete',
    ]);
    // Each Koji task ran rpmbuild once: none was lost with a worker, none started twice.
    const tasks = path.join(stack.config.builds.kojiRoot, 'tasks');
    for (const task of fs.readdirSync(tasks)) {
      const status = JSON.parse(fs.readFileSync(path.join(tasks, task, 'status.json'), 'utf8'));
      assert.equal(status.state, 'complete');
      assert.equal(status.attempt, 1, `${status.nvr} was started ${status.attempt} times`);
      const log = fs.readFileSync(path.join(tasks, task, 'build.log'), 'utf8');
      assert.equal(log.split('\n').filter((l) => l.startsWith('$ rpmbuild')).length, 1, `${status.nvr}: rpmbuild runs`);
    }
    // One CI run per module; no action was needed; each module passed at its first attempt.
    const runs = await stack.db.prisma.ciResult.groupBy({
      by: ['runKey'],
      where: { campaignId },
      _count: { _all: true },
    });
    assert.equal(runs.length, 5);
    assert.equal(await stack.db.prisma.campaignAction.count({ where: { campaignId } }), 0);
    const modules = await stack.db.prisma.campaignModule.findMany({ where: { campaignId } });
    assert.ok(modules.every((m) => m.state === 'passed' && m.attempt === 1));
    // The fresh worker did the end of it.
    assert.ok((await workersThatWorked(stack.temporal, taskQueue)).has(fresh));
  });
});
