import { proxyActivities } from '@temporalio/workflow';
import type { createPdcActivities, RefMoveInput } from '../activities/pdc/pdc-activities';

const pdc = proxyActivities<ReturnType<typeof createPdcActivities>>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: ['InvalidModulemd'] },
});

/**
 * One ref move of a dist-git branch, from whichever path reported it (hook, webhook, message bus):
 * record it in branch history once, then let pdc-updater read a module branch's new definition.
 * Later: trigger rebuild campaigns from here.
 */
export async function distGitPush(move: RefMoveInput): Promise<{ recorded: boolean; changedStreams: number }> {
  const recorded = await pdc.recordRefMove(move);
  if (!recorded.recorded || move.namespace !== 'modules') return { recorded: recorded.recorded, changedStreams: 0 };
  const report = await pdc.updateModuleFromDistGit({
    name: move.name,
    branch: move.branch,
    commit: move.newHash,
    at: move.movedAt,
  });
  return { recorded: true, changedStreams: report.changedStreams };
}
