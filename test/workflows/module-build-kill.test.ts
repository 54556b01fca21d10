// A worker killed (SIGKILL) in the middle of a batch: a new worker takes over and the module build
// finishes with every component built exactly once — the builds, which run as tasks of their own,
// are found again by their key instead of being started twice.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGreetingModule } from '../support/module-fixture';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import { startWorkerProcess } from '../support/worker-process';

describe('ModuleBuild when its worker is killed mid-batch', () => {
  let stack: TestStack;
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

  it('finishes with each component built exactly once', async () => {
    const first = startWorker();
    await createGreetingModule(stack.distGit, { slow: ['libgreet', 'extras'] });
    const res = await stack.request('POST', '/api/v1/module-builds', {
      token: stack.adminToken,
      body: { name: 'greeting', stream: 'f29' },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const tasks = path.join(stack.config.builds.kojiRoot, 'tasks');
    // Kill the worker once both first-batch builds are running.
    await eventually(
      async () => (fs.existsSync(tasks) && fs.readdirSync(tasks).length === 2 ? true : undefined),
      60_000,
    );
    const building = await stack.db.prisma.componentBuild.count({ where: { state: 'building' } });
    assert.equal(building, 2);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    startWorker();
    const outcome = await stack.temporal.workflow.getHandle(res.body.workflowId).result();
    assert.equal(outcome.state, 'ready', outcome.reason);
    const components = await stack.db.prisma.componentBuild.findMany({
      where: { moduleBuild: { nsvc: outcome.nsvc } },
    });
    assert.deepEqual(components.map((c) => c.state).sort(), ['complete', 'complete', 'complete']);
    const taskDirs = fs.readdirSync(tasks);
    assert.equal(taskDirs.length, 3);
    for (const task of taskDirs) {
      const status = JSON.parse(fs.readFileSync(path.join(tasks, task, 'status.json'), 'utf8'));
      assert.equal(status.state, 'complete');
      assert.equal(status.attempt, 1, `${status.nvr} was started ${status.attempt} times`);
      const log = fs.readFileSync(path.join(tasks, task, 'build.log'), 'utf8');
      assert.equal(log.split('\n').filter((l) => l.startsWith('$ rpmbuild')).length, 1);
    }
  });
});
