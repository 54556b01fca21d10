import {
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createCampaignActivities, ModuleBuildSummary } from '../../activities/campaign/campaign-activities';
import type { createCampaignWindowActivities } from '../../activities/campaign/campaign-window-activities';
import type { createCiActivities } from '../../activities/ci/ci-activities';
import { outcomeOfCi } from '../../domain/campaign';
import { splitModuleStreamKey } from '../../domain/dependencies';
import { rootCauseMessage } from '../../domain/root-cause';
import { workflowIds } from '../../domain/workflow-ids';
import { newModuleBuildProgress } from '../../domain/module-build/run-module-build';
import { moduleBuildProgressQuery, type ModuleBuildInput, type ModuleBuildOutcome } from '../module-build/contracts';
import { buildModuleHere, moduleBuild } from '../module-build/module-build';
import { campaignAttemptFinishedSignal, type AttemptReport, type ModuleAttemptInput } from './contracts';

// Short store writes and the target's look-up run as local activities: no events of their own.
const campaign = proxyLocalActivities<ReturnType<typeof createCampaignActivities>>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '30s', nonRetryableErrorTypes: ['ModuleNotBuildable'] },
});

// A windowed campaign's module rows: the same local activity options.
const progress = proxyLocalActivities<ReturnType<typeof createCampaignWindowActivities>>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

// A maintainer's build can take hours; the heartbeat tells a dead worker apart.
const adoption = proxyActivities<ReturnType<typeof createCampaignActivities>>({
  startToCloseTimeout: '7d',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s', nonRetryableErrorTypes: ['ModuleBuildNotFound'] },
});

// CI heartbeats every 2 s (activities/ci/ci-activities.ts): a run whose worker died is taken up again
// after 30 s, not after the 2 minutes this once waited (the two-worker kill test's slowest part).
const ci = proxyActivities<ReturnType<typeof createCiActivities>>({
  startToCloseTimeout: '6h',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '2s', maximumInterval: '1m' },
});

// A claimed attempt's testing (recorded, run, its outcome recorded and reported) as one activity: CI's options.
const testing = proxyActivities<ReturnType<typeof createCampaignWindowActivities>>({
  startToCloseTimeout: '6h',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '2s', maximumInterval: '1m' },
});

/**
 * Since this patch, a claimed attempt's testing is one activity (testCampaignModule) instead of a
 * local activity, the CI activity and another local activity: two fewer workflow activations and
 * markers per module (issue 15). Histories recorded before it replay the steps as they were.
 */
export const TESTING_IN_ONE_ACTIVITY = 'attempt-testing-in-one-activity';

/**
 * Since this patch, an attempt builds its module itself (workflows/module-build/module-build.ts,
 * buildModuleHere: the same steps, activities and records) instead of starting a ModuleBuild workflow
 * as its child: one workflow per module instead of two, which was most of what a campaign module cost
 * Temporal (issue 15; `npm run bench -- shapes`, attempts against attempts-inline). The build's row
 * names the attempt's workflow id, whose history holds the build's steps. Histories recorded before
 * it replay the child as it was. A claimed attempt with this patch tests in one activity, as since
 * TESTING_IN_ONE_ACTIVITY, without that patch's own marker.
 */
export const ATTEMPT_BUILDS_INLINE = 'attempt-builds-inline';

export type { AttemptMode, ModuleAttemptInput } from './contracts';

/**
 * One attempt at one module of a campaign: obtain a build (the campaign's own, or a maintainer's to
 * adopt), run CI on it, record the module's state, and report to the campaign by signal — to its
 * workflow id, so the report reaches whichever run of the campaign is current after continue-as-new.
 */
