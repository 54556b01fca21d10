import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createCampaignActivities } from '../../activities/campaign/campaign-activities';
import type { createCampaignWindowActivities } from '../../activities/campaign/campaign-window-activities';
import type { createNotifyActivities } from '../../activities/notify/notify-activities';
import {
  CampaignActionRefused,
  CampaignMachine,
  type CampaignActionInput,
  type CampaignCarry,
  type CampaignStart,
  type CampaignState,
  type FailedAttempt,
  type StateCounts,
} from '../../domain/campaign';
import { splitModuleStreamKey } from '../../domain/dependencies';
import { workflowIds } from '../../domain/workflow-ids';
import {
  campaignActionUpdate,
  campaignAttemptFinishedSignal,
  campaignProgressQuery,
  type CampaignActionRequest,
  type CampaignProgress,
} from './contracts';

type CampaignActivities = ReturnType<typeof createCampaignActivities>;
type WindowActivities = ReturnType<typeof createCampaignWindowActivities>;

// Handlers use regular activities: a local activity awaited in a handler beside the main loop let an
// update's completion and the loop's next step change order between a run and its replay.
const campaign = proxyActivities<CampaignActivities & WindowActivities>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});
// The main loop's launches are short store writes and starts, yet regular activities, not local ones:
// attempts' reports arrive as signals while a launch runs, and a local activity's marker does not fix
// where those signals fall relative to its result, so a new worker replaying the history took them in
// the other order, launched something else and failed with "Missing associated machine for
// LocalActivity" (the chaos harness caught it after a worker SIGKILL). An activity's completion is an
// event of its own: replay sees the signals before or after it exactly as the first run did.
// Nothing else moves while a launch runs, and a launch lost with its worker (or stuck on a connection
// to a PostgreSQL that was killed) is only retried when this limit runs out: 2 minutes held a 300-
// module campaign still four times in the 100-kill chaos run. A launch is a few store writes and
// starts, and a retried one answers what the first claimed, so the limit is short.
const window = proxyActivities<WindowActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});
const notify = proxyActivities<ReturnType<typeof createNotifyActivities>>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '2s', maximumInterval: '5m' },
});

/** Far below the server's suggestion (about 4,096 events): every run's history stays small. */
const EVENTS_PER_RUN = 3_000;

export interface WindowedCampaignInput extends CampaignStart {
  /** what a previous run handed over through continue-as-new: counts and the window, never the plan */
  carried?: { run: number; machine: CampaignCarry };
}

export interface WindowedCampaignResult {
  campaignId: string;
  state: CampaignState;
  counts: StateCounts;
}

/**
 * A rebuild campaign whose plan and per-module progress live in the store: the workflow keeps a window
 * (CampaignMachine: counts, attempts in flight, failures waiting for a person) and wires it to the
 * handlers, the launches and the wait loop. Each launch marks the next ready modules started in the
 * store and starts their attempts (workflows of their own, reporting back by signal); a failure
 * notifies the module's maintainers and blocks only what depends on it, with reminders, until a person
 * resumes, retries or skips it — or cancels the campaign.
 */
