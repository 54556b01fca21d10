// The chaos harness's zero-cost builder keeps LocalKoji's task records as a real task would: a
// submit repeated after it completed finds the task (one run, attempt 1), and a submit cut short
// (a worker killed between recording the run and its result) leaves nothing behind, so the retry
// records exactly one run. The 100-kill chaos run once found a task whose "$ rpmbuild" line was
// written twice: the run was recorded before its status, and a SIGKILL fell between them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { taskIdFor, type BuildRequest } from '../../activities/koji';
import { ZeroCostKoji } from '../../chaos/zero-cost-builds';

const request = (component: string): BuildRequest => ({
  component,
  commit: 'a'.repeat(40),
  buildrootHash: `hash-${component}`,
  sourceDir: '/nonexistent',
  buildrootRepos: [],
  macros: {},
  timeoutMs: 60_000,
});

/** Dies (as a SIGKILLed worker would) just before its first task is put in place. */
class KilledOnceKoji extends ZeroCostKoji {
  private killed = false;
  protected override publishTask(staging: string, dir: string): void {
    if (!this.killed) {
      this.killed = true;
      throw new Error('worker killed');
    }
    super.publishTask(staging, dir);
  }
}

const runsIn = (root: string, taskId: string) =>
  fs
    .readFileSync(path.join(root, 'tasks', taskId, 'build.log'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('$ rpmbuild')).length;

describe('the zero-cost builder', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-zero-cost-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds a completed task when submitted again', async () => {
    const koji = new ZeroCostKoji({ root });
    const first = await koji.submit(request('once'));
    const again = await koji.submit(request('once'));
    assert.deepEqual(again, first);
    assert.equal(first.state, 'complete');
    assert.equal(first.attempt, 1);
    assert.equal(runsIn(root, first.taskId), 1);
    assert.equal((await koji.findBuild(request('once')))?.nvr, first.nvr);
  });

  it('records nothing of a submit cut short, and one run on the retry', async () => {
    const koji = new KilledOnceKoji({ root });
    const taskId = taskIdFor(request('cut'));
    await assert.rejects(koji.submit(request('cut')), /worker killed/);
    assert.equal(fs.existsSync(path.join(root, 'tasks', taskId)), false);
    const retried = await koji.submit(request('cut'));
    assert.equal(retried.state, 'complete');
    assert.equal(retried.attempt, 1);
    assert.equal(runsIn(root, taskId), 1);
  });
});
