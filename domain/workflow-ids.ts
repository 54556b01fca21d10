// Deterministic workflow ids and the custom search attributes Cascade's workflows carry.
// Pure: imported by workflows, activities, the API and the platform alike.

/** Registered at dev-server start (`--search-attribute`) and, in production, with `temporal operator search-attribute create`. */
export const CASCADE_SEARCH_ATTRIBUTES = {
  CascadeCampaignId: 'Keyword',
  CascadeModule: 'Keyword',
} as const;

export const workflowIds = {
  campaign: (campaignId: string) => `campaign-${campaignId}`,
  /** one attempt at one module (name:stream) of a campaign */
  campaignModuleAttempt: (campaignId: string, node: string, attempt: number) =>
    `campaign-${campaignId}-${node.replace(':', '-')}-a${attempt}`,
  moduleBuild: (name: string, stream: string, version: string) => `module-build-${name}-${stream}-${version}`,
  compose: (composeId: string) => `compose-${composeId}`,
};
