// The workflow-shapes benchmark's bundle (bench/workflow-shapes.ts): four ways to orchestrate a
// campaign's modules on Temporal, with the work itself at zero cost and no store, so that what is
// measured is the shape alone. Each module is "built" by the steps Cascade's module build takes
// (a local activity to plan, one activity per component, a local activity to finish) and "tested" by
// one activity. Deterministic like workflows/ (no I/O, no clock).
import {
  condition,
  continueAsNew,
  defineSignal,
  executeChild,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';

export interface ShapeActivities {
  shapePlan(module: number): Promise<number>;
  shapeComponent(module: number): Promise<void>;
  shapeFinish(module: number): Promise<void>;
  /** attempts: the module's test, which then reports to the coordinator by signal, as Cascade's does */
  shapeTestAndReport(coordinatorId: string, module: number): Promise<void>;
  /** attempts: claims up to `count` modules and starts an attempt workflow (inline: building itself) for each */
  shapeLaunch(coordinatorId: string, count: number, inline: boolean): Promise<number>;
  /** lanes: the module's test, then the lane's next module (null: none left) */
  shapeTestAndClaim(module: number | null): Promise<number | null>;
  /** lanes: starts `count` lanes */
  shapeStartLanes(coordinatorId: string, count: number, inline: boolean): Promise<void>;
  shapeLaneDone(coordinatorId: string): Promise<void>;
}

const steps = proxyActivities<ShapeActivities>({ startToCloseTimeout: '1m' });
const local = proxyLocalActivities<ShapeActivities>({ startToCloseTimeout: '1m' });

export const shapeReportSignal = defineSignal<[number]>('shapeReport');
export const shapeLaneDoneSignal = defineSignal('shapeLaneDone');

const EVENTS_PER_RUN = 3_000;

/** A module build's steps: plan (local), one component (activity), finish (local). */
async function buildSteps(module: number): Promise<void> {
  await local.shapePlan(module);
  await steps.shapeComponent(module);
  await local.shapeFinish(module);
}

export async function shapeModuleBuild(module: number): Promise<void> {
  await buildSteps(module);
}

/** Today's shape: an attempt workflow per module, its build as a child, its test reporting by signal. */
export async function shapeAttempt(coordinatorId: string, module: number): Promise<void> {
  await executeChild(shapeModuleBuild, { workflowId: `${workflowInfo().workflowId}-build`, args: [module] });
  await steps.shapeTestAndReport(coordinatorId, module);
}

/** An attempt workflow per module that runs its build's steps itself (no child workflow), then tests and reports. */
export async function shapeAttemptInline(coordinatorId: string, module: number): Promise<void> {
  await buildSteps(module);
  await steps.shapeTestAndReport(coordinatorId, module);
}

/** Launches attempts up to the concurrency as reports come in; continues as new like the campaign. */
export async function shapeAttemptsCoordinator(
  total: number,
  concurrency: number,
  carried?: { launched: number; done: number },
  inline = false,
): Promise<void> {
  let launched = carried?.launched ?? 0;
  let done = carried?.done ?? 0;
  let moved = false;
  setHandler(shapeReportSignal, () => {
    done += 1;
    moved = true;
  });
  for (;;) {
    const room = Math.min(concurrency - (launched - done), total - launched);
    if (room > 0) launched += await steps.shapeLaunch(workflowInfo().workflowId, room, inline);
    if (done >= total) return;
    if (workflowInfo().historyLength > EVENTS_PER_RUN) {
      await continueAsNew<typeof shapeAttemptsCoordinator>(total, concurrency, { launched, done }, inline);
    }
    moved = false;
    await condition(() => moved);
  }
}

/** A lane: builds (as a child, or inline) and tests one module after another, claiming each next one. */
export async function shapeLane(coordinatorId: string, inline: boolean, first?: number | null): Promise<void> {
  let module = first === undefined ? await steps.shapeTestAndClaim(null) : first;
  while (module !== null) {
    if (inline) await buildSteps(module);
    else
      await executeChild(shapeModuleBuild, {
        workflowId: `${coordinatorId}-build-${module}`,
        args: [module],
      });
    module = await steps.shapeTestAndClaim(module);
    if (module !== null && workflowInfo().historyLength > EVENTS_PER_RUN) {
      await continueAsNew<typeof shapeLane>(coordinatorId, inline, module);
    }
  }
  await steps.shapeLaneDone(coordinatorId);
}

/** Starts the lanes and waits until each has found nothing left. */
export async function shapeLanesCoordinator(concurrency: number, inline: boolean): Promise<void> {
  let done = 0;
  setHandler(shapeLaneDoneSignal, () => {
    done += 1;
  });
  await steps.shapeStartLanes(workflowInfo().workflowId, concurrency, inline);
  await condition(() => done >= concurrency);
}
