// Starting campaigns and offering fixes to waiting ones, shared by the API (a person's request, a
// maintainer's new module build) and the dist-git push workflow (a push to a supported branch).
// A campaign's id is derived from its change key, so two triggers of one change meet one campaign.
import crypto from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import {
  CAMPAIGN_MESSAGES,
  type CampaignActionAccepted,
  type CampaignActionRequest,
  type CampaignRequest,
  type CampaignStart,
} from '../../domain/campaign';
import { workflowIds } from '../../domain/workflow-ids';
import { campaignsWaitingOn } from '../../store/campaigns';
import type { DistGit, Namespace } from '../distgit';

/** 60 bits of the key's SHA-256 in lowercase base32: short enough to type. */
export function campaignIdFor(changeKey: string): string {
  const digest = crypto.createHash('sha256').update(changeKey).digest();
  return digest.readBigUInt64BE().toString(32).slice(0, 12).padStart(12, '0');
}

/**
 * What a request's change is: every named repository's head on the branch (and the relation, since
 * it changes what is rebuilt). A repository dist-git does not know makes the key unique to the request.
 */
export async function changeKeyFor(distGit: DistGit, request: CampaignRequest, triggeredAt: string): Promise<string> {
  const repos: { namespace: Namespace; name: string }[] = [
    ...request.components.map((name) => ({ namespace: 'rpms' as const, name })),
    ...request.modules.map((name) => ({ namespace: 'modules' as const, name })),
  ];
  const parts = await Promise.all(
    repos.map(async (repo) => {
      const head = await distGit.resolveBranch(repo, request.branch).catch(() => undefined);
      return `${repo.namespace}/${repo.name}@${request.branch}=${head ?? `untracked:${triggeredAt}`}`;
    }),
  );
  return [...parts.sort(), `relation=${request.relation}`].join(' ');
}

export async function startCampaign(
  client: Client,
  taskQueue: string,
  start: CampaignStart,
): Promise<{ id: string; workflowId: string; existing: boolean }> {
  const workflowId = workflowIds.campaign(start.campaignId);
  try {
    await client.workflow.start('rebuildCampaign', {
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

export type ActionOutcome =
  { ok: true; accepted: CampaignActionAccepted } | { ok: false; code: 'rejected' | 'ended'; message: string };

/** Sends a person's action to a campaign; the workflow's validator may refuse it (state has moved on). */
export async function sendCampaignAction(
  client: Client,
  campaignId: string,
  request: CampaignActionRequest,
): Promise<ActionOutcome> {
  const handle = client.workflow.getHandle(workflowIds.campaign(campaignId));
  try {
    const accepted = await handle.executeUpdate<CampaignActionAccepted, [CampaignActionRequest]>(
      CAMPAIGN_MESSAGES.action,
      { args: [request], updateId: request.actionKey },
    );
    return { ok: true, accepted };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause instanceof Error ? err.cause.message : err.message;
      return { ok: false, code: 'rejected', message: cause };
    }
    if (err instanceof WorkflowNotFoundError || /already completed|not found/i.test((err as Error).message)) {
      return { ok: false, code: 'ended', message: `campaign ${campaignId} has ended` };
    }
    throw err;
  }
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
