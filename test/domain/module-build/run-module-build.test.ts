// The module build's orchestration with no Temporal and no store: its steps are recorded in order, so
// what it asks for (and when) is checked exactly, as the workflow and the local builder both rely on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeBuildrootHash } from '../../../domain/module-build';
import {
  boundedPool,
  newModuleBuildProgress,
  runModuleBuild,
  type ModuleBuildPlan,
  type ModuleBuildSteps,
} from '../../../domain/module-build/run-module-build';

function planOf(overrides: Partial<ModuleBuildPlan> = {}): ModuleBuildPlan {
  return {
    nsvc: 'greeting:f29:2920180101000000:abcdef12',
    name: 'greeting',
    stream: 'f29',
    version: '2920180101000000',
    context: 'abcdef12',
    commit: 'a'.repeat(40),
    modulemd: 'document: modulemd\n',
    batches: [
      { batch: 1, components: [{ name: 'extras', commit: 'e'.repeat(40) }] },
      {
        batch: 2,
        components: [
          { name: 'greeting', commit: 'g'.repeat(40) },
          { name: 'hello', commit: 'h'.repeat(40) },
        ],
      },
    ],
    reusable: ['extras', 'greeting', 'hello'],
    buildrequires: [{ nsvc: 'base:1:1:00000000', repoDir: '/koji/modules/base-1-1-00000000' }],
    buildrootModules: ['base:1:1:00000000', 'platform:f29:0:00000000'],
    macros: { dist: '.module_f29' },
    buildrootMacros: '',
    buildopts: {},
    alreadyReady: false,
    ...overrides,
  };
}

interface Recorder {
  calls: string[];
  steps: ModuleBuildSteps;
  finished: { buildDirs: string[]; nvrs: string[] }[];
  buildrootRepos: Record<string, string[]>;
}

/** Steps that record each call; `reuse` names what an earlier build can give, `failing` what rpmbuild fails. */
function recordedSteps(plan: ModuleBuildPlan, options: { reuse?: string[]; failing?: string[] } = {}): Recorder {
  const calls: string[] = [];
  const finished: Recorder['finished'] = [];
  const buildrootRepos: Record<string, string[]> = {};
  const steps: ModuleBuildSteps = {
    plan: async () => {
      calls.push('plan');
      return plan;
    },
    setState: async (_nsvc, state, reason) => void calls.push(`state ${state}${reason ? `: ${reason}` : ''}`),
    reuseComponentBuild: async ({ name, buildrootHash }) => {
      calls.push(`reuse? ${name} ${buildrootHash.slice(0, 8)}`);
      return options.reuse?.includes(name) ? { nvr: `${name}-1-1`, dir: `/old/${name}` } : undefined;
    },
    recordComponentOutcome: async (_nsvc, name, outcome) => void calls.push(`record ${name} ${outcome.state}`),
    buildComponent: async (input) => {
      calls.push(`build ${input.component}`);
      buildrootRepos[input.component] = input.buildrootRepos;
      if (options.failing?.includes(input.component))
        throw new Error('rpmbuild exited 1', { cause: new Error('bad spec') });
      return { nvr: `${input.component}-1-2`, taskId: `task-${input.component}`, dir: `/new/${input.component}` };
    },
    finishModuleBuild: async (input) => {
      calls.push('finish');
      finished.push({ buildDirs: input.buildDirs, nvrs: input.nvrs });
    },
  };
  return { calls, steps, finished, buildrootRepos };
}

const limits = { concurrency: 1, componentTimeoutMs: 60_000 };