export async function campaignModuleAttempt(input: ModuleAttemptInput): Promise<AttemptReport> {
  // First, before any command: a history recorded since this patch holds its marker here. Each patch
  // costs a marker and an upsert of TemporalChangeVersion (a visibility write), so a history with this
  // one takes the later steps of the patches before it without asking for theirs.
  const inline = patched(ATTEMPT_BUILDS_INLINE);
  const { name, stream } = splitModuleStreamKey(input.node);
  const adopted = input.mode.kind === 'adopt';
  const finish = async (report: Omit<AttemptReport, 'node' | 'attempt' | 'adopted'>): Promise<AttemptReport> => {
    const full: AttemptReport = { node: input.node, attempt: input.attempt, adopted, ...report };
    if (input.claimed) {
      // One local activity writes the outcome and signals the campaign: no events of the signal's own here.
      await progress.finishCampaignModuleAttempt(input.campaignId, full);
      return full;
    }
    await campaign.updateCampaignModules(input.campaignId, [
      {
        node: input.node,
        state: report.outcome,
        attempt: input.attempt,
        nsvc: report.nsvc,
        failedStep: report.failedStep,
        failure: report.reason,
      },
    ]);
    await getExternalWorkflowHandle(workflowIds.campaign(input.campaignId))
      .signal(campaignAttemptFinishedSignal, full)
      .catch(() => undefined); // a campaign that has ended wants no report
    return full;
  };

  if (!input.claimed) {
    await campaign.updateCampaignModules(input.campaignId, [
      { node: input.node, state: input.mode.kind === 'ci' ? 'testing' : 'building', attempt: input.attempt },
    ]);
  }

  let nsvc: string;
  if (input.mode.kind === 'ci') {
    nsvc = input.mode.nsvc;
  } else {
    let built: ModuleBuildSummary;
    try {
      built =
        input.mode.kind === 'adopt'
          ? await adoption.awaitModuleBuild(input.mode.workflowId)
          : await buildHead(name, stream, input, input.mode.rebuildAt, inline);
    } catch (err) {
      if (isCancellation(err)) throw err;
      // The person wants the root cause, not "Activity task failed" or "Child Workflow execution failed".
      return finish({ outcome: 'failed', nsvc: null, failedStep: 'build', reason: rootCauseMessage(err) });
    }
    if (built.state !== 'ready' || !built.nsvc) {
      return finish({
        outcome: 'failed',
        nsvc: built.nsvc,
        failedStep: 'build',
        reason: built.reason ?? 'the build failed',
      });
    }
    nsvc = built.nsvc;
  }

  if (input.claimed && (inline || patched(TESTING_IN_ONE_ACTIVITY))) {
    return testing.testCampaignModule({
      campaignId: input.campaignId,
      node: input.node,
      attempt: input.attempt,
      adopted,
      ci: { nsvc, campaignId: input.campaignId, runKey: `${workflowInfo().workflowId}/ci` },
    });
  }
  if (input.mode.kind !== 'ci') {
    if (input.claimed)
      await progress.markCampaignModuleTesting(input.campaignId, { node: input.node, attempt: input.attempt, nsvc });
    else await campaign.updateCampaignModules(input.campaignId, [{ node: input.node, state: 'testing', nsvc }]);
  }

  const verdict = await ci.runModuleCi({
    nsvc,
    campaignId: input.campaignId,
    runKey: `${workflowInfo().workflowId}/ci`,
  });
  return finish({ nsvc, ...outcomeOfCi(verdict) });
}

/**
 * The campaign's own build of the branch head: run here (`inline`, since ATTEMPT_BUILDS_INLINE), or as a child
 * ModuleBuild, where a build of the same NSVC already running is adopted. The NSVC's version is the
 * campaign's (`rebuildAt`), so no one else builds it: a later attempt at the module finds the row its
 * predecessor left and carries on from it, as a child run under the same workflow id did.
 */
async function buildHead(
  name: string,
  stream: string,
  input: ModuleAttemptInput,
  rebuildAt: string,
  inline: boolean,
): Promise<ModuleBuildSummary> {
  const target = await campaign.resolveModuleBuildTarget({ name, stream, rebuildAt });
  const request: ModuleBuildInput = {
    name,
    stream,
    commit: target.commit,
    strategy: input.strategy,
    owner: input.owner,
    campaignId: input.campaignId,
    rebuildAt,
    concurrency: input.build.concurrency,
    componentTimeoutMs: input.build.componentTimeoutMs,
  };
  if (inline) {
    const progress = newModuleBuildProgress();
    setHandler(moduleBuildProgressQuery, () => progress);
    return buildModuleHere(request, progress);
  }
  const workflowId = workflowIds.moduleBuild(name, stream, target.version);
  try {
    const outcome: ModuleBuildOutcome = await executeChild(moduleBuild, {
      workflowId,
      args: [request],
      searchAttributes: { CascadeCampaignId: [input.campaignId], CascadeModule: [name] },
    });
    return outcome;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return adoption.awaitModuleBuild(workflowId);
    throw err;
  }
}
