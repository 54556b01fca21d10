// The rebuild campaign's vocabulary, shared by the API (validation), the workflow and the store.

export const REBUILD_STRATEGIES = ['all', 'changed-and-after', 'only-changed'] as const;
export type RebuildStrategy = (typeof REBUILD_STRATEGIES)[number];

export type CampaignState = 'starting' | 'running' | 'recorded' | 'waiting' | 'finished' | 'failed' | 'cancelled';

export interface CampaignRequest {
  components: string[];
  modules: string[];
  branch: string;
  strategy: RebuildStrategy;
  dryRun: boolean;
  reason?: string;
}

/** What a campaign workflow is started with: ids and a small record, never whole documents. */
export interface CampaignInput {
  campaignId: string;
  request: CampaignRequest;
  requestedBy: string;
}