describe('runModuleBuild', () => {
  it('builds batch after batch, each on top of the buildrequires and the earlier batches, then finishes', async () => {
    const plan = planOf({ reusable: [] });
    const r = recordedSteps(plan);
    const progress = newModuleBuildProgress();
    const outcome = await runModuleBuild(limits, r.steps, progress);
    assert.deepEqual(outcome, { nsvc: plan.nsvc, state: 'ready', reason: null, built: 3, reused: 0 });
    assert.deepEqual(r.calls, [
      'plan',
      'state wait',
      'state build',
      'record extras building',
      'build extras',
      'record extras complete',
      'record greeting building',
      'build greeting',
      'record greeting complete',
      'record hello building',
      'build hello',
      'record hello complete',
      'state done',
      'finish',
    ]);
    assert.deepEqual(r.buildrootRepos.extras, ['/koji/modules/base-1-1-00000000']);
    assert.deepEqual(r.buildrootRepos.hello, ['/koji/modules/base-1-1-00000000', '/new/extras']);
    assert.deepEqual(r.finished, [
      { buildDirs: ['/new/extras', '/new/greeting', '/new/hello'], nvrs: ['extras-1-2', 'greeting-1-2', 'hello-1-2'] },
    ]);
    assert.equal(progress.state, 'ready');
    assert.deepEqual(
      progress.batches.flatMap((b) => b.components.map((c) => `${c.name} ${c.state} ${c.nvr}`)),
      ['extras complete extras-1-2', 'greeting complete greeting-1-2', 'hello complete hello-1-2'],
    );
  });

  it('takes over reusable builds, asking with the hash of the buildrequires and the earlier batches', async () => {
    const plan = planOf();
    const r = recordedSteps(plan, { reuse: ['extras', 'greeting'] });
    const outcome = await runModuleBuild(limits, r.steps);
    assert.equal(outcome.built, 1);
    assert.equal(outcome.reused, 2);
    const first = computeBuildrootHash({
      buildrequires: plan.buildrootModules,
      earlierBatchArtifacts: [],
      macros: '',
      buildopts: {},
    });
    const second = computeBuildrootHash({
      buildrequires: plan.buildrootModules,
      earlierBatchArtifacts: ['extras-1-1'],
      macros: '',
      buildopts: {},
    });
    assert.ok(first.ok && second.ok);
    assert.deepEqual(r.calls.slice(3, 8), [
      `reuse? extras ${first.hash.slice(0, 8)}`,
      `reuse? greeting ${second.hash.slice(0, 8)}`,
      `reuse? hello ${second.hash.slice(0, 8)}`,
      'record hello building',
      'build hello',
    ]);
    assert.deepEqual(r.finished[0]!.nvrs, ['extras-1-1', 'greeting-1-1', 'hello-1-2']);
  });

  it('keys a component the strategy rebuilds apart from its earlier build, and never asks to reuse it', async () => {
    const plan = planOf({ reusable: ['greeting', 'hello'] });
    const r = recordedSteps(plan);
    const keys: string[] = [];
    const build = r.steps.buildComponent;
    r.steps.buildComponent = async (input) => {
      keys.push(
        `${input.component} ${input.buildrootHash.includes('/') ? input.buildrootHash.split('/')[1] : 'shared'}`,
      );
      return build(input);
    };
    await runModuleBuild(limits, r.steps);
    assert.ok(!r.calls.some((c) => c.startsWith('reuse? extras')));
    assert.deepEqual(keys, [`extras ${plan.nsvc}`, 'greeting shared', 'hello shared']);
  });

  it('fails the module with the root cause of each failed component, after its whole batch ran, and never finishes', async () => {
    const plan = planOf({ reusable: [] });
    const r = recordedSteps(plan, { failing: ['greeting'] });
    const progress = newModuleBuildProgress();
    const outcome = await runModuleBuild(limits, r.steps, progress);
    assert.deepEqual(outcome, {
      nsvc: plan.nsvc,
      state: 'failed',
      reason: 'batch 2 failed: greeting: bad spec',
      built: 2,
      reused: 0,
    });
    assert.ok(r.calls.includes('record greeting failed'));
    assert.ok(r.calls.includes('build hello'));
    assert.equal(r.calls.at(-1), 'state failed: batch 2 failed: greeting: bad spec');
    assert.ok(!r.calls.includes('finish'));
    assert.equal(progress.state, 'failed');
    assert.equal(progress.reason, 'batch 2 failed: greeting: bad spec');
  });

  it('does nothing more for a build that is already ready', async () => {
    const r = recordedSteps(planOf({ alreadyReady: true }));
    const outcome = await runModuleBuild(limits, r.steps);
    assert.equal(outcome.state, 'ready');
    assert.deepEqual(r.calls, ['plan']);
  });
});

describe('boundedPool', () => {
  it('runs at most `limit` at once and answers in input order', async () => {
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const results = await boundedPool([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      most = Math.max(most, running);
      for (let i = 0; i < n; i++) await Promise.resolve();
      order.push(n);
      running -= 1;
      return n * 10;
    });
    assert.deepEqual(results, [50, 10, 40, 20, 30]);
    assert.equal(most, 2);
    assert.equal(order.length, 5);
  });
});
