import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CAMPAIGN_ACTIONS,
  CampaignActionRefused,
  CampaignMachine,
  MODULE_STATES,
  type CampaignAction,
  type CampaignActionInput,
  type CampaignState,
} from '../../../domain/campaign';

const AT = '2026-11-30T06:00:00.000Z';
const request = (action: CampaignAction, module?: string, extra: Partial<CampaignActionInput> = {}) => ({
  action,
  module,
  actor: 'tina',
  at: AT,
  ...extra,
});

/** A campaign of `total` modules with these attempts launched (launch 0). */
function launchedMachine(total: number, nodes: string[], concurrency = 4): CampaignMachine {
  const m = CampaignMachine.planned({ total, tierCount: 2 }, concurrency);
  const launch = m.nextLaunch()!;
  m.launched(
    launch.key,
    nodes.map((node) => ({ node, tier: 0, attempt: 1, state: 'building' as const })),
  );
  return m;
}

function failed(node: string, failedStep: 'build' | 'ci' = 'ci', attempt = 1) {
  return { node, attempt, outcome: 'failed' as const, nsvc: `${node}-nsvc`, failedStep, reason: 'smoke test' };
}
const passed = (node: string, attempt = 1) => ({
  node,
  attempt,
  outcome: 'passed' as const,
  nsvc: null,
  failedStep: null,
  reason: null,
});

/** A machine in the given campaign state, with a:f29 failed, b:f29 in flight and c:f29 unknown to it. */
function machineIn(state: CampaignState): CampaignMachine {
  if (state === 'planning') return CampaignMachine.planning(4);
  const m = launchedMachine(5, ['a:f29', 'b:f29']);
  m.absorb(failed('a:f29'));
  if (state === 'waiting') {
    m.absorb(passed('b:f29'));
    assert.equal(m.settle(), 'waiting');
    return m;
  }
  if (state === 'running') return m;
  const carry = m.carry();
  return CampaignMachine.resumed({ ...carry, state }, 4);
}

const refusal = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof CampaignActionRefused && pattern.test(err.message));

