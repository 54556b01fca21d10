// Deterministic workflow ids and the custom search attributes Cascade's workflows carry. Pure:
// workflows (children's ids), the clients (clients/) and the platform (search attributes) import it.

/** Registered at dev-server start (`--search-attribute`) and, in production, with `temporal operator search-attribute create`. */
export const CASCADE_SEARCH_ATTRIBUTES = {
  CascadeCampaignId: 'Keyword',
  CascadeModule: 'Keyword',
  CascadeCompose: 'Keyword',
} as const;

export const workflowIds = {
  campaign: (campaignId: string) => `campaign-${campaignId}`,
  /** one attempt at one module (name:stream) of a campaign */
  campaignModuleAttempt: (campaignId: string, node: string, attempt: number) =>
    `campaign-${campaignId}-${node.replace(':', '-')}-a${attempt}`,
  moduleBuild: (name: string, stream: string, version: string) => `module-build-${name}-${stream}-${version}`,
  /** one ref move of a dist-git branch, whichever path reported it */
  distGitPush: (move: { namespace: string; name: string; branch: string; newHash: string }) =>
    `dist-git-push-${move.namespace}-${move.name}-${move.branch}-${move.newHash}`,
  compose: (composeId: string) => `compose-${composeId}`,
  /** the schedule that removes expired composes, one per task queue */
  composeReaperSchedule: (taskQueue: string) => `compose-reaper-${taskQueue}`,
};
