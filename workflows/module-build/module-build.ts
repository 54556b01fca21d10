import { proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createKojiActivities } from '../../activities/koji/koji-activities';
import type { createModuleBuildActivities } from '../../activities/module-build/module-build-activities';
import type {
  createModuleBuildPlanActivities,
  ModuleBuildPlan,
  PlannedComponentBuild,
} from '../../activities/module-build/module-build-plan';
import { computeBuildrootHash } from '../../domain/module-build';
import { rootCauseMessage } from '../../domain/root-cause';
import {
  moduleBuildProgressQuery,
  type ModuleBuildInput,
  type ModuleBuildOutcome,
  type ModuleBuildProgress,
} from './contracts';

type StoreActivities = ReturnType<typeof createModuleBuildActivities> &
  ReturnType<typeof createModuleBuildPlanActivities>;

const store = proxyActivities<StoreActivities>({
  startToCloseTimeout: '5m',
  retry: {
    initialInterval: '1s',
    maximumInterval: '30s',
    nonRetryableErrorTypes: ['ModuleBuildPlanFailed', 'InvalidModulemd', 'BuildrequireNotReady'],
  },
});

// Short writes of states and outcomes run as local activities: no events and no round trip of their
// own, which is most of a module build's cost to Temporal when the builds themselves are fast.
const records = proxyLocalActivities<StoreActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

// A component build runs for as long as rpmbuild needs; the heartbeat (every poll of the task) is
// what tells a dead worker apart, so another worker takes over within seconds.
const koji = proxyActivities<ReturnType<typeof createKojiActivities>>({
  startToCloseTimeout: '4h',
  heartbeatTimeout: '15s',
  retry: { initialInterval: '1s', maximumInterval: '30s', nonRetryableErrorTypes: ['ComponentBuildFailed'] },
});

/** Runs `work` over `items` with at most `limit` at once; results in input order. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}

/**
 * ModuleBuild: one NSVC, built batch after batch, each batch's components in parallel (bounded) on
 * top of the earlier batches, each reused instead of rebuilt when the same source was built in the
 * same buildroot before. States: init → wait → build → done → ready, or failed with a reason.
 */
export async function moduleBuild(input: ModuleBuildInput): Promise<ModuleBuildOutcome> {
  const progress: ModuleBuildProgress = { nsvc: null, state: 'init', reason: null, batches: [] };
  setHandler(moduleBuildProgressQuery, () => progress);
  const plan: ModuleBuildPlan = await store.planModuleBuild({ ...input, workflowId: workflowInfo().workflowId });
  progress.nsvc = plan.nsvc;
  progress.batches = plan.batches.map((b) => ({
    batch: b.batch,
    components: b.components.map((c) => ({ name: c.name, state: 'waiting' as const, nvr: null })),
  }));
  if (plan.alreadyReady) {
    progress.state = 'ready';
    return { nsvc: plan.nsvc, state: 'ready', reason: null, built: 0, reused: 0 };
  }
  const setState = async (
    state: ModuleBuildProgress['state'] & ('wait' | 'build' | 'done' | 'failed'),
    reason?: string,
  ) => {
    progress.state = state;
    progress.reason = reason ?? null;
    await records.setModuleBuildState(plan.nsvc, state, reason);
  };
  await setState('wait');
  await setState('build');

  const repos = plan.buildrequires.flatMap((b) => (b.repoDir ? [b.repoDir] : []));
  const earlierNvrs: string[] = [];
  const buildDirs: string[] = [];
  const reusable = new Set(plan.reusable);
  let built = 0;
  let reused = 0;

  for (const [index, batch] of plan.batches.entries()) {
    const hash = computeBuildrootHash({
      buildrequires: plan.buildrootModules,
      earlierBatchArtifacts: earlierNvrs,
      macros: plan.buildrootMacros,
      buildopts: plan.buildopts,
    });
    if (!hash.ok) {
      await setState('failed', hash.error.message);
      return { nsvc: plan.nsvc, state: 'failed', reason: hash.error.message, built, reused };
    }
    const shown = progress.batches[index]!.components;
    const buildOne = async (c: PlannedComponentBuild): Promise<{ nvr: string; dir: string } | { failed: string }> => {
      const view = shown.find((s) => s.name === c.name)!;
      if (reusable.has(c.name)) {
        const taken = await records.reuseComponentBuild({
          nsvc: plan.nsvc,
          name: c.name,
          commit: c.commit,
          buildrootHash: hash.hash,
        });
        if (taken) {
          Object.assign(view, { state: 'reused', nvr: taken.nvr });
          reused += 1;
          return taken;
        }
      }
      view.state = 'building';
      await records.recordComponentOutcome(plan.nsvc, c.name, { state: 'building', buildrootHash: hash.hash });
      try {
        // A component the strategy says to rebuild must not meet its earlier build under the same key.
        const key = reusable.has(c.name) ? hash.hash : `${hash.hash}/${plan.nsvc}`;
        const out = await koji.buildComponent({
          component: c.name,
          commit: c.commit,
          buildrootHash: key,
          buildrootRepos: [...repos],
          macros: plan.macros,
          timeoutMs: input.componentTimeoutMs,
        });
        await records.recordComponentOutcome(plan.nsvc, c.name, {
          state: 'complete',
          buildrootHash: hash.hash,
          nvr: out.nvr,
          taskId: out.taskId,
        });
        Object.assign(view, { state: 'complete', nvr: out.nvr });
        built += 1;
        return { nvr: out.nvr, dir: out.dir };
      } catch (err) {
        const reason = rootCauseMessage(err);
        await records.recordComponentOutcome(plan.nsvc, c.name, { state: 'failed', buildrootHash: hash.hash, reason });
        view.state = 'failed';
        return { failed: `${c.name}: ${reason}` };
      }
    };
    const results = await pool(batch.components, input.concurrency, buildOne);
    const failures = results.flatMap((r) => ('failed' in r ? [r.failed] : []));
    if (failures.length > 0) {
      const reason = `batch ${batch.batch} failed: ${failures.join('; ')}`;
      await setState('failed', reason);
      return { nsvc: plan.nsvc, state: 'failed', reason, built, reused };
    }
    for (const r of results) {
      if ('nvr' in r) {
        earlierNvrs.push(r.nvr);
        buildDirs.push(r.dir);
        repos.push(r.dir);
      }
    }
  }
  await setState('done');
  await store.finishModuleBuild({ nsvc: plan.nsvc, modulemd: plan.modulemd, buildDirs, nvrs: earlierNvrs });
  progress.state = 'ready';
  return { nsvc: plan.nsvc, state: 'ready', reason: null, built, reused };
}
