// domain/campaign: the rebuild campaign's vocabulary, its plan (what a change makes Cascade rebuild,
// in which tier, and why), its schedule (which module may start, which are blocked, when it is
// done) and its change key (which triggers are one campaign). Pure and deterministic: workflows,
// activities, clients, the store, the API and the CLI may import it. The messages a campaign
// workflow takes and answers are its contract: workflows/campaign/contracts.ts.
export * from './vocabulary';
export {
  planCampaign,
  type CampaignChange,
  type CampaignGraph,
  type CampaignPlan,
  type CampaignPlanResult,
  type PlannedModule,
} from './plan';
export { campaignGraphOf, type ComponentHolderRow } from './index-graph';
export * from './schedule';
export { campaignIdFor, changeKeyOf, type ChangedRepository } from './change-key';
export * from './campaign-machine';
export { compareModuleKeys, pageByTier, type TierPage, type TierPageRequest } from './tier-pages';