export async function windowedRebuildCampaign(input: WindowedCampaignInput): Promise<WindowedCampaignResult> {
  const { campaignId, settings } = input;
  const run = (input.carried?.run ?? 0) + 1;
  let machine = input.carried
    ? CampaignMachine.resumed(input.carried.machine, settings.concurrency)
    : CampaignMachine.planning(settings.concurrency);
  let moved = false;
  let handlers: Promise<unknown> = Promise.resolve();

  setHandler(campaignAttemptFinishedSignal, (report) => {
    if (machine.absorb(report)) moved = true;
  });
  setHandler(campaignProgressQuery, () => progressOf(campaignId, machine, run));
  setHandler(
    campaignActionUpdate,
    (request) => {
      // One action at a time: each sees the window as the one before left it.
      const done = handlers.then(() => act(request));
      handlers = done.catch(() => undefined);
      return done;
    },
    { validator: (request) => refusing(() => machine.check(request)) },
  );

  const act = async (request: CampaignActionRequest) => {
    const action: CampaignActionInput = request;
    const record = {
      campaignId,
      module: request.module ?? null,
      action: request.action,
      actor: request.actor,
      reason: request.reason ?? null,
      actionKey: request.actionKey,
    };
    let stored = undefined as Awaited<ReturnType<WindowActivities['campaignModuleState']>> | undefined;
    if (request.action === 'skip') {
      refusing(() => machine.check(action));
      const skipped = await campaign.skipCampaignModule(campaignId, {
        node: request.module!,
        reason: request.reason ?? null,
        action: record,
      });
      stored = skipped.applied ? (skipped.state === 'skipped' ? 'waiting' : skipped.state) : skipped.state;
      refusing(() => machine.check(action, stored));
    } else {
      if (refusing(() => machine.check(action)) === 'store') {
        stored = await campaign.campaignModuleState(campaignId, request.module!);
      }
      refusing(() => machine.check(action, stored));
      await campaign.recordCampaignAction(record);
    }
    const effect = machine.apply(action, stored);
    moved = true;
    return {
      action: request.action,
      module: request.module ?? null,
      attempt: effect.kind === 'relaunch' ? effect.relaunch.attempt : null,
    };
  };

  // What the store last heard: actions move the live state ahead of it.
  let recordedState: CampaignState = input.carried ? machine.state : 'planning';
  const setState = async (next: CampaignState, reason: string | null = null) => {
    if (next === recordedState) return;
    recordedState = next;
    await campaign.setCampaignState(campaignId, next, reason);
  };

  if (!input.carried) {
    const plan = await campaign.planCampaignWindow(input);
    if (!plan.ok) return { campaignId, state: 'failed', counts: countsOf(CampaignMachine.planning(1)) };
    machine = CampaignMachine.planned(plan, settings.concurrency);
    recordedState = 'running'; // recorded with the plan
  }

  for (;;) {
    moved = false;
    const cancel = machine.cancelRequest;
    if (cancel) {
      const reason = `cancelled by ${cancel.actor}${cancel.reason ? `: ${cancel.reason}` : ''}`;
      for (const a of machine.cancelled().inFlight) {
        await getExternalWorkflowHandle(workflowIds.campaignModuleAttempt(campaignId, a.node, a.attempt))
          .cancel()
          .catch(() => undefined);
      }
      await window.cancelCampaignModules(campaignId, `cancelled by ${cancel.actor}`);
      await setState('cancelled', reason);
      break;
    }
    for (const failed of machine.takeUnannounced()) await notify.notify(failureMessage(input, failed, 'failed'));

    const next = machine.nextLaunch();
    if (next) {
      const started = await window.launchCampaignModules({
        campaignId,
        key: next.key,
        relaunches: next.relaunches.map((r) => ({ node: r.node, attempt: r.attempt, mode: r.mode })),
        claim: next.claim,
        attempts: {
          taskQueue: workflowInfo().taskQueue,
          triggeredAt: input.triggeredAt,
          strategy: input.request.strategy,
          build: settings.build,
          owner: input.requestedBy,
        },
      });
      // reports of attempts that finished before the launch answered are taken in here
      if (machine.launched(next.key, started) > 0) moved = true;
    }

    const state = machine.settle();
    if (state === 'finished') {
      await setState('finished');
      const c = machine.counts();
      await notify.notify({
        dedupeKey: `campaign/${campaignId}/finished`,
        kind: 'campaign.finished',
        subject: `[cascade] campaign ${campaignId} finished`,
        body: `${c.total} modules: ${c.passed} passed, ${c.skipped} skipped, ${c.cancelled} cancelled`,
        campaignId,
        recipients: { users: [input.requestedBy] },
      });
      break;
    }
    await setState(state, machine.waitingReason());

    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (settings.continueAsNewAfterEvents ?? EVENTS_PER_RUN)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof windowedRebuildCampaign>({ ...input, carried: { run, machine: machine.carry() } });
    }

    const woke = machine.hasFailures()
      ? await condition(() => moved, settings.reminderIntervalMs)
      : (await condition(() => moved), true);
    if (!woke) {
      for (const failed of machine.remind()) await notify.notify(failureMessage(input, failed, 'reminder'));
    }
  }
  await condition(allHandlersFinished);
  return { campaignId, state: machine.state, counts: countsOf(machine) };
}

/** A refusal fails the update (not the workflow task): an ApplicationFailure naming why. */
function refusing<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof CampaignActionRefused) throw ApplicationFailure.nonRetryable(err.message, err.name);
    throw err;
  }
}

/** Counts as the window knows them: the modules not yet started are counted waiting. */
function countsOf(machine: CampaignMachine): StateCounts {
  const c = machine.counts();
  const { inFlight } = machine.windowModules();
  const testing = inFlight.filter((a) => a.state === 'testing').length;
  return {
    waiting: Math.max(0, c.total - c.passed - c.skipped - c.cancelled - c.inFlight - c.failed),
    blocked: 0,
    building: c.inFlight - testing,
    testing,
    passed: c.passed,
    failed: c.failed,
    skipped: c.skipped,
    cancelled: c.cancelled,
  };
}

function progressOf(campaignId: string, machine: CampaignMachine, run: number): CampaignProgress {
  const { inFlight, failed } = machine.windowModules();
  return {
    campaignId,
    state: machine.state,
    tierCount: machine.tierCount,
    run,
    counts: countsOf(machine),
    windowOnly: true,
    modules: [
      ...inFlight.map((a) => ({
        node: a.node,
        tier: a.tier,
        state: a.state,
        attempt: a.attempt,
        nsvc: null,
        failedStep: null,
        reason: null,
      })),
      ...failed.map((f) => ({
        node: f.node,
        tier: f.tier,
        state: 'failed' as const,
        attempt: f.attempt,
        nsvc: f.nsvc,
        failedStep: f.failedStep,
        reason: f.reason,
      })),
    ],
  };
}

function failureMessage(input: WindowedCampaignInput, m: FailedAttempt, kind: 'failed' | 'reminder') {
  const { name } = splitModuleStreamKey(m.node);
  const step = m.failedStep === 'ci' ? 'CI' : 'the build';
  const id = input.campaignId;
  return {
    dedupeKey: `campaign/${id}/${m.node}/a${m.attempt}/${kind === 'failed' ? 'failed' : `reminder-${m.reminders}`}`,
    kind: kind === 'failed' ? 'campaign.module-failed' : 'campaign.reminder',
    subject: `[cascade] ${kind === 'reminder' ? 'reminder: ' : ''}${m.node} failed ${step} in campaign ${id}`,
    body: [
      `${m.node} (attempt ${m.attempt}${m.nsvc ? `, ${m.nsvc}` : ''}) failed ${step}: ${m.reason ?? 'no reason given'}`,
      'The modules of the campaign that depend on it wait until it passes or is skipped.',
      `Push a fix and build it (the campaign adopts the build once CI passes), or act on it:`,
      `  cascade campaign resume ${id} --module ${m.node}`,
      `  cascade campaign retry ${id} --module ${m.node}`,
      `  cascade campaign skip ${id} --module ${m.node} --reason TEXT`,
    ].join('\n'),
    campaignId: id,
    module: m.node,
    moduleBuild: m.nsvc,
    recipients: { modules: [name] },
  };
}