describe('CampaignMachine actions', () => {
  it('refuses every action while the campaign plans', () => {
    const m = machineIn('planning');
    for (const action of CAMPAIGN_ACTIONS) refusal(() => m.check(request(action, 'a:f29')), /still planning/);
  });

  for (const state of ['finished', 'cancelled', 'failed'] as const) {
    it(`refuses every action once the campaign has ended (${state})`, () => {
      const m = machineIn(state);
      for (const action of CAMPAIGN_ACTIONS) refusal(() => m.check(request(action, 'a:f29')), /has ended/);
    });
  }

  for (const state of ['running', 'waiting'] as const) {
    describe(`while ${state}`, () => {
      it('retries and resumes a failed module as its next attempt', () => {
        for (const action of ['retry', 'resume'] as const) {
          const m = machineIn(state);
          assert.equal(m.check(request(action, 'a:f29')), 'ok');
          const effect = m.apply(request(action, 'a:f29'));
          assert.equal(effect.kind, 'relaunch');
          assert.equal(effect.kind === 'relaunch' && effect.relaunch.attempt, 2);
          assert.equal(m.hasFailures(), false);
          assert.equal(m.settle(), 'running');
          const next = m.nextLaunch()!;
          assert.deepEqual(
            next.relaunches.map((r) => r.node),
            ['a:f29'],
          );
        }
      });

      it('retries CI on the same build when CI failed; a build failure and a resume build again', () => {
        const ci = machineIn(state);
        const retried = ci.apply(request('retry', 'a:f29'));
        assert.deepEqual(retried.kind === 'relaunch' && retried.relaunch.mode, { kind: 'ci', nsvc: 'a:f29-nsvc' });
        const resumed = machineIn(state).apply(request('resume', 'a:f29'));
        assert.deepEqual(resumed.kind === 'relaunch' && resumed.relaunch.mode, { kind: 'build', rebuildAt: AT });
        const adopted = machineIn(state).apply(request('resume', 'a:f29', { buildWorkflowId: 'module-build-a-f29-1' }));
        assert.deepEqual(adopted.kind === 'relaunch' && adopted.relaunch.mode, {
          kind: 'adopt',
          workflowId: 'module-build-a-f29-1',
        });
      });

      it('skips a failed module, counting it through', () => {
        const m = machineIn(state);
        assert.deepEqual(m.apply(request('skip', 'a:f29', { reason: 'later' })), { kind: 'skip', node: 'a:f29' });
        assert.equal(m.counts().skipped, 1);
        assert.equal(m.hasFailures(), false);
      });

      it('asks the store about a module outside its window, then skips it when waiting or blocked', () => {
        for (const stored of ['waiting', 'blocked'] as const) {
          const m = machineIn(state);
          assert.equal(m.check(request('skip', 'c:f29', { reason: 'not needed' })), 'store');
          assert.equal(m.check(request('skip', 'c:f29', { reason: 'not needed' }), stored), 'ok');
          m.apply(request('skip', 'c:f29', { reason: 'not needed' }), stored);
          assert.equal(m.counts().skipped, 1);
        }
        assert.throws(() => machineIn(state).apply(request('skip', 'c:f29')), /needs the stored state/);
      });

      it('refuses to skip a module in flight, passed, skipped or cancelled, naming its state', () => {
        const m = machineIn(state);
        if (state === 'running') refusal(() => m.check(request('skip', 'b:f29')), /b:f29 is building/);
        for (const stored of ['passed', 'skipped', 'cancelled', 'building', 'testing'] as const) {
          refusal(() => m.check(request('skip', 'c:f29'), stored), new RegExp(`c:f29 is ${stored}: only a failed`));
        }
      });

      it('refuses to retry or resume a module that has not failed, naming its state', () => {
        const m = machineIn(state);
        for (const action of ['retry', 'resume'] as const) {
          if (state === 'running') refusal(() => m.check(request(action, 'b:f29')), /b:f29 is building/);
          assert.equal(m.check(request(action, 'c:f29')), 'store');
          for (const stored of MODULE_STATES.filter((s) => s !== 'failed')) {
            refusal(() => m.check(request(action, 'c:f29'), stored), new RegExp(`c:f29 is ${stored}: only a failed`));
          }
        }
      });

      it('refuses a module that is not part of the campaign, and a module action without a module', () => {
        const m = machineIn(state);
        for (const action of ['retry', 'resume', 'skip'] as const) {
          refusal(() => m.check(request(action, 'zz:f29'), null), /zz:f29 is not part of this campaign/);
          refusal(() => m.check(request(action)), new RegExp(`${action} names a module`));
        }
      });

      it('refuses a second action on a module a person already retried', () => {
        const m = machineIn(state);
        m.apply(request('retry', 'a:f29'));
        refusal(() => m.check(request('retry', 'a:f29')), /a:f29 is testing/);
        refusal(() => m.check(request('skip', 'a:f29')), /a:f29 is testing/);
      });

      it('cancels: in-flight attempts are handed back to be cancelled, then every action is refused', () => {
        const m = machineIn(state);
        assert.deepEqual(m.apply(request('cancel', undefined, { reason: 'wrong change' })), { kind: 'cancel' });
        assert.deepEqual(m.cancelRequest, { actor: 'tina', reason: 'wrong change' });
        assert.equal(m.nextLaunch(), undefined, 'nothing launches once cancelled');
        refusal(() => m.check(request('retry', 'a:f29')), /being cancelled/);
        assert.equal(m.check(request('cancel')), 'ok', 'a second cancel is no error');
        const { inFlight } = m.cancelled();
        assert.deepEqual(
          inFlight.map((a) => a.node),
          state === 'running' ? ['b:f29'] : [],
        );
        assert.equal(m.state, 'cancelled');
        assert.equal(m.counts().cancelled, state === 'running' ? 5 : 4, 'every module not through');
        refusal(() => m.check(request('cancel')), /has ended/);
      });
    });
  }
});

