// A workflow bundle for tests of a campaign's own scale: Cascade's workflows as they are, except the
// module attempt, which passes at once — it writes its outcome and signals the campaign through the
// same local activity the real attempt ends with, but builds and tests nothing. What is left is the
// campaign itself (its launches, the store's progress, reports, continue-as-new) on real Temporal.
// Deterministic like workflows/. The real attempt is covered by test/workflows/rebuild-campaign*.
import { proxyLocalActivities } from '@temporalio/workflow';
import type { createCampaignWindowActivities } from '../../activities/campaign/campaign-window-activities';
import type { ModuleAttemptInput } from '../../workflows/campaign/campaign-module-attempt';
import type { AttemptReport } from '../../workflows/campaign/contracts';

export * from '../../workflows';

const progress = proxyLocalActivities<ReturnType<typeof createCampaignWindowActivities>>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** Replaces the real attempt (an explicit export wins over the `export *` above). */
export async function campaignModuleAttempt(input: ModuleAttemptInput): Promise<AttemptReport> {
  const report: AttemptReport = {
    node: input.node,
    attempt: input.attempt,
    outcome: 'passed',
    nsvc: `${input.node.replace(':', '-')}-instant`,
    failedStep: null,
    reason: null,
    adopted: false,
  };
  await progress.finishCampaignModuleAttempt(input.campaignId, report);
  return report;
}
