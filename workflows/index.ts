// workflows/: Temporal workflows only — orchestration, signals, queries, timers. No I/O, no clock,
// no randomness, no activity implementations (types only, through proxyActivities). Lint enforces it.
// One folder per workflow family: its workflows and its contracts.ts (the signals, updates and
// queries it takes and answers, and the types of its messages). Callers import a family's
// contracts and start it through its client (clients/); only the workers' bundle imports this file.
export { rebuildCampaign } from './campaign/rebuild-campaign';
export { windowedRebuildCampaign } from './campaign/windowed-rebuild-campaign';
export { campaignModuleAttempt } from './campaign/campaign-module-attempt';
export { distGitPush } from './dist-git-push/dist-git-push';
export { moduleBuild } from './module-build/module-build';
export { compose } from './compose/compose';
export { composeReaper } from './compose/compose-reaper';
