// Activities that write campaign state to Cascade's store. Upserts by natural key, so a retried
// activity changes nothing the first run already wrote.
import type { PrismaClient } from '@prisma/client';
import { workflowIds } from '../../domain/workflow-ids';
import type { CampaignInput, CampaignState } from '../../domain/campaign';

export function createCampaignStoreActivities(deps: { prisma: PrismaClient }) {
  const { prisma } = deps;
  return {
    async recordCampaign(input: CampaignInput, state: CampaignState): Promise<void> {
      const { request } = input;
      await prisma.campaign.upsert({
        where: { id: input.campaignId },
        create: {
          id: input.campaignId,
          workflowId: workflowIds.campaign(input.campaignId),
          trigger: { components: request.components, modules: request.modules, reason: request.reason ?? null },
          branch: request.branch,
          strategy: request.strategy,
          dryRun: request.dryRun,
          state,
          createdBy: input.requestedBy,
        },
        update: {},
      });
    },
    async setCampaignState(campaignId: string, state: CampaignState, reason?: string): Promise<void> {
      await prisma.campaign.update({ where: { id: campaignId }, data: { state, stateReason: reason ?? null } });
    },
  };
}
