// The compose reaper, as the API's process schedules it: a compose whose time to live ran out (an ODCS
// compose's seconds-to-live) loses its compose directory, its tree on the mirror and a latest-* link
// still pointing at it, and reads as removed through Cascade's and ODCS's APIs; a compose that is
// still alive, or still running, is left alone; a second run removes nothing more.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { workflowIds } from '../../domain/workflow-ids';
import { allocateCompose, markComposePublished, setComposeStatus } from '../../store/composes';
import { replayAndRecordHistory } from '../support/recorded-histories';
import { eventually, startTestStack, type TestStack } from '../support/stack';

describe('the compose reaper', () => {
  let stack: TestStack;
  before(async () => (stack = await startTestStack('pglite', { env: { CASCADE_COMPOSE_REAP_SECONDS: '3600' } })));
  after(async () => stack?.stop());

  /** An ODCS compose's row and files, as a finished and published one leaves them. */
  const odcsCompose = async (expiresInSeconds: number, status: string) => {
    const c = await allocateCompose(stack.db.prisma, {
      short: 'odcs',
      version: '1',
      type: 'test',
      date: '20261130',
      request: {},
      origin: 'odcs',
      createdBy: 'admin',
      expiresAt: new Date(Date.now() + expiresInSeconds * 1000),
      workflowIdFor: workflowIds.compose,
    });
    const dir = path.join(stack.config.composes.topdir, c.composeId);
    const published = path.join(stack.config.composes.mirrorRoot, c.composeId);
    for (const d of [dir, published]) {
      fs.mkdirSync(path.join(d, 'compose', 'metadata'), { recursive: true });
      fs.writeFileSync(path.join(d, 'STATUS'), `${status}\n`);
    }
    await setComposeStatus(stack.db.prisma, c.composeId, status, { path: dir });
    if (status !== 'STARTED') await markComposePublished(stack.db.prisma, c.composeId, published);
    return { ...c, dir, published };
  };

  /** Runs the schedule's action now, as its interval would; answers the reaper's run. */
  const reapNow = async () => {
    const schedule = stack.temporal.schedule.getHandle(
      workflowIds.composeReaperSchedule(stack.config.temporal.taskQueue),
    );
    const before = (await schedule.describe()).info.recentActions.length;
    await schedule.trigger();
    const action = await eventually(async () => {
      const recent = (await schedule.describe()).info.recentActions;
      return recent.length > before ? recent.at(-1)! : undefined;
    });
    const workflowId = action.action.workflow.workflowId;
    const result = (await stack.temporal.workflow.getHandle(workflowId).result()) as { removed: string[] };
    return { workflowId, removed: result.removed };
  };

  it('removes expired composes with their files and latest link, once, and nothing else', async () => {
    const expired = await odcsCompose(-60, 'FINISHED');
    const alive = await odcsCompose(3600, 'FINISHED');
    const running = await odcsCompose(-60, 'STARTED');
    const latest = path.join(stack.config.composes.mirrorRoot, 'latest-odcs-1');
    fs.symlinkSync(expired.composeId, latest);

    const first = await reapNow();
    assert.deepEqual(first.removed, [expired.composeId]);
    assert.ok(!fs.existsSync(expired.dir), 'the compose directory is gone');
    assert.ok(!fs.existsSync(expired.published), 'the tree on the mirror is gone');
    assert.ok(!fs.lstatSync(latest, { throwIfNoEntry: false }), 'no latest link points at nothing');
    for (const kept of [alive, running]) {
      assert.ok(fs.existsSync(kept.dir) && fs.existsSync(kept.published), `${kept.composeId} is kept`);
    }

    const view = await stack.request('GET', `/api/v1/composes/${expired.composeId}`);
    assert.equal(view.body.published, 'removed');
    assert.ok(view.body.removedAt);
    const odcs = await stack.request('GET', `/api/1/composes/${expired.number}`);
    assert.equal(odcs.body.state_name, 'removed');
    assert.ok(odcs.body.time_removed);
    assert.equal((await stack.request('GET', `/api/1/composes/${alive.number}`)).body.state_name, 'done');

    const rows = await stack.db.prisma.compose.findMany({ orderBy: { number: 'asc' } });
    assert.deepEqual(
      rows.map((r) => [r.composeId, r.removedAt !== null]),
      [
        [expired.composeId, true],
        [alive.composeId, false],
        [running.composeId, false],
      ],
    );
    const removedAt = rows[0]!.removedAt;

    const second = await reapNow();
    assert.deepEqual(second.removed, []);
    const again = await stack.db.prisma.compose.findUniqueOrThrow({ where: { composeId: expired.composeId } });
    assert.deepEqual(again.removedAt, removedAt, 'the first removal time is kept');

    await replayAndRecordHistory(stack, first.workflowId, 'compose-reaper');
  });
});
