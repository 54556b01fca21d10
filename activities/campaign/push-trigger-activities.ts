// What a dist-git push means for campaigns. A push to a module, or to a component one of its streams
// holds on that branch, is first offered as a fix to campaigns waiting on a failed module there; a
// push no waiting campaign takes starts a campaign of its own when the branch is a supported one.
import type { PrismaClient } from '@prisma/client';
import { Context } from '@temporalio/activity';
import { offerFixToWaitingCampaigns, startCampaign } from '../../clients/campaign-client';
import {
  campaignIdFor,
  changeKeyOf,
  DEFAULT_REBUILD_STRATEGY,
  type CampaignRequest,
  type CampaignSettings,
  type CampaignStart,
} from '../../domain/campaign';
import { ZERO_HASH } from '../../domain/git-refs';
import { holdersOnBranch } from '../../store/campaigns';
import type { RefMoveInput } from '../pdc/pdc-activities';

export interface PushCampaignConfig {
  settings: CampaignSettings;
  /** branches whose pushes start campaigns; '*' is every branch */
  pushBranches: string[];
  taskQueue: string;
}

export interface PushCampaignOutcome {
  /** campaigns that took the push as a fix of a failed module */
  resumed: { campaignId: string; module: string }[];
  /** the campaign the push started (or met, when another trigger of the same change came first) */
  started: { id: string; existing: boolean } | null;
  why: string;
}

export function createPushTriggerActivities(deps: { prisma: PrismaClient; campaigns: PushCampaignConfig }) {
  const { prisma, campaigns } = deps;
  return {
    async campaignsForPush(move: RefMoveInput): Promise<PushCampaignOutcome> {
      const none = (why: string): PushCampaignOutcome => ({ resumed: [], started: null, why });
      if (move.newHash === ZERO_HASH) return none('a deleted branch rebuilds nothing');
      if (move.oldHash === ZERO_HASH) return none('a new branch has nothing built to rebuild');
      const client = Context.current().client;
      const modules =
        move.namespace === 'modules'
          ? [{ name: move.name, stream: move.branch }]
          : await holdersOnBranch(prisma, move.name, move.branch);
      if (modules.length === 0) return none(`no module stream holds ${move.namespace}/${move.name} on ${move.branch}`);

      const offers = await offerFixToWaitingCampaigns(client, prisma, {
        modules,
        actor: move.pusher,
        reason: `fix pushed to ${move.namespace}/${move.name}@${move.branch}: ${move.newHash.slice(0, 12)}`,
        key: `push/${move.namespace}/${move.name}/${move.branch}/${move.newHash}`,
        at: move.movedAt,
      });
      const resumed = offers.filter((o) => o.outcome.ok).map((o) => ({ campaignId: o.campaignId, module: o.module }));
      if (resumed.length > 0) return { resumed, started: null, why: 'taken as a fix by waiting campaigns' };

      const supported = campaigns.pushBranches.includes('*') || campaigns.pushBranches.includes(move.branch);
      if (!supported)
        return none(`${move.branch} is not a branch whose pushes start campaigns (CASCADE_CAMPAIGN_BRANCHES)`);
      const request: CampaignRequest = {
        components: move.namespace === 'rpms' ? [move.name] : [],
        modules: move.namespace === 'modules' ? [move.name] : [],
        branch: move.branch,
        strategy: DEFAULT_REBUILD_STRATEGY,
        relation: 'buildrequires',
        dryRun: false,
        reason: `push ${(move.oldHash ?? '').slice(0, 12)}..${move.newHash.slice(0, 12)} by ${move.pusher}`,
      };
      // The key the API derives for a request naming this repository, at the head this push made.
      const repository = { namespace: move.namespace, name: move.name, head: move.newHash };
      const changeKey = changeKeyOf(move.branch, [repository], request.relation, move.movedAt);
      const start: CampaignStart = {
        campaignId: campaignIdFor(changeKey),
        request,
        requestedBy: move.pusher,
        changeKey,
        triggeredAt: move.movedAt,
        settings: campaigns.settings,
      };
      const started = await startCampaign(client, campaigns.taskQueue, start);
      return {
        resumed: [],
        started: { id: started.id, existing: started.existing },
        why: 'a push to a supported branch',
      };
    },
  };
}
