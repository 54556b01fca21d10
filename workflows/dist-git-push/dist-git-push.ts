import { proxyActivities } from '@temporalio/workflow';
import type { createPushTriggerActivities } from '../../activities/campaign/push-trigger-activities';
import type { createPdcActivities } from '../../activities/pdc/pdc-activities';
import type { DistGitPushOutcome, RefMoveInput } from './contracts';

const pdc = proxyActivities<ReturnType<typeof createPdcActivities>>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: ['InvalidModulemd'] },
});
const campaigns = proxyActivities<ReturnType<typeof createPushTriggerActivities>>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/**
 * One ref move of a dist-git branch, from whichever path reported it (hook, webhook, message bus):
 * record it in branch history once, let pdc-updater read a module branch's new definition, then
 * tell campaigns: a fix for those waiting on a failed module there, or a new campaign on a
 * supported branch.
 */
export async function distGitPush(move: RefMoveInput): Promise<DistGitPushOutcome> {
  const recorded = await pdc.recordRefMove(move);
  if (!recorded.recorded) return { recorded: false, changedStreams: 0, campaigns: null };
  let changedStreams = 0;
  if (move.namespace === 'modules') {
    const report = await pdc.updateModuleFromDistGit({
      name: move.name,
      branch: move.branch,
      commit: move.newHash,
      at: move.movedAt,
    });
    changedStreams = report.changedStreams;
  }
  return { recorded: true, changedStreams, campaigns: await campaigns.campaignsForPush(move) };
}
