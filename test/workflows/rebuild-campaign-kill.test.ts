// A worker killed (SIGKILL) in the middle of a campaign, while two modules of its second tier build:
// a new worker takes over and the campaign finishes with nothing lost or duplicated — one module
// build per module, each component built once, one CI run per module.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDistribution, DISTRIBUTION, type Distribution } from '../support/distribution-fixture';
import { specFile } from '../support/module-fixture';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import { startWorkerProcess } from '../support/worker-process';

describe('RebuildCampaign when its worker is killed mid-tier', () => {
  let stack: TestStack;
  let dist: Distribution;
  const workers: ChildProcess[] = [];

  before(async () => {
    stack = await startTestStack('postgres', { worker: false });
  });
  after(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await stack?.stop();
  });

  function startWorker(): ChildProcess {
    const child = startWorkerProcess(stack);
    workers.push(child);
    return child;
  }

  it('finishes every tier with each module built once and each component built once', async () => {
    const first = startWorker();
    dist = await createDistribution(stack.distGit, { slow: ['toolkit', 'interp'] });
    for (const module of DISTRIBUTION) {
      const res = await stack.request('POST', '/api/v1/module-builds', {
        token: stack.adminToken,
        body: { name: module.name, stream: 'f29' },
      });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.equal((await stack.temporal.workflow.getHandle(res.body.workflowId).result()).state, 'ready');
    }
    const libcore = dist.rpm('libcore');
    await libcore.commit('f29', { 'libcore.spec': specFile('libcore', { note: 'patched' }) }, 'patch', dist.tick());
    await libcore.push('f29');
    const started = await stack.request('POST', '/api/v1/campaigns', {
      token: stack.adminToken,
      body: { components: ['libcore'], branch: 'f29' },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const campaignId: string = started.body.id;

    // Kill the worker while toolkit and interp (tier 1) are both building.
    await eventually(async () => {
      const building = await stack.db.prisma.componentBuild.count({
        where: { name: { in: ['toolkit', 'interp'] }, state: 'building', moduleBuild: { campaignId } },
      });
      return building === 2 ? true : undefined;
    }, 120_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    startWorker();
    const result = await stack.temporal.workflow.getHandle(started.body.workflowId).result();
    assert.equal(result.state, 'finished');
    assert.equal(result.counts.passed, 5);

    const builds = await stack.db.prisma.moduleBuild.findMany({ where: { campaignId }, include: { components: true } });
    assert.deepEqual(builds.map((b) => b.name).sort(), ['app', 'core', 'docs', 'lang', 'tools']);
    assert.ok(builds.every((b) => b.state === 'ready' && b.ciOutcome === 'PASSED'));

    // Each Koji task ran rpmbuild once: none was lost with the worker, none started twice.
    const tasks = path.join(stack.config.builds.kojiRoot, 'tasks');
    for (const task of fs.readdirSync(tasks)) {
      const status = JSON.parse(fs.readFileSync(path.join(tasks, task, 'status.json'), 'utf8'));
      assert.equal(status.state, 'complete');
      assert.equal(status.attempt, 1, `${status.nvr} was started ${status.attempt} times`);
    }
    const campaignComponents = builds.flatMap((b) => b.components.map((c) => `${b.name}/${c.name}:${c.state}`)).sort();
    assert.deepEqual(campaignComponents, [
      'app/appd:complete',
      'core/corehelp:reused',
      'core/libcore:complete',
      'docs/docgen:complete',
      'lang/interp:complete',
      'tools/toolkit:complete',
    ]);

    // One CI run per module, each with its four or three test cases recorded once.
    const runs = await stack.db.prisma.ciResult.groupBy({
      by: ['runKey'],
      where: { campaignId },
      _count: { _all: true },
    });
    assert.equal(runs.length, 5);
    const actions = await stack.db.prisma.campaignAction.count({ where: { campaignId } });
    assert.equal(actions, 0);
    const modules = await stack.db.prisma.campaignModule.findMany({ where: { campaignId } });
    assert.ok(modules.every((m) => m.state === 'passed' && m.attempt === 1));
  });
});
