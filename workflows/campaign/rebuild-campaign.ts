import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { createCampaignActivities } from '../../activities/campaign/campaign-activities';
import type { createNotifyActivities } from '../../activities/notify/notify-activities';
import {
  activeCount,
  blockingFailures,
  countStates,
  failedModules,
  isActive,
  isSettled,
  readyToStart,
  refreshBlocked,
  type CampaignStart,
  type CampaignModuleUpdate,
  type CampaignState,
  type ScheduledModule,
} from '../../domain/campaign';
import { splitModuleStreamKey } from '../../domain/dependencies';
import { workflowIds } from '../../domain/workflow-ids';
import { campaignModuleAttempt, type AttemptMode, type ModuleAttemptInput } from './campaign-module-attempt';
import {
  campaignActionUpdate,
  campaignAttemptFinishedSignal,
  campaignProgressQuery,
  type AttemptReport,
  type CampaignActionRequest,
  type CampaignProgress,
} from './contracts';

// Regular activities, not local ones: update handlers run beside the main loop here, and a local
// activity awaited in a handler let the order of an update's completion and a child's start differ
// between a run and its replay (a nondeterminism error, caught by the replay in the campaign test).
const campaign = proxyActivities<ReturnType<typeof createCampaignActivities>>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});
const notify = proxyActivities<ReturnType<typeof createNotifyActivities>>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '2s', maximumInterval: '5m' },
});

/** Far below the server's suggestion (about 4,096 events): every run's history stays small. */
const EVENTS_PER_RUN = 3_000;

interface Carried {
  run: number;
  state: CampaignState;
  tierCount: number;
  modules: ScheduledModule[];
  reminders: number[];
  inbox: AttemptReport[];
  launches: { index: number; mode: AttemptMode }[];
  cancelRequested: { actor: string; reason: string | null } | null;
}

export interface RebuildCampaignInput extends CampaignStart {
  /** the state handed over by continue-as-new */
  carried?: Carried;
}

export interface RebuildCampaignResult {
  campaignId: string;
  state: CampaignState;
  counts: ReturnType<typeof countStates>;
}

/**
 * RebuildCampaign: plans the change's tiers, then keeps a sliding window of module attempts (child
 * workflows, abandoned on close so they outlive a continue-as-new, reporting back by signal). A
 * module starts once its dependencies inside the campaign passed or were skipped; a failure notifies
 * the module's maintainers and blocks only its dependents, with reminders on a timer, until a person
 * resumes (a fix), retries, skips — or cancels the campaign. Updates carry who acted; the query
 * answers the live state.
 */
