// One module build's orchestration, written once: plan, then batch after batch compute the buildroot
// hash, take over a matching earlier component build or build the component, record each outcome, and
// finish by writing the module's repository. It does no I/O itself — every step is a function it is
// given — so the ModuleBuild workflow runs it with activities as its steps and the local module
// builder (`cascade compose --local`) with the same library functions called directly.
// Deterministic: it only awaits its steps, so it is safe inside a workflow.
import { computeBuildrootHash } from './buildroot-hash';
import { rootCauseMessage } from '../root-cause';

export interface PlannedComponentBuild {
  name: string;
  commit: string;
}

/** What planning a module build answers (activities/module-build/module-build-plan.ts makes it). */
export interface ModuleBuildPlan {
  nsvc: string;
  name: string;
  stream: string;
  version: string;
  context: string;
  commit: string;
  /** the modulemd with xmd.mbs filled in; artifacts are added when the build is done */
  modulemd: string;
  batches: { batch: number; components: PlannedComponentBuild[] }[];
  /** components the strategy lets be reused when the buildroot matches */
  reusable: string[];
  buildrequires: { nsvc: string; repoDir: string | null }[];
  /** every resolved buildrequire as name:stream:version:context, base modules included: the buildroot's modules */
  buildrootModules: string[];
  macros: Record<string, string>;
  buildrootMacros: string;
  buildopts: unknown;
  alreadyReady: boolean;
}

export type ComponentProgress = 'waiting' | 'building' | 'complete' | 'reused' | 'failed';

export interface ModuleBuildProgress {
  nsvc: string | null;
  state: 'init' | 'wait' | 'build' | 'done' | 'ready' | 'failed';
  reason: string | null;
  batches: { batch: number; components: { name: string; state: ComponentProgress; nvr: string | null }[] }[];
}

export interface ModuleBuildOutcome {
  nsvc: string;
  state: 'ready' | 'failed';
  reason: string | null;
  built: number;
  reused: number;
}

export type RecordedModuleBuildState = 'wait' | 'build' | 'done' | 'failed';

export type RecordedComponentOutcome =
  | { state: 'building'; buildrootHash: string }
  | { state: 'complete'; buildrootHash: string; nvr: string; taskId: string }
  | { state: 'failed'; buildrootHash: string; reason: string };

export interface ComponentBuildRequest {
  component: string;
  commit: string;
  buildrootHash: string;
  buildrootRepos: string[];
  macros: Record<string, string>;
  timeoutMs: number;
  /** the module the component is built for: a Koji hub builds it in that module's tags and target */
  module?: { nsvc: string; buildrequires: string[]; earlierBuilds: string[] };
}

export interface ModuleBuildSteps {
  plan(): Promise<ModuleBuildPlan>;
  setState(nsvc: string, state: RecordedModuleBuildState, reason?: string): Promise<void>;
  /** the earlier build of the same source in the same buildroot, taken over and recorded; undefined when none */
  reuseComponentBuild(input: {
    nsvc: string;
    name: string;
    commit: string;
    buildrootHash: string;
  }): Promise<{ nvr: string; dir: string } | undefined>;
  recordComponentOutcome(nsvc: string, name: string, outcome: RecordedComponentOutcome): Promise<void>;
  /** throws when the build fails; the failure's root cause becomes the component's reason */
  buildComponent(input: ComponentBuildRequest): Promise<{ nvr: string; taskId: string; dir: string }>;
  finishModuleBuild(input: { nsvc: string; modulemd: string; buildDirs: string[]; nvrs: string[] }): Promise<unknown>;
}

export interface ModuleBuildLimits {
  /** component builds of one batch running at once */
  concurrency: number;
  componentTimeoutMs: number;
}

/** Runs `work` over `items` with at most `limit` at once; results in input order. */
export async function boundedPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
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

export const newModuleBuildProgress = (): ModuleBuildProgress => ({
  nsvc: null,
  state: 'init',
  reason: null,
  batches: [],
});

type ComponentResult = { nvr: string; dir: string } | { failed: string };

/**
 * One NSVC, built batch after batch, each batch's components in parallel (bounded) on top of the
 * earlier batches, each reused instead of rebuilt when the same source was built in the same
 * buildroot before. States: init → wait → build → done → ready, or failed with a reason. `progress`
 * is updated as it goes (the workflow answers its query from it).
 */
