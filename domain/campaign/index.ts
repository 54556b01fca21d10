// domain/campaign: the rebuild campaign's vocabulary, its plan (what a change makes Cascade rebuild,
// in which tier, and why) and its schedule (which module may start, which are blocked, when it is
// done). Pure and deterministic: the workflows, the activities and the API import it.
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
export * from './messages';