export async function rebuildCampaign(input: RebuildCampaignInput): Promise<RebuildCampaignResult> {
  const { campaignId, settings } = input;
  const carried = input.carried;
  let state: CampaignState = carried?.state ?? 'planning';
  let tierCount = carried?.tierCount ?? 0;
  let modules: ScheduledModule[] = carried?.modules ?? [];
  let reminders: number[] = carried?.reminders ?? [];
  const inbox: AttemptReport[] = [...(carried?.inbox ?? [])];
  const launches: { index: number; mode: AttemptMode }[] = [...(carried?.launches ?? [])];
  let cancelRequested = carried?.cancelRequested ?? null;
  const run = (carried?.run ?? 0) + 1;
  let position = new Map(modules.map((m, i) => [m.node, i]));
  const pendingWrites = new Map<number, CampaignModuleUpdate>();

  setHandler(campaignAttemptFinishedSignal, (report) => {
    inbox.push(report);
  });
  setHandler(campaignProgressQuery, () => progressOf(campaignId, state, tierCount, modules, run));
  setHandler(
    campaignActionUpdate,
    async (request) => {
      const index = request.module === undefined ? undefined : position.get(request.module);
      const m = index === undefined ? undefined : modules[index];
      if (request.action === 'cancel') {
        cancelRequested = { actor: request.actor, reason: request.reason ?? null };
      } else if (request.action === 'skip') {
        state = 'running';
        m!.state = 'skipped';
        m!.reason = request.reason ?? null;
        pendingWrites.set(index!, { node: m!.node, state: 'skipped', failure: request.reason ?? null });
      } else {
        m!.attempt += 1;
        m!.state = 'building';
        state = 'running';
        launches.push({ index: index!, mode: attemptMode(request, m!) });
      }
      await campaign.recordCampaignAction({
        campaignId,
        module: request.module ?? null,
        action: request.action,
        actor: request.actor,
        reason: request.reason ?? null,
        actionKey: request.actionKey,
      });
      const attempt = request.action === 'retry' || request.action === 'resume' ? m!.attempt : null;
      return { action: request.action, module: request.module ?? null, attempt };
    },
    { validator: (request) => validateAction(request, state, modules, position) },
  );

  // What the store last heard: the live state may move ahead of it inside an action's handler.
  let recordedState = state;
  const setState = async (next: CampaignState, reason: string | null = null) => {
    state = next;
    if (next === recordedState) return;
    recordedState = next;
    await campaign.setCampaignState(campaignId, next, reason);
  };
  const flushWrites = async () => {
    if (pendingWrites.size === 0) return;
    const updates = [...pendingWrites.values()];
    pendingWrites.clear();
    await campaign.updateCampaignModules(campaignId, updates);
  };
  const launch = async (items: { index: number; mode: AttemptMode }[]) => {
    await Promise.all(
      items.map(async ({ index, mode }) => {
        const m = modules[index]!;
        m.state = mode.kind === 'ci' ? 'testing' : 'building';
        const args: ModuleAttemptInput = {
          campaignId,
          node: m.node,
          attempt: m.attempt,
          mode,
          strategy: input.request.strategy,
          build: settings.build,
          owner: input.requestedBy,
        };
        const child = await startChild(campaignModuleAttempt, {
          workflowId: workflowIds.campaignModuleAttempt(campaignId, m.node, m.attempt),
          args: [args],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          searchAttributes: { CascadeCampaignId: [campaignId], CascadeModule: [splitModuleStreamKey(m.node).name] },
        });
        // The outcome comes by signal (it must reach a later run too); the result is not awaited here.
        child.result().catch(() => undefined);
      }),
    );
  };

  if (!carried) {
    const plan = await campaign.planAndRecordCampaign(input);
    if (!plan.ok) {
      state = 'failed';
      return { campaignId, state, counts: countStates([]) };
    }
    // planAndRecordCampaign recorded the campaign as running.
    state = recordedState = 'running';
    tierCount = plan.tierCount;
    modules = plan.modules.map((m) => ({
      ...m,
      state: 'waiting',
      attempt: 0,
      nsvc: null,
      failedStep: null,
      reason: null,
    }));
    reminders = modules.map(() => 0);
    position = new Map(modules.map((m, i) => [m.node, i]));
  }

  for (;;) {
    const newlyFailed = absorbReports(inbox, modules, position);
    if (cancelRequested) {
      await cancelEverything(campaignId, modules, cancelRequested);
      await flushWrites();
      await setState(
        'cancelled',
        `cancelled by ${cancelRequested.actor}${cancelRequested.reason ? `: ${cancelRequested.reason}` : ''}`,
      );
      break;
    }
    for (const i of refreshBlocked(modules)) pendingWrites.set(i, { node: modules[i]!.node, state: modules[i]!.state });
    await flushWrites();
    for (const i of newlyFailed) {
      await notify.notify(failureMessage(input, modules, i, 'failed', 0));
    }

    const queued = launches.splice(0, launches.length);
    // Attempts a person asked for are already counted as active; new ones fill the window that is left.
    const slots = Math.max(0, settings.concurrency - activeCount(modules));
    const ready = readyToStart(modules, slots).map((index) => {
      modules[index]!.attempt += 1;
      return { index, mode: { kind: 'build', rebuildAt: input.triggeredAt } as AttemptMode };
    });
    await launch([...queued, ...ready]);

    if (isSettled(modules)) {
      await setState('finished');
      await notify.notify({
        dedupeKey: `campaign/${campaignId}/finished`,
        kind: 'campaign.finished',
        subject: `[cascade] campaign ${campaignId} finished`,
        body: summaryLine(modules),
        campaignId,
        recipients: { users: [input.requestedBy] },
      });
      break;
    }
    const failures = failedModules(modules);
    await setState(
      activeCount(modules) === 0 && failures.length > 0 ? 'waiting' : 'running',
      failures.length > 0 ? `waiting for a person: ${failures.map((i) => modules[i]!.node).join(', ')} failed` : null,
    );

    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > EVENTS_PER_RUN) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof rebuildCampaign>({
        ...input,
        carried: { run, state, tierCount, modules, reminders, inbox, launches, cancelRequested },
      });
    }

    const moved = () => inbox.length > 0 || launches.length > 0 || cancelRequested !== null || pendingWrites.size > 0;
    const woke =
      failures.length > 0 ? await condition(moved, settings.reminderIntervalMs) : (await condition(moved), true);
    if (!woke) {
      for (const i of failedModules(modules)) {
        reminders[i] = (reminders[i] ?? 0) + 1;
        await notify.notify(failureMessage(input, modules, i, 'reminder', reminders[i]!));
      }
    }
  }
  await condition(allHandlersFinished);
  return { campaignId, state, counts: countStates(modules) };
}

