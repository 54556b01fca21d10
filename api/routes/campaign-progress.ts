// GET /campaigns/:id/progress and the dry run's answer, at any campaign size: counts first (the
// whole campaign's, every tier's), then a page of modules per tier. A windowed campaign's modules
// come from the store (its workflow holds only its window); a campaign of the first kind holds every
// module in its workflow, paged here the same way.
import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import { campaignProgress } from '../../clients/campaign-client';
import { pageByTier, type CampaignPlan, type TierPageRequest } from '../../domain/campaign';
import { campaignProgressPage } from '../../store/campaign-progress-view';
import { notFound } from '../errors';
import type { CampaignProgressAnswerBody, DryRunAnswer } from './campaigns.schemas';

export async function progressAnswer(
  deps: { prisma: PrismaClient; temporal: Client },
  id: string,
  page: TierPageRequest,
): Promise<CampaignProgressAnswerBody> {
  const progress = await campaignProgress(deps.temporal, id);
  if (!progress) throw notFound('running campaign', id);
  const { modules: held, ...live } = progress;
  if (progress.windowOnly) {
    const stored = await campaignProgressPage(deps.prisma, id, page);
    return { ...live, ...stored, window: held };
  }
  const tiers = pageByTier(held, (m) => m, page, progress.tierCount);
  return {
    ...live,
    tiers: tiers.map(({ tier, count, nextCursor }) => {
      const counts: Record<string, number> = {};
      for (const m of held) if (m.tier === tier) counts[m.state] = (counts[m.state] ?? 0) + 1;
      return { tier, count, counts, ...(nextCursor === undefined ? {} : { nextCursor }) };
    }),
    modules: tiers.flatMap((t) => t.modules),
  };
}

export function dryRunAnswer(plan: CampaignPlan, page: TierPageRequest): DryRunAnswer {
  const tiers = pageByTier(plan.modules, (m) => m, page, plan.tiers.length);
  return {
    dryRun: true,
    total: plan.modules.length,
    tiers: tiers.map((t) => ({
      tier: t.tier,
      count: t.count,
      truncated: t.modules.length < t.count,
      ...(t.nextCursor === undefined ? {} : { nextCursor: t.nextCursor }),
      modules: t.modules.map((m) => ({
        module: m.node,
        changed: m.changed,
        cycle: m.cycle,
        reason: m.reason,
        path: m.path,
        dependsOn: m.dependsOn,
      })),
    })),
    cycles: plan.cycles,
  };
}
