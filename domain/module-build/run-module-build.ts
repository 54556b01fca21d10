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

/** The steps of one component: take over an earlier build, or record, build and record the outcome. */
export interface ComponentSteps {
  /** the earlier build of the same source in the same buildroot, taken over and recorded; undefined when none */
  reuseComponentBuild(input: {
    nsvc: string;
    name: string;
    commit: string;
    buildrootHash: string;
  }): Promise<{ nvr: string; dir: string } | undefined>;
  recordComponentOutcome(nsvc: string, name: string, outcome: RecordedComponentOutcome): Promise<void>;
  /** throws when the build fails; the failure's root cause becomes the component's reason */
  buildComponent(input: ComponentBuildRequest): Promise<{ nvr: string; taskId: string; dir: string; found?: boolean }>;
  /**
   * Given, only a build error it calls final fails the component; any other propagates, for the
   * caller to retry (an activity doing all the steps: a hub out of reach is not a failed build).
   */
  isFinal?(err: unknown): boolean;
}

/** One component of a batch, as componentBuildOrReuse takes it. */
export interface ComponentStepRequest {
  nsvc: string;
  name: string;
  commit: string;
  /** the batch's buildroot hash, recorded with the component */
  buildrootHash: string;
  /** whether the strategy lets an earlier build of the same source in the same buildroot be taken over */
  reusable: boolean;
  build: ComponentBuildRequest;
}

/** A component's build or the one taken over; a build names its task, and whether the builder found it made. */
export type ComponentResult =
  { nvr: string; dir: string; reused: boolean; taskId?: string; found?: boolean } | { failed: string };

export interface ModuleBuildSteps extends ComponentSteps {
  plan(): Promise<ModuleBuildPlan>;
  setState(nsvc: string, state: RecordedModuleBuildState, reason?: string): Promise<void>;
  finishModuleBuild(input: { nsvc: string; modulemd: string; buildDirs: string[]; nvrs: string[] }): Promise<unknown>;
  /**
   * Given, a component is one step (the ModuleBuild workflow's one activity per component, which runs
   * componentBuildOrReuse itself); otherwise runModuleBuild runs it over the three component steps.
   */
  component?(request: ComponentStepRequest): Promise<ComponentResult>;
  /** true when plan() records the states wait and build itself and finishModuleBuild() records done */
  statesInSteps?: boolean;
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

/**
 * One component: taken over from an earlier build of the same source in the same buildroot when the
 * strategy allows, else recorded building, built and recorded complete, or failed with the root cause.
 */
export async function componentBuildOrReuse(
  steps: ComponentSteps,
  r: ComponentStepRequest,
  onBuilding?: () => void,
): Promise<ComponentResult> {
  if (r.reusable) {
    const taken = await steps.reuseComponentBuild({
      nsvc: r.nsvc,
      name: r.name,
      commit: r.commit,
      buildrootHash: r.buildrootHash,
    });
    if (taken) return { ...taken, reused: true };
  }
  onBuilding?.();
  await steps.recordComponentOutcome(r.nsvc, r.name, { state: 'building', buildrootHash: r.buildrootHash });
  let out: { nvr: string; taskId: string; dir: string; found?: boolean };
  try {
    out = await steps.buildComponent(r.build);
  } catch (err) {
    if (steps.isFinal && !steps.isFinal(err)) throw err;
    const reason = rootCauseMessage(err);
    await steps.recordComponentOutcome(r.nsvc, r.name, { state: 'failed', buildrootHash: r.buildrootHash, reason });
    return { failed: `${r.name}: ${reason}` };
  }
  await steps.recordComponentOutcome(r.nsvc, r.name, {
    state: 'complete',
    buildrootHash: r.buildrootHash,
    nvr: out.nvr,
    taskId: out.taskId,
  });
  return { nvr: out.nvr, dir: out.dir, reused: false, taskId: out.taskId, found: out.found };
}

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
  if (steps.statesInSteps) progress.state = 'build';
  else {
    await setState('wait');
    await setState('build');
  }

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
      const request: ComponentStepRequest = {
        nsvc: plan.nsvc,
        name: c.name,
        commit: c.commit,
        buildrootHash: hash.hash,
        reusable: reusable.has(c.name),
        build: {
          component: c.name,
          commit: c.commit,
          // A component the strategy says to rebuild must not meet its earlier build under the same key.
          buildrootHash: reusable.has(c.name) ? hash.hash : `${hash.hash}/${plan.nsvc}`,
          buildrootRepos: [...repos],
          macros: plan.macros,
          timeoutMs: limits.componentTimeoutMs,
          module: {
            nsvc: plan.nsvc,
            buildrequires: plan.buildrequires.map((b) => b.nsvc),
            earlierBuilds: [...earlierNvrs],
          },
        },
      };
      // A cancelled build fails what it shows building (workflows/module-build): one step is building from its start.
      const building = () => void (view.state = 'building');
      if (steps.component) building();
      const result = steps.component
        ? await steps.component(request)
        : await componentBuildOrReuse(steps, request, building);
      if ('failed' in result) {
        view.state = 'failed';
        return result;
      }
      Object.assign(view, { state: result.reused ? 'reused' : 'complete', nvr: result.nvr });
      if (result.reused) counts.reused += 1;
      else counts.built += 1;
      return result;
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
  if (steps.statesInSteps) progress.state = 'done';
  else await setState('done');
  await steps.finishModuleBuild({ nsvc: plan.nsvc, modulemd: plan.modulemd, buildDirs, nvrs: earlierNvrs });
  progress.state = 'ready';
  return { nsvc: plan.nsvc, state: 'ready', reason: null, ...counts };
}
