import {
  CancellationScope,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import type { createKojiActivities } from '../../activities/koji/koji-activities';
import type { createModuleBuildActivities } from '../../activities/module-build/module-build-activities';
import type { createModuleBuildPlanActivities } from '../../activities/module-build/module-build-plan';
import {
  newModuleBuildProgress,
  runModuleBuild,
  type ComponentResult,
  type ComponentStepRequest,
  type ModuleBuildProgress,
} from '../../domain/module-build/run-module-build';
import { rootCauseMessage } from '../../domain/root-cause';
import { moduleBuildProgressQuery, type ModuleBuildInput, type ModuleBuildOutcome } from './contracts';

type StoreActivities = ReturnType<typeof createModuleBuildActivities> &
  ReturnType<typeof createModuleBuildPlanActivities>;

/** Planning and finishing: retried unless the module itself is wrong or a buildrequire is not ready. */
const STEP_RETRY: RetryPolicy = {
  initialInterval: '1s',
  maximumInterval: '30s',
  nonRetryableErrorTypes: ['ModuleBuildPlanFailed', 'InvalidModulemd', 'BuildrequireNotReady'],
};

// Before the patch below (histories recorded earlier): planning and the module repository as activities
// heartbeating while they run (activities/module-build/step-heartbeats.ts), so a worker killed in the
// middle is noticed within 30 s, not after the 5 minutes the step may take.
const store = proxyActivities<StoreActivities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '30s',
  retry: STEP_RETRY,
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

// Since the patch below, planning and finishing are local activities: each is a few store reads and
// writes around work of seconds (reading the modulemd and refs, writing the module repository), and as
// regular activities they cost a workflow task, an activity task and six events each. A worker killed
// in the middle is noticed when the workflow task times out (10 s); another worker runs the step again
// (both are idempotent). The module build takes no signals or updates, so nothing lands between a
// local activity and its marker.
const steps = proxyLocalActivities<StoreActivities>({ startToCloseTimeout: '5m', retry: STEP_RETRY });

// One component as one activity (reuse, records and the build together): a component build's watch,
// with the same heartbeat and limits as koji's.
const components = proxyActivities<StoreActivities>({
  startToCloseTimeout: '4h',
  heartbeatTimeout: '15s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/**
 * Since this patch, the store's writes of states and component outcomes are made by the steps around
 * them (planning records wait and build, one activity per component takes it over or records and
 * builds it, finishing records done), and planning and finishing are local activities: a one-batch
 * module build is two workflow tasks, not four, and a third of the activations (issue 15: the
 * per-module cost of a campaign). Histories recorded before it replay the steps as they were.
 */
export const STEPS_IN_ACTIVITIES = 'module-build-steps-in-activities';

/**
 * ModuleBuild: one NSVC, built batch after batch as domain/module-build/run-module-build.ts lays it
 * out, with the store's writes as (local) activities and each component build as a Koji activity.
 * States: init → wait → build → done → ready, or failed with a reason.
 */
export async function moduleBuild(input: ModuleBuildInput): Promise<ModuleBuildOutcome> {
  const progress = newModuleBuildProgress();
  setHandler(moduleBuildProgressQuery, () => progress);
  return buildModuleHere(input, progress, patched(STEPS_IN_ACTIVITIES));
}

/**
 * A module build's steps run by the calling workflow, under its workflow id: the ModuleBuild
 * workflow's, and since 'attempt-builds-inline' a campaign's module attempt's (which saves a workflow
 * per module). `folded`: the steps as since 'module-build-steps-in-activities'; only module builds
 * recorded before that patch run them unfolded. A cancelled build is recorded failed.
 */
export async function buildModuleHere(
  input: ModuleBuildInput,
  progress: ModuleBuildProgress,
  folded = true,
): Promise<ModuleBuildOutcome> {
  try {
    return await runModuleBuild(
      input,
      {
        plan: () => {
          const request = { ...input, workflowId: workflowInfo().workflowId, begin: folded };
          return folded ? steps.planModuleBuild(request) : store.planModuleBuild(request);
        },
        setState: (nsvc, state, reason) => records.setModuleBuildState(nsvc, state, reason),
        reuseComponentBuild: (request) => records.reuseComponentBuild(request),
        recordComponentOutcome: (nsvc, name, outcome) => records.recordComponentOutcome(nsvc, name, outcome),
        buildComponent: (request) => koji.buildComponent(request),
        finishModuleBuild: (request) =>
          folded ? steps.finishModuleBuild({ ...request, markDone: true }) : store.finishModuleBuild(request),
        ...(folded ? { statesInSteps: true, component: componentStep } : {}),
      },
      progress,
    );
  } catch (err) {
    if (isCancellation(err)) await CancellationScope.nonCancellable(() => recordCancelled(progress));
    throw err;
  }
}

/** The one-activity component; the activity failing for good (its time limit) fails the component, as before. */
async function componentStep(request: ComponentStepRequest): Promise<ComponentResult> {
  try {
    return await components.buildModuleComponent(request);
  } catch (err) {
    if (isCancellation(err)) throw err;
    const reason = rootCauseMessage(err);
    await records.recordComponentOutcome(request.nsvc, request.name, {
      state: 'failed',
      buildrootHash: request.buildrootHash,
      reason,
    });
    return { failed: `${request.name}: ${reason}` };
  }
}

/**
 * A cancelled build (its compose or campaign was cancelled) would otherwise stay 'build' in the store
 * for ever: it is failed, and so are the components it was building (their Koji tasks may finish;
 * a later build takes them over by their key).
 */
async function recordCancelled(progress: ModuleBuildProgress): Promise<void> {
  const nsvc = progress.nsvc;
  if (!nsvc || progress.state === 'ready' || progress.state === 'failed') return;
  for (const batch of progress.batches)
    for (const c of batch.components)
      if (c.state === 'building')
        await records.recordComponentOutcome(nsvc, c.name, { state: 'failed', reason: 'cancelled' });
  await records.setModuleBuildState(nsvc, 'failed', 'cancelled');
  progress.state = 'failed';
  progress.reason = 'cancelled';
}
