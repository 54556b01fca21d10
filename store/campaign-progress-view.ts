// The live progress of a windowed campaign as GET /campaigns/:id/progress answers it, at any size:
// counts first (overall and per tier, one grouped read), then one page of modules per tier (or of one
// tier), each blocked module on the page with the failed modules below it. Every read follows the
// page and the blocked part beneath it, never the whole campaign.
import type { PrismaClient } from '@prisma/client';
import type { CampaignModuleState, CampaignProgressModule } from '../domain/campaign';
import { splitModuleStreamKey } from '../domain/dependencies';
import { countsOf } from './campaign-views';

export interface ProgressPage {
  /** only this tier's modules */
  tier?: number;
  /** modules per tier */
  limit: number;
  /** the last module (name:stream) of the tier's previous page */
  after?: string;
}

export type ProgressModule = CampaignProgressModule;

/** Rows per statement, far below PostgreSQL's bind parameter limit. */
const CHUNK = 1_000;
const node = (r: { name: string; stream: string }) => `${r.name}:${r.stream}`;

function tierRows(prisma: PrismaClient, campaignId: string, tier: number, page: ProgressPage) {
  const after = page.after ? splitModuleStreamKey(page.after) : undefined;
  return prisma.campaignModule.findMany({
    where: {
      campaignId,
      tier,
      ...(after ? { OR: [{ name: { gt: after.name } }, { name: after.name, stream: { gt: after.stream } }] } : {}),
    },
    orderBy: [{ name: 'asc' }, { stream: 'asc' }],
    take: page.limit + 1,
    select: {
      name: true,
      stream: true,
      tier: true,
      state: true,
      attempt: true,
      nsvc: true,
      failedStep: true,
      failure: true,
      dependsOn: true,
    },
  });
}

type Row = Awaited<ReturnType<typeof tierRows>>[number];
type Below = { state: string; dependsOn: string[] };

/** Counts first, every tier's; then a page of modules of each tier asked for. */
export async function campaignProgressPage(prisma: PrismaClient, campaignId: string, page: ProgressPage) {
  const { counts, tiers: perTier } = await countsOf(prisma, campaignId);
  const tiers = [...perTier.keys()].sort((a, b) => a - b);
  const shown = tiers.filter((t) => page.tier === undefined || t === page.tier);
  const pages = await Promise.all(shown.map((t) => tierRows(prisma, campaignId, t, page)));
  const cursors = new Map<number, string | null>();
  const rows: Row[] = [];
  shown.forEach((t, i) => {
    const tierPage = pages[i]!;
    const kept = tierPage.slice(0, page.limit);
    rows.push(...kept);
    cursors.set(t, tierPage.length > page.limit ? node(kept.at(-1)!) : null);
  });
  const blockedBy = await failuresBelow(
    prisma,
    campaignId,
    rows.filter((r) => r.state === 'blocked'),
  );
  return {
    counts,
    tiers: tiers.map((tier) => {
      const tierCounts = perTier.get(tier) ?? {};
      return {
        tier,
        count: Object.values(tierCounts).reduce((a, b) => a + (b ?? 0), 0),
        counts: tierCounts,
        ...(cursors.has(tier) ? { nextCursor: cursors.get(tier)! } : {}),
      };
    }),
    modules: rows.map((r): ProgressModule => ({
      node: node(r),
      tier: r.tier,
      state: r.state as CampaignModuleState,
      attempt: r.attempt,
      nsvc: r.nsvc,
      failedStep: r.failedStep as 'build' | 'ci' | null,
      reason: r.failure,
      ...(r.state === 'blocked' ? { blockedBy: blockedBy.get(node(r)) ?? [] } : {}),
    })),
  };
}

/**
 * For each blocked module, the failed modules it waits on through blocked ones only: a walk down
 * the page's blocked modules' dependencies, reading each layer in one statement per chunk.
 */
async function failuresBelow(
  prisma: PrismaClient,
  campaignId: string,
  blocked: readonly Row[],
): Promise<Map<string, string[]>> {
  const answer = new Map<string, string[]>();
  if (blocked.length === 0) return answer;
  const known = new Map<string, Below>(blocked.map((r) => [node(r), { state: r.state, dependsOn: deps(r) }]));
  let layer = [...new Set(blocked.flatMap(deps))].filter((n) => !known.has(n));
  while (layer.length > 0) {
    const next = new Set<string>();
    for (let i = 0; i < layer.length; i += CHUNK) {
      const read = await prisma.campaignModule.findMany({
        where: { campaignId, OR: layer.slice(i, i + CHUNK).map((n) => splitModuleStreamKey(n)) },
        select: { name: true, stream: true, state: true, dependsOn: true },
      });
      for (const r of read) {
        known.set(node(r), { state: r.state, dependsOn: deps(r) });
        if (r.state === 'blocked') for (const d of deps(r)) if (!known.has(d)) next.add(d);
      }
    }
    layer = [...next];
  }
  for (const r of blocked) {
    const failed = new Set<string>();
    const seen = new Set<string>();
    const stack = [...deps(r)];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      const below = known.get(n);
      if (below?.state === 'failed') failed.add(n);
      else if (below?.state === 'blocked') stack.push(...below.dependsOn);
    }
    answer.set(node(r), [...failed].sort());
  }
  return answer;
}

function deps(r: { dependsOn: unknown }): string[] {
  return r.dependsOn as string[];
}
