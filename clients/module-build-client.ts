// The one place that starts ModuleBuild from outside a workflow (a campaign's attempt runs it as a
// child, workflows/campaign/campaign-module-attempt.ts): the version a commit gets, which names the
// workflow id, and a typed start where "already started" (the same NSVC) counts as success.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { DistGit } from '../activities/distgit';
import { moduleVersionAt } from '../activities/module-build/module-build-plan';
import { workflowIds } from '../domain/workflow-ids';
import type { ModuleBuildInput } from '../workflows/module-build/contracts';
import type { moduleBuild } from '../workflows/module-build/module-build';

/** The commit built (the branch head when none is named) and the version its build gets. */
export function moduleBuildTarget(
  distGit: DistGit,
  name: string,
  stream: string,
  commit?: string,
): Promise<{ commit: string; version: string }> {
  return moduleVersionAt(distGit, name, stream, commit);
}

/** Starts the build of this version (resolved by moduleBuildTarget); answers its workflow id. */
export async function startModuleBuild(
  client: Client,
  taskQueue: string,
  input: ModuleBuildInput & { commit: string },
  version: string,
): Promise<{ workflowId: string; existing: boolean }> {
  const workflowId = workflowIds.moduleBuild(input.name, input.stream, version);
  try {
    await client.workflow.start<typeof moduleBuild>('moduleBuild', {
      workflowId,
      taskQueue,
      args: [input],
      searchAttributes: { CascadeModule: [input.name] },
    });
    return { workflowId, existing: false };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, existing: true };
    throw err;
  }
}
