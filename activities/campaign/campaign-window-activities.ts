// What a windowed campaign (workflows/campaign/windowed-rebuild-campaign.ts) and its module attempts
// ask of the store: the plan recorded with its counters, launches that mark modules started and start
// their attempts, attempts' outcomes, skips, cancels. Keyed like store/campaign-progress.ts, so each
// is idempotent. Imported by activities/index.ts; workflows import types only.
import type { PrismaClient } from '@prisma/client';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import {
  outcomeOfCi,
  type CampaignAttemptMode,
  type CampaignInput,
  type CampaignModuleState,
  type RebuildStrategy,
} from '../../domain/campaign';
import type { CampaignActionRecord } from '../../store/campaigns';
import {
  campaignModuleState,
  cancelCampaignModules,
  finishCampaignModuleAttempt,
  launchCampaignModules,
  markCampaignModuleTesting,
  skipCampaignModule,
  type AttemptFinish,
  type LaunchedModule,
} from '../../store/campaign-progress';
import type { AttemptReport, ModuleAttemptInput } from '../../workflows/campaign/contracts';
import type { createCiActivities } from '../ci/ci-activities';
import { heartbeatWhile } from '../module-build/step-heartbeats';
import type { CiRequest } from '../ci/module-ci';
import type { createCampaignActivities } from './campaign-activities';

export interface CampaignLaunch {
  campaignId: string;
  key: number;
  relaunches: { node: string; attempt: number; mode: CampaignAttemptMode }[];
  claim: number;
  /** what every attempt of this campaign is started with */
  attempts: {
    taskQueue: string;
    triggeredAt: string;
    strategy: RebuildStrategy;
    build: { concurrency: number; componentTimeoutMs: number };
    owner: string;
  };
}

/** How attempts are started and reports sent: clients/campaign-client.ts's, given by activities/index.ts. */
export interface CampaignAttemptClient {
  startModuleAttempts(client: Client, taskQueue: string, attempts: readonly ModuleAttemptInput[]): Promise<void>;
  reportAttemptToCampaign(client: Client, campaignId: string, report: AttemptReport): Promise<void>;
}

/** A claimed attempt's CI run, as testCampaignModule takes it. */
export interface CampaignModuleTest {
  campaignId: string;
  node: string;
  attempt: number;
  adopted: boolean;
  ci: CiRequest;
}

export function createCampaignWindowActivities(deps: {
  prisma: PrismaClient;
  campaign: ReturnType<typeof createCampaignActivities>;
  attempts: CampaignAttemptClient;
  ci: ReturnType<typeof createCiActivities>;
}) {
  const { prisma } = deps;
  const activities = {
    /** Plans and records the campaign; answers only its size (the plan stays in the store). */
    async planCampaignWindow(
      input: CampaignInput,
    ): Promise<{ ok: true; total: number; tierCount: number } | { ok: false; reason: string }> {
      const plan = await deps.campaign.planAndRecordCampaign(input);
      if (!plan.ok) return plan;
      return { ok: true, total: plan.modules.length, tierCount: plan.tierCount };
    },

    /** Marks the launch's modules started and starts their attempts; a retried launch starts the same ones. */
    async launchCampaignModules(launch: CampaignLaunch): Promise<LaunchedModule[]> {
      const modes = new Map(launch.relaunches.map((r) => [r.node, r.mode]));
      const launched = await launchCampaignModules(prisma, {
        campaignId: launch.campaignId,
        key: launch.key,
        relaunches: launch.relaunches.map((r) => ({
          node: r.node,
          attempt: r.attempt,
          state: r.mode.kind === 'ci' ? 'testing' : 'building',
        })),
        claim: launch.claim,
      });
      const { attempts } = launch;
      await deps.attempts.startModuleAttempts(
        Context.current().client,
        attempts.taskQueue,
        launched.map((m) => ({
          campaignId: launch.campaignId,
          node: m.node,
          attempt: m.attempt,
          mode: modes.get(m.node) ?? { kind: 'build', rebuildAt: attempts.triggeredAt },
          strategy: attempts.strategy,
          build: attempts.build,
          owner: attempts.owner,
          claimed: true,
        })),
      );
      return launched;
    },

    /** Records an attempt's outcome, then tells the campaign (a campaign that has ended wants no report). */
    async finishCampaignModuleAttempt(campaignId: string, report: AttemptReport): Promise<void> {
      const finish: AttemptFinish = {
        node: report.node,
        attempt: report.attempt,
        state: report.outcome,
        nsvc: report.nsvc,
        failedStep: report.failedStep,
        failure: report.reason,
      };
      await finishCampaignModuleAttempt(prisma, campaignId, finish);
      await deps.attempts.reportAttemptToCampaign(Context.current().client, campaignId, report);
    },

    /**
     * A claimed attempt's testing as one activity (the attempt workflow's since the patch
     * 'attempt-testing-in-one-activity'): the module recorded testing, its CI run, and the outcome
     * recorded and reported to the campaign. Each part is keyed, so a retry repeats nothing: the CI run
     * answers its stored verdict, the outcome is written once, the campaign ignores a second report.
     */
    async testCampaignModule(test: CampaignModuleTest): Promise<AttemptReport> {
      const { campaignId, node, attempt } = test;
      await markCampaignModuleTesting(prisma, campaignId, { node, attempt, nsvc: test.ci.nsvc });
      const verdict = await deps.ci.runModuleCi(test.ci);
      const report: AttemptReport = {
        node,
        attempt,
        adopted: test.adopted,
        nsvc: test.ci.nsvc,
        ...outcomeOfCi(verdict),
      };
      // releasing the dependents of a module low in a large campaign can take a while: heartbeat meanwhile
      await heartbeatWhile(() => activities.finishCampaignModuleAttempt(campaignId, report));
      return report;
    },

    async markCampaignModuleTesting(
      campaignId: string,
      update: { node: string; attempt: number; nsvc: string },
    ): Promise<void> {
      await markCampaignModuleTesting(prisma, campaignId, update);
    },

    async skipCampaignModule(
      campaignId: string,
      skip: { node: string; reason: string | null; action: CampaignActionRecord },
    ): Promise<{ applied: boolean; state: CampaignModuleState | null }> {
      return skipCampaignModule(prisma, campaignId, skip);
    },

    async campaignModuleState(campaignId: string, node: string): Promise<CampaignModuleState | null> {
      return campaignModuleState(prisma, campaignId, node);
    },

    async cancelCampaignModules(campaignId: string, failure: string): Promise<void> {
      await cancelCampaignModules(prisma, campaignId, failure);
    },
  };
  return activities;
}
