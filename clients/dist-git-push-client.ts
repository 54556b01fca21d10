// The one place that starts DistGitPush: one workflow per ref move, its id derived from the move, so
// the same move reported twice (or by two paths: hook, webhook, message bus) starts one workflow —
// "already started" counts as success — and the store's natural key catches a report that comes
// after that workflow has finished.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { workflowIds } from '../domain/workflow-ids';
import type { RefMoveInput } from '../workflows/dist-git-push/contracts';
import type { distGitPush } from '../workflows/dist-git-push/dist-git-push';

/** Starts one workflow per move; answers their ids, in the order of the moves. */
export async function startDistGitPushes(
  client: Client,
  taskQueue: string,
  moves: readonly RefMoveInput[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const move of moves) {
    const workflowId = workflowIds.distGitPush(move);
    try {
      await client.workflow.start<typeof distGitPush>('distGitPush', { workflowId, taskQueue, args: [move] });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    ids.push(workflowId);
  }
  return ids;
}
