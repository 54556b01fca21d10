// runModuleCi as an activity (MockActivityEnvironment): it heartbeats while the checks run, naming
// the check under way, and a cancellation reaches the checks as an aborted signal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createCiActivities,
  type CiRequest,
  type CiRunOptions,
  type CiVerdict,
  type ModuleCi,
} from '../../../activities/ci';

const request: CiRequest = { nsvc: 'greeting:f29:2920260101000000:6c81f848', campaignId: null, runKey: 'run-1' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A CI whose checks take a while: it reports them and honours the abort signal. */
class SlowCi implements ModuleCi {
  async runChecks(req: CiRequest, options: CiRunOptions = {}): Promise<CiVerdict> {
    for (const check of ['modulemd.valid', 'dnf.install']) {
      options.onCheck?.(check);
      await sleep(150);
      if (options.signal?.aborted) throw options.signal.reason;
    }
    return { runKey: req.runKey, nsvc: req.nsvc, outcome: 'PASSED', results: [], summary: 'fine' };
  }
}

describe('runModuleCi', () => {
  it('heartbeats periodically with the check under way and answers the verdict', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (details) => beats.push(details));
    const { runModuleCi } = createCiActivities({ ci: new SlowCi(), heartbeatIntervalMs: 40 });
    const verdict: CiVerdict = await env.run<[CiRequest], CiVerdict, typeof runModuleCi>(runModuleCi, request);
    assert.equal(verdict.outcome, 'PASSED');
    assert.ok(beats.length >= 6, `only ${beats.length} heartbeats`);
    assert.deepEqual(beats[0], { runKey: 'run-1', check: 'starting' });
    assert.ok(beats.some((b) => (b as { check: string }).check === 'dnf.install'));
    const count = beats.length;
    await sleep(120);
    assert.equal(beats.length, count, 'no heartbeat after the activity returned');
  });

  it('passes a cancellation on to the checks', async () => {
    const env = new MockActivityEnvironment();
    const { runModuleCi } = createCiActivities({ ci: new SlowCi() });
    const running = env.run(runModuleCi, request);
    setTimeout(() => env.cancel(), 50);
    await assert.rejects(running, (err: unknown) => err instanceof CancelledFailure);
  });
});