/** Takes attempt reports in; a report of an attempt that is no longer current is ignored. Answers the newly failed. */
function absorbReports(inbox: AttemptReport[], modules: ScheduledModule[], position: Map<string, number>): number[] {
  const failed: number[] = [];
  for (const report of inbox.splice(0, inbox.length)) {
    const i = position.get(report.node);
    const m = i === undefined ? undefined : modules[i];
    if (!m || report.attempt !== m.attempt || !isActive(m.state)) continue;
    m.state = report.outcome;
    m.nsvc = report.nsvc;
    m.failedStep = report.failedStep;
    m.reason = report.reason;
    if (report.outcome === 'failed') failed.push(i!);
  }
  return failed;
}

function attemptMode(request: CampaignActionRequest, m: ScheduledModule): AttemptMode {
  if (request.action === 'resume' && request.buildWorkflowId)
    return { kind: 'adopt', workflowId: request.buildWorkflowId };
  if (request.action === 'retry' && m.failedStep === 'ci' && m.nsvc) return { kind: 'ci', nsvc: m.nsvc };
  // A build of its own (a new NSVC): the fixed commit's time, or the request's when later.
  return { kind: 'build', rebuildAt: request.at };
}

const PAST = { resume: 'resumed', retry: 'retried', skip: 'skipped', cancel: 'cancelled' } as const;

function validateAction(
  request: CampaignActionRequest,
  state: CampaignState,
  modules: readonly ScheduledModule[],
  position: ReadonlyMap<string, number>,
): void {
  if (state === 'planning') throw new Error('the campaign is still planning');
  if (request.action === 'cancel') return;
  if (!request.module) throw new Error(`${request.action} names a module (name:stream)`);
  const index = position.get(request.module);
  if (index === undefined) throw new Error(`${request.module} is not part of this campaign`);
  const m = modules[index]!;
  if (request.action === 'skip') {
    if (m.state === 'failed' || m.state === 'blocked' || m.state === 'waiting') return;
    throw new Error(`${request.module} is ${m.state}: only a failed, blocked or waiting module can be skipped`);
  }
  if (m.state !== 'failed')
    throw new Error(`${request.module} is ${m.state}: only a failed module can be ${PAST[request.action]}`);
}

async function cancelEverything(
  campaignId: string,
  modules: ScheduledModule[],
  by: { actor: string; reason: string | null },
): Promise<void> {
  const updates: CampaignModuleUpdate[] = [];
  for (const m of modules) {
    if (isActive(m.state)) {
      await getExternalWorkflowHandle(workflowIds.campaignModuleAttempt(campaignId, m.node, m.attempt))
        .cancel()
        .catch(() => undefined);
    }
    if (m.state === 'passed' || m.state === 'skipped') continue;
    m.state = 'cancelled';
    updates.push({ node: m.node, state: 'cancelled', failure: `cancelled by ${by.actor}` });
  }
  if (updates.length > 0) await campaign.updateCampaignModules(campaignId, updates);
}

function progressOf(
  campaignId: string,
  state: CampaignState,
  tierCount: number,
  modules: readonly ScheduledModule[],
  run: number,
): CampaignProgress {
  return {
    campaignId,
    state,
    tierCount,
    run,
    counts: countStates(modules),
    modules: modules.map((m, i) => ({
      node: m.node,
      tier: m.tier,
      state: m.state,
      attempt: m.attempt,
      nsvc: m.nsvc,
      failedStep: m.failedStep,
      reason: m.reason,
      ...(m.state === 'blocked' ? { blockedBy: blockingFailures(modules, i).map((b) => modules[b]!.node) } : {}),
    })),
  };
}

function summaryLine(modules: readonly ScheduledModule[]): string {
  const c = countStates(modules);
  return `${modules.length} modules: ${c.passed} passed, ${c.skipped} skipped, ${c.cancelled} cancelled`;
}

function failureMessage(
  input: RebuildCampaignInput,
  modules: readonly ScheduledModule[],
  index: number,
  kind: 'failed' | 'reminder',
  reminder: number,
) {
  const m = modules[index]!;
  const { name } = splitModuleStreamKey(m.node);
  const blocked = modules.filter((_, i) => blockingFailures(modules, i).includes(index)).map((b) => b.node);
  const step = m.failedStep === 'ci' ? 'CI' : 'the build';
  const id = input.campaignId;
  return {
    dedupeKey: `campaign/${id}/${m.node}/a${m.attempt}/${kind === 'failed' ? 'failed' : `reminder-${reminder}`}`,
    kind: kind === 'failed' ? 'campaign.module-failed' : 'campaign.reminder',
    subject: `[cascade] ${kind === 'reminder' ? 'reminder: ' : ''}${m.node} failed ${step} in campaign ${id}`,
    body: [
      `${m.node} (attempt ${m.attempt}${m.nsvc ? `, ${m.nsvc}` : ''}) failed ${step}: ${m.reason ?? 'no reason given'}`,
      blocked.length > 0
        ? `It blocks ${blocked.length} module(s): ${blocked.slice(0, 20).join(', ')}${blocked.length > 20 ? ', …' : ''}.`
        : 'Nothing else waits for it.',
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
