/**
 * activities/campaign/: what a rebuild campaign's workflows ask of the world — the plan made from
 * the dependency store and recorded with the campaign, module states written as they change, a
 * module build's target (commit and version) resolved from dist-git, a maintainer's build awaited
 * for adoption, and actions recorded once (this file); what a dist-git push means for campaigns
 * (push-trigger-activities.ts). Idempotent: every write is keyed naturally. Imported by
 * activities/index.ts; workflows import types only. Starting and addressing campaigns lives in
 * clients/campaign-client.ts.
 */
import type { PrismaClient } from '@prisma/client';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  campaignGraphOf,
  planCampaign,
  type CampaignInput,
  type CampaignModuleUpdate,
  type CampaignState,
} from '../../domain/campaign';
import { CompactDependencyGraph } from '../../domain/dependency-graph';
import { rootCauseMessage } from '../../domain/root-cause';
import {
  componentHolders,
  recordCampaignAction,
  recordCampaignPlan,
  setCampaignState,
  updateCampaignModules,
  type CampaignActionRecord,
} from '../../store/campaigns';
import { readGraphSnapshot } from '../../store/dependency-graph-rows';
import type { DistGit } from '../distgit';
import { moduleVersionAt } from '../module-build/module-build-plan';

/** The plan as the workflow carries it: per module its node, tier and the indices it waits for. */
export interface CampaignSchedulePlan {
  ok: true;
  tierCount: number;
  modules: { node: string; tier: number; dependsOn: number[] }[];
}

export type PlanOutcome = CampaignSchedulePlan | { ok: false; reason: string };

/** What a module attempt needs of a finished module build, its own or an adopted one. */
export interface ModuleBuildSummary {
  /** null when the build failed before it had one (its plan failed) */
  nsvc: string | null;
  state: 'ready' | 'failed';
  reason: string | null;
}

const HEARTBEAT_MS = 5_000;

export function createCampaignActivities(deps: { prisma: PrismaClient; distGit: DistGit }) {
  const { prisma, distGit } = deps;
  return {
    /** Plans the campaign from the dependency store as it is now and records it with its modules. */
    async planAndRecordCampaign(input: CampaignInput): Promise<PlanOutcome> {
      const { request } = input;
      // One statement for the whole graph, as the metadata service reads it: at 60,000 streams a
      // fraction of reading the relationships row by row (and the dry run plans on the same graph).
      const snapshot = await readGraphSnapshot(prisma);
      const graph = new CompactDependencyGraph();
      graph.loadColumns(snapshot.streams, snapshot.edges);
      const holders = await componentHolders(prisma, request.components);
      const planned = planCampaign(
        {
          components: request.components,
          modules: request.modules,
          branch: request.branch,
          relation: request.relation,
        },
        campaignGraphOf(graph, holders),
      );
      if (!planned.ok) {
        await recordCampaignPlan(prisma, input, { failure: planned.error.message });
        return { ok: false, reason: planned.error.message };
      }
      const { plan } = planned;
      await recordCampaignPlan(prisma, input, { modules: plan.modules, tierCount: plan.tiers.length });
      const position = new Map(plan.modules.map((m, i) => [m.node, i]));
      return {
        ok: true,
        tierCount: plan.tiers.length,
        modules: plan.modules.map((m) => ({
          node: m.node,
          tier: m.tier,
          dependsOn: m.dependsOn.map((d) => position.get(d)!),
        })),
      };
    },

    async setCampaignState(campaignId: string, state: CampaignState, reason: string | null): Promise<void> {
      await setCampaignState(prisma, campaignId, state, reason);
    },

    async updateCampaignModules(campaignId: string, updates: CampaignModuleUpdate[]): Promise<void> {
      await updateCampaignModules(prisma, campaignId, updates);
    },

    async recordCampaignAction(action: CampaignActionRecord): Promise<void> {
      await recordCampaignAction(prisma, action);
    },

    /** The commit a campaign builds (the branch head) and the version that build gets. */
    async resolveModuleBuildTarget(input: {
      name: string;
      stream: string;
      /** a campaign's trigger time (a new NSVC for an unchanged module); null builds the commit's own version */
      rebuildAt: string | null;
    }): Promise<{ commit: string; version: string }> {
      try {
        return await moduleVersionAt(distGit, input.name, input.stream, undefined, input.rebuildAt);
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        throw ApplicationFailure.nonRetryable(
          `${input.name}:${input.stream}: ${(err as Error).message}`,
          'ModuleNotBuildable',
        );
      }
    },

    /** Waits for a module build someone else started (a maintainer's fix), heartbeating. */
    async awaitModuleBuild(workflowId: string): Promise<ModuleBuildSummary> {
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
      try {
        const handle = ctx.client.workflow.getHandle(workflowId);
        const outcome = (await Promise.race([handle.result(), ctx.cancelled])) as ModuleBuildSummary;
        return { nsvc: outcome.nsvc, state: outcome.state, reason: outcome.reason };
      } catch (err) {
        if (err instanceof WorkflowFailedError) return { nsvc: null, state: 'failed', reason: rootCauseMessage(err) };
        if (err instanceof WorkflowNotFoundError) {
          throw ApplicationFailure.nonRetryable(`no module build ${workflowId}`, 'ModuleBuildNotFound');
        }
        throw err;
      } finally {
        clearInterval(beat);
      }
    },
  };
}