export async function runModuleBuild(
  limits: ModuleBuildLimits,
  steps: ModuleBuildSteps,
  progress: ModuleBuildProgress = newModuleBuildProgress(),
): Promise<ModuleBuildOutcome> {
  const plan = await steps.plan();
  progress.nsvc = plan.nsvc;
  progress.batches = plan.batches.map((b) => ({
    batch: b.batch,
    components: b.components.map((c) => ({ name: c.name, state: 'waiting' as const, nvr: null })),
  }));
  if (plan.alreadyReady) {
    progress.state = 'ready';
    return { nsvc: plan.nsvc, state: 'ready', reason: null, built: 0, reused: 0 };
  }
  const setState = async (state: RecordedModuleBuildState, reason?: string) => {
    progress.state = state;
    progress.reason = reason ?? null;
    await steps.setState(plan.nsvc, state, reason);
  };
  await setState('wait');
  await setState('build');

  const repos = plan.buildrequires.flatMap((b) => (b.repoDir ? [b.repoDir] : []));
  const earlierNvrs: string[] = [];
  const buildDirs: string[] = [];
  const reusable = new Set(plan.reusable);
  const counts = { built: 0, reused: 0 };

  for (const [index, batch] of plan.batches.entries()) {
    const hash = computeBuildrootHash({
      buildrequires: plan.buildrootModules,
      earlierBatchArtifacts: earlierNvrs,
      macros: plan.buildrootMacros,
      buildopts: plan.buildopts,
    });
    if (!hash.ok) {
      await setState('failed', hash.error.message);
      return { nsvc: plan.nsvc, state: 'failed', reason: hash.error.message, ...counts };
    }
    const shown = progress.batches[index]!.components;
    const buildOne = async (c: PlannedComponentBuild): Promise<ComponentResult> => {
      const view = shown.find((s) => s.name === c.name)!;
      if (reusable.has(c.name)) {
        const taken = await steps.reuseComponentBuild({
          nsvc: plan.nsvc,
          name: c.name,
          commit: c.commit,
          buildrootHash: hash.hash,
        });
        if (taken) {
          Object.assign(view, { state: 'reused', nvr: taken.nvr });
          counts.reused += 1;
          return taken;
        }
      }
      view.state = 'building';
      await steps.recordComponentOutcome(plan.nsvc, c.name, { state: 'building', buildrootHash: hash.hash });
      try {
        // A component the strategy says to rebuild must not meet its earlier build under the same key.
        const key = reusable.has(c.name) ? hash.hash : `${hash.hash}/${plan.nsvc}`;
        const out = await steps.buildComponent({
          component: c.name,
          commit: c.commit,
          buildrootHash: key,
          buildrootRepos: [...repos],
          macros: plan.macros,
          timeoutMs: limits.componentTimeoutMs,
          module: {
            nsvc: plan.nsvc,
            buildrequires: plan.buildrequires.map((b) => b.nsvc),
            earlierBuilds: [...earlierNvrs],
          },
        });
        await steps.recordComponentOutcome(plan.nsvc, c.name, {
          state: 'complete',
          buildrootHash: hash.hash,
          nvr: out.nvr,
          taskId: out.taskId,
        });
        Object.assign(view, { state: 'complete', nvr: out.nvr });
        counts.built += 1;
        return { nvr: out.nvr, dir: out.dir };
      } catch (err) {
        const reason = rootCauseMessage(err);
        await steps.recordComponentOutcome(plan.nsvc, c.name, { state: 'failed', buildrootHash: hash.hash, reason });
        view.state = 'failed';
        return { failed: `${c.name}: ${reason}` };
      }
    };
    const results = await boundedPool(batch.components, limits.concurrency, buildOne);
    const failures = results.flatMap((r) => ('failed' in r ? [r.failed] : []));
    if (failures.length > 0) {
      const reason = `batch ${batch.batch} failed: ${failures.join('; ')}`;
      await setState('failed', reason);
      return { nsvc: plan.nsvc, state: 'failed', reason, ...counts };
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
  await steps.finishModuleBuild({ nsvc: plan.nsvc, modulemd: plan.modulemd, buildDirs, nvrs: earlierNvrs });
  progress.state = 'ready';
  return { nsvc: plan.nsvc, state: 'ready', reason: null, ...counts };
}
