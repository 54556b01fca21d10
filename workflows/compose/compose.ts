import {
  CancellationScope,
  executeChild,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createCampaignActivities } from '../../activities/campaign/campaign-activities';
import type { createCiActivities } from '../../activities/ci/ci-activities';
import type { createComposeActivities } from '../../activities/compose/compose-activities';
import {
  runCompose,
  type ComposePhaseName,
  type ComposeRunOutcome,
  type RequestedModule,
} from '../../domain/compose/run-compose';
import { workflowIds } from '../../domain/workflow-ids';
import { rootCauseMessage } from '../../domain/root-cause';
import { moduleBuild } from '../module-build/module-build';
import type { ComposeInput } from './contracts';

type ComposeActivities = ReturnType<typeof createComposeActivities>;

// Phases run tools for minutes (createrepo_c, dnf, xorriso): they heartbeat, so a dead worker is
// told apart in seconds and another takes the phase over; every phase is idempotent.
const phases = proxyActivities<ComposeActivities>({
  startToCloseTimeout: '2h',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '2s', maximumInterval: '1m', nonRetryableErrorTypes: ['ComposeInputInvalid'] },
});

// Short store writes: local activities, no events of their own.
const records = proxyLocalActivities<ComposeActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

const targets = proxyLocalActivities<ReturnType<typeof createCampaignActivities>>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '30s', nonRetryableErrorTypes: ['ModuleNotBuildable'] },
});

const adoption = proxyActivities<ReturnType<typeof createCampaignActivities>>({
  startToCloseTimeout: '7d',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s', nonRetryableErrorTypes: ['ModuleBuildNotFound'] },
});

const ci = proxyActivities<ReturnType<typeof createCiActivities>>({
  startToCloseTimeout: '6h',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '2s', maximumInterval: '1m' },
});

/**
 * Compose (`compose-<compose id>`): Pungi's phases over the compose's variants, as the shared
 * orchestration in domain/compose/run-compose.ts lays them out. A stream with no ready build that
 * passed CI is built as a moduleBuild child and tested; a cancelled compose cancels its running
 * builds and ends TERMINATED, never published.
 */
export async function compose(input: ComposeInput): Promise<ComposeRunOutcome> {
  const { composeId } = input;
  // Once the metadata says FINISHED the compose is never changed again: a publish that fails after it
  // leaves it finished and unpublished, with the reason, rather than doomed.
  let finalStatus: ComposeRunOutcome['status'] | null = null;
  // The phase under way, so a cancel does not leave it 'running' for ever.
  let running: ComposePhaseName | null = null;
  try {
    const outcome = await runCompose({
      phase: async (phase, state, detail) => {
        if (state === 'running') running = phase;
        await records.recordComposePhase({ composeId, phase, state, detail });
        if (state !== 'running') running = null;
      },
      variantState: (uid, state, reason) => records.recordComposeVariantState({ composeId, uid, state, reason }),
      init: () => phases.composeInit({ composeId }),
      pkgset: (variant) => phases.composePkgset({ composeId, variant }),
      unbuiltBuildrequires: (module) => records.composeUnbuiltBuildrequires(module),
      buildModule: (module) => buildAndTest(module, input),
      gather: (variant, builds) => phases.composeGather({ composeId, variant, builds }),
      createrepo: (variant) => phases.composeCreaterepo({ composeId, variant }),
      image: (variant) => phases.composeImage({ composeId, variant }),
      imageChecksum: (variants) => phases.composeImageChecksum({ composeId, variants: variants.map((v) => v.uid) }),
      test: (variant) => phases.composeTest({ composeId, variant }),
      metadata: async (status, shipped) => {
        await phases.composeMetadata({ composeId, status, shipped: shipped.map((v) => v.uid) });
        await records.setComposeStatus({ composeId, status, reason: null });
        finalStatus = status;
      },
      note: (shipped) => phases.composeNote({ composeId, shipped }),
      publish: () => phases.composePublish({ composeId }),
    });
    await records.setComposeStatus({ composeId, status: outcome.status, reason: outcome.reason });
    return outcome;
  } catch (err) {
    if (isCancellation(err)) {
      // Running builds were cancelled with this scope; what is left is to say so, whatever happens.
      const cancelledPhase = running;
      await CancellationScope.nonCancellable(async () => {
        if (cancelledPhase)
          await records.recordComposePhase({
            composeId,
            phase: cancelledPhase,
            state: 'failed',
            detail: { reason: 'cancelled' },
          });
        await records.setComposeStatus({ composeId, status: 'TERMINATED', reason: 'cancelled by a release engineer' });
      });
      throw err;
    }
    const reason = rootCauseMessage(err);
    if (finalStatus) {
      await records.setComposeStatus({ composeId, status: finalStatus, reason: `not published: ${reason}` });
      return { composeId, status: finalStatus, reason: `not published: ${reason}`, variants: [] };
    }
    await records.setComposeStatus({ composeId, status: 'DOOMED', reason });
    return { composeId, status: 'DOOMED', reason, variants: [] };
  }
}

/** A stream the compose needs and nobody built: build its branch head as a child, then run its CI. */
async function buildAndTest(
  module: RequestedModule,
  input: ComposeInput,
): Promise<{ nsvc: string } | { failed: string }> {
  try {
    const target = await targets.resolveModuleBuildTarget({
      name: module.name,
      stream: module.stream,
      rebuildAt: null,
    });
    const workflowId = workflowIds.moduleBuild(module.name, module.stream, target.version);
    let built: { nsvc: string | null; state: string; reason: string | null };
    try {
      built = await executeChild(moduleBuild, {
        workflowId,
        args: [
          {
            name: module.name,
            stream: module.stream,
            commit: target.commit,
            strategy: input.build.strategy,
            owner: input.owner,
            campaignId: null,
            rebuildAt: null,
            concurrency: input.build.concurrency,
            componentTimeoutMs: input.build.componentTimeoutMs,
          },
        ],
        searchAttributes: { CascadeModule: [module.name] },
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      built = await adoption.awaitModuleBuild(workflowId);
    }
    if (built.state !== 'ready' || !built.nsvc) return { failed: built.reason ?? 'the build failed' };
    const verdict = await ci.runModuleCi({
      nsvc: built.nsvc,
      campaignId: null,
      runKey: `${workflowInfo().workflowId}/ci/${built.nsvc}`,
    });
    if (verdict.outcome !== 'PASSED') return { failed: `CI failed: ${verdict.summary}` };
    return { nsvc: built.nsvc };
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { failed: rootCauseMessage(err) };
  }
}
