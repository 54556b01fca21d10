// The one place that starts and addresses RebuildCampaign: its workflow id, a typed start where
// "already started" counts as success (two triggers of one change meet one campaign), a person's
// action as an update, the live progress as a query, and fixes offered to waiting campaigns. The
// API (a person's request, a maintainer's new module build) and the push trigger activity call it.
import type { PrismaClient } from '@prisma/client';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import type { DistGit } from '../activities/distgit';
import { changeKeyOf, type CampaignRequest, type CampaignStart } from '../domain/campaign';
import { rootCauseMessage } from '../domain/root-cause';
import { workflowIds } from '../domain/workflow-ids';
import { campaignsWaitingOn } from '../store/campaigns';
import {
  campaignActionUpdate,
  campaignAttemptFinishedSignal,
  campaignProgressQuery,
  type AttemptReport,
  type CampaignActionAccepted,
  type CampaignActionRequest,
  type CampaignProgress,
  type ModuleAttemptInput,
} from '../workflows/campaign/contracts';
import type { campaignModuleAttempt } from '../workflows/campaign/campaign-module-attempt';
import type { rebuildCampaign } from '../workflows/campaign/rebuild-campaign';
import type { windowedRebuildCampaign } from '../workflows/campaign/windowed-rebuild-campaign';

/** What a request's change is: every named repository's head on the branch, as dist-git answers now. */
export async function changeKeyFor(distGit: DistGit, request: CampaignRequest, triggeredAt: string): Promise<string> {
  const repos = [
    ...request.components.map((name) => ({ namespace: 'rpms' as const, name })),
    ...request.modules.map((name) => ({ namespace: 'modules' as const, name })),
  ];
  const heads = await Promise.all(
    repos.map(async (repo) => ({
      ...repo,
      head: await distGit.resolveBranch(repo, request.branch).catch(() => undefined),
    })),
  );
  return changeKeyOf(request.branch, heads, request.relation, triggeredAt);
}

export async function startCampaign(
  client: Client,
  taskQueue: string,
  start: CampaignStart,
): Promise<{ id: string; workflowId: string; existing: boolean }> {
  const workflowId = workflowIds.campaign(start.campaignId);
  try {
    // New campaigns keep their progress in the store (windowedRebuildCampaign); rebuildCampaign stays
    // registered for the campaigns started before, which carry their modules in the workflow.
    await client.workflow.start<typeof windowedRebuildCampaign>('windowedRebuildCampaign', {
      workflowId,
      taskQueue,
      args: [start],
      // The same change never runs twice; a campaign whose workflow failed may be triggered again.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      searchAttributes: { CascadeCampaignId: [start.campaignId] },
    });
    return { id: start.campaignId, workflowId, existing: false };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError)
      return { id: start.campaignId, workflowId, existing: true };
    throw err;
  }
}

/**
 * Starts a windowed campaign's module attempts (its launch activity calls this once per launch, with
 * the modules it marked started in the store). An attempt already started — the launch retried —
 * counts as started: each attempt's workflow id is taken once.
 */
export async function startModuleAttempts(
  client: Client,
  taskQueue: string,
  attempts: readonly ModuleAttemptInput[],
): Promise<void> {
  await Promise.all(
    attempts.map(async (input) => {
      try {
        await client.workflow.start<typeof campaignModuleAttempt>('campaignModuleAttempt', {
          workflowId: workflowIds.campaignModuleAttempt(input.campaignId, input.node, input.attempt),
          taskQueue,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          // The launching worker takes the attempt's first task itself when the server allows it (no trip
          // through matching). Called from the launch activity, whose client shares the worker's
          // NativeConnection, as eager start needs (the SDK refuses it on any other connection).
          requestEagerStart: true,
          searchAttributes: {
            CascadeCampaignId: [input.campaignId],
            CascadeModule: [input.node.slice(0, input.node.indexOf(':'))],
          },
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }),
  );
}

/** A module attempt's outcome, to its campaign's workflow id; a campaign that has ended wants no report. */
export async function reportAttemptToCampaign(
  client: Client,
  campaignId: string,
  report: AttemptReport,
): Promise<void> {
  try {
    await client.workflow.getHandle(workflowIds.campaign(campaignId)).signal(campaignAttemptFinishedSignal, report);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

export type ActionOutcome =
  { ok: true; accepted: CampaignActionAccepted } | { ok: false; code: 'rejected' | 'ended'; message: string };

/** Sends a person's action to a campaign; the workflow's validator may refuse it (state has moved on). */
export async function sendCampaignAction(
  client: Client,
  campaignId: string,
  request: CampaignActionRequest,
): Promise<ActionOutcome> {
  const handle = client.workflow.getHandle<typeof rebuildCampaign>(workflowIds.campaign(campaignId));
  try {
    const accepted = await handle.executeUpdate(campaignActionUpdate, { args: [request], updateId: request.actionKey });
    return { ok: true, accepted };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError)
      return { ok: false, code: 'rejected', message: rootCauseMessage(err) };
    if (err instanceof WorkflowNotFoundError || /already completed|not found/i.test((err as Error).message)) {
      return { ok: false, code: 'ended', message: `campaign ${campaignId} has ended` };
    }
    throw err;
  }
}

/** The live state of a running campaign; undefined when its workflow is not running (or not there). */
export async function campaignProgress(client: Client, campaignId: string): Promise<CampaignProgress | undefined> {
  const handle = client.workflow.getHandle<typeof rebuildCampaign>(workflowIds.campaign(campaignId));
  return handle.query(campaignProgressQuery).catch(() => undefined);
}

/** When a campaign's workflow started; undefined when there is none. */
export async function campaignStartTime(client: Client, campaignId: string): Promise<Date | undefined> {
  const description = await client.workflow
    .getHandle(workflowIds.campaign(campaignId))
    .describe()
    .catch(() => undefined);
  return description?.startTime;
}

/**
 * Offers a fix (a push to the module or one of its components, or a maintainer's build) to every
 * campaign waiting on one of these module streams: each resumes the failed module, building the
 * branch head or adopting the given build.
 */
export async function offerFixToWaitingCampaigns(
  client: Client,
  prisma: PrismaClient,
  offer: {
    modules: { name: string; stream: string }[];
    actor: string;
    reason: string;
    buildWorkflowId?: string;
    /** unique per offer (e.g. the push's event key) so a retried offer is recorded once */
    key: string;
    at: string;
  },
): Promise<{ campaignId: string; module: string; outcome: ActionOutcome }[]> {
  const waiting = await campaignsWaitingOn(prisma, offer.modules);
  const results = [];
  for (const w of waiting) {
    const outcome = await sendCampaignAction(client, w.campaignId, {
      action: 'resume',
      module: w.node,
      actor: offer.actor,
      reason: offer.reason,
      buildWorkflowId: offer.buildWorkflowId,
      actionKey: `${offer.key}/${w.campaignId}/${w.node}`,
      at: offer.at,
    });
    results.push({ campaignId: w.campaignId, module: w.node, outcome });
  }
  return results;
}