describe('CampaignMachine reports and launches', () => {
  it('fills the window up to the concurrency and no further', () => {
    const m = CampaignMachine.planned({ total: 10, tierCount: 3 }, 3);
    const first = m.nextLaunch()!;
    assert.deepEqual(first, { key: 0, relaunches: [], claim: 3 });
    m.launched(0, [
      { node: 'a:f29', tier: 0, attempt: 1, state: 'building' },
      { node: 'b:f29', tier: 0, attempt: 1, state: 'building' },
    ]);
    assert.deepEqual(m.nextLaunch(), { key: 1, relaunches: [], claim: 1 });
    m.launched(1, [{ node: 'c:f29', tier: 0, attempt: 1, state: 'building' }]);
    assert.equal(m.nextLaunch(), undefined, 'the window is full');
    assert.equal(m.absorb(passed('a:f29')), true);
    assert.equal(m.nextLaunch()!.claim, 1);
  });

  it('refuses a launch out of order (a retried launch must answer the same key)', () => {
    const m = CampaignMachine.planned({ total: 2, tierCount: 1 }, 2);
    assert.throws(() => m.launched(1, []), /launch 1 is not the next one/);
  });

  it('ignores a stale or repeated report, and counts each attempt once', () => {
    const m = launchedMachine(3, ['a:f29']);
    assert.equal(m.absorb(passed('a:f29')), true);
    assert.equal(m.absorb(passed('a:f29')), false);
    assert.equal(m.counts().passed, 1);
  });

  it('takes in a report that came before its launch answered, and drops the stale ones', () => {
    const m = CampaignMachine.planned({ total: 3, tierCount: 1 }, 3);
    const launch = m.nextLaunch()!;
    assert.equal(m.absorb(passed('a:f29')), false);
    assert.equal(m.absorb(passed('old:f29', 7)), false);
    const absorbed = m.launched(launch.key, [{ node: 'a:f29', tier: 0, attempt: 1, state: 'building' }]);
    assert.equal(absorbed, 1);
    assert.equal(m.counts().passed, 1);
    assert.deepEqual(m.carry().early, []);
  });

  it('announces each failure once, reminds of every failure still waiting', () => {
    const m = launchedMachine(3, ['a:f29', 'b:f29']);
    m.absorb(failed('a:f29'));
    m.absorb(failed('b:f29', 'build'));
    assert.deepEqual(
      m.takeUnannounced().map((f) => f.node),
      ['a:f29', 'b:f29'],
    );
    assert.deepEqual(m.takeUnannounced(), []);
    assert.deepEqual(
      m.remind().map((f) => [f.node, f.reminders]),
      [
        ['a:f29', 1],
        ['b:f29', 1],
      ],
    );
    assert.match(m.waitingReason()!, /a:f29, b:f29 failed/);
  });

  it('settles: running while attempts fly, waiting on a failure with nothing in flight, finished when all through', () => {
    const m = launchedMachine(3, ['a:f29', 'b:f29', 'c:f29']);
    assert.equal(m.settle(), 'running');
    m.absorb(passed('a:f29'));
    m.absorb(failed('b:f29'));
    assert.equal(m.settle(), 'running', 'c is still in flight');
    m.absorb(passed('c:f29'));
    assert.equal(m.settle(), 'waiting');
    m.apply(request('skip', 'b:f29', { reason: 'later' }));
    assert.equal(m.settle(), 'finished');
  });

  it('carries only counts and the window through continue-as-new, and resumes where it was', () => {
    const m = launchedMachine(40_000, ['a:f29', 'b:f29']);
    m.absorb(failed('a:f29'));
    const carry = m.carry();
    assert.ok(JSON.stringify(carry).length < 1_000, JSON.stringify(carry));
    const again = CampaignMachine.resumed(carry, 4);
    assert.deepEqual(again.carry(), carry);
    assert.equal(again.check(request('retry', 'a:f29')), 'ok');
    assert.equal(again.nextLaunch()!.key, 1);
    carry.failed.pop();
    assert.equal(again.hasFailures(), true, 'the carry is a copy');
  });
});
