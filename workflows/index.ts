// workflows/: Temporal workflows only — orchestration, signals, queries, timers. No I/O, no clock,
// no randomness, no activity implementations (types only, through proxyActivities). Lint enforces it.
export { rebuildCampaign, campaignAction, campaignAttemptFinished, campaignProgress } from './rebuild-campaign';
export { campaignModuleAttempt } from './campaign-module-attempt';
export { distGitPush } from './dist-git-push';
export { moduleBuild, moduleBuildProgressQuery } from './module-build';
