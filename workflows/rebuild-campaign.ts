import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CampaignInput, CampaignState } from '../domain/campaign';
import type { createCampaignStoreActivities } from '../activities/store/campaign-store';

const store = proxyActivities<ReturnType<typeof createCampaignStoreActivities>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

export const campaignStateQuery = defineQuery<{ campaignId: string; state: CampaignState }>('campaignState');

/**
 * RebuildCampaign. So far it records the campaign and its request in the store; computing tiers and
 * running module builds and CI tier by tier is the rebuild-campaign issue's work.
 */
export async function rebuildCampaign(input: CampaignInput): Promise<{ campaignId: string; state: CampaignState }> {
  let state: CampaignState = 'running';
  setHandler(campaignStateQuery, () => ({ campaignId: input.campaignId, state }));
  await store.recordCampaign(input, state);
  state = 'recorded';
  await store.setCampaignState(input.campaignId, state, 'tier planning and module builds are not implemented yet');
  return { campaignId: input.campaignId, state };
}
