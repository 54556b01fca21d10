// Campaigns as people read them: per tier, each module's state and why it is rebuilt, progress
// counts, the failures that block others with the people who may act on them, and the actions log.
import type { PrismaClient } from '@prisma/client';
import { countStates, type CampaignModuleState } from '../domain/campaign';

type ModuleRow = Awaited<ReturnType<typeof tierPage>>[number];

export interface CampaignPage {
  /** only this tier's modules */
  tier?: number;
  /** modules per tier */
  limit: number;
  /** the last module (name:stream) of the tier's previous page */
  after?: string;
}

/** One page of a tier's modules, by name and stream. */
function tierPage(prisma: PrismaClient, campaignId: string, tier: number, page: CampaignPage) {
  const after = page.after?.split(':');
  return prisma.campaignModule.findMany({
    where: {
      campaignId,
      tier,
      ...(after
        ? { OR: [{ name: { gt: after[0] } }, { name: after[0], stream: { gt: after.slice(1).join(':') } }] }
        : {}),
    },
    orderBy: [{ name: 'asc' }, { stream: 'asc' }],
    take: page.limit + 1,
  });
}

const node = (r: { name: string; stream: string }) => `${r.name}:${r.stream}`;

function moduleView(r: ModuleRow) {
  return {
    module: node(r),
    name: r.name,
    stream: r.stream,
    tier: r.tier,
    changed: r.changed,
    cycle: r.cycle,
    path: r.path as string[],
    /** the modules of this campaign it waits for (the tier graph's edges) */
    dependsOn: r.dependsOn as string[],
    reason: r.reason,
    state: r.state as CampaignModuleState,
    attempt: r.attempt,
    nsvc: r.nsvc,
    failedStep: r.failedStep,
    failure: r.failure,
  };
}

const BLOCKING_LISTED = 100;

/**
 * The failed modules (the first 100) with how many blocked modules wait on each, walking up the
 * dependents through blocked modules only: the cost follows the blocked part, not the campaign.
 */
async function blockingFailuresOf(prisma: PrismaClient, campaignId: string) {
  const failed = await prisma.campaignModule.findMany({
    where: { campaignId, state: 'failed' },
    orderBy: [{ tier: 'asc' }, { name: 'asc' }, { stream: 'asc' }],
    take: BLOCKING_LISTED,
  });
  if (failed.length === 0) return { failed, blocks: new Map<string, number>(), blockedBy: new Map<string, string[]>() };
  const blockedRows = await prisma.campaignModule.findMany({
    where: { campaignId, state: 'blocked' },
    select: { name: true, stream: true, dependents: true },
  });
  const blockedDependents = new Map(blockedRows.map((r) => [node(r), r.dependents as string[]]));
  const dependentsOfFailed = await prisma.campaignModule.findMany({
    where: { campaignId, OR: failed.map((r) => ({ name: r.name, stream: r.stream })) },
    select: { name: true, stream: true, dependents: true },
  });
  const blocks = new Map<string, number>();
  const blockedBy = new Map<string, string[]>();
  for (const f of dependentsOfFailed) {
    const seen = new Set<string>();
    const queue = [...(f.dependents as string[])];
    while (queue.length > 0) {
      const n = queue.pop()!;
      if (seen.has(n) || !blockedDependents.has(n)) continue;
      seen.add(n);
      blockedBy.set(n, [...(blockedBy.get(n) ?? []), node(f)]);
      queue.push(...blockedDependents.get(n)!);
    }
    blocks.set(node(f), seen.size);
  }
  return { failed, blocks, blockedBy };
}

/** The campaign's counts per state, overall and per tier: one grouped read. */
export async function countsOf(prisma: PrismaClient, campaignId: string) {
  const grouped = await prisma.campaignModule.groupBy({
    by: ['tier', 'state'],
    where: { campaignId },
    _count: { _all: true },
  });
  const counts = countStates([]);
  const tiers = new Map<number, Partial<Record<CampaignModuleState, number>>>();
  for (const g of grouped) {
    const state = g.state as CampaignModuleState;
    counts[state] += g._count._all;
    const t = tiers.get(g.tier) ?? {};
    t[state] = (t[state] ?? 0) + g._count._all;
    tiers.set(g.tier, t);
  }
  return { counts, tiers };
}

/** A campaign as people read it: counts first, each tier's counts and one page of its modules. */
export async function readCampaign(prisma: PrismaClient, id: string, page: CampaignPage = { limit: 500 }) {
  const row = await prisma.campaign.findUnique({ where: { id } });
  if (!row) return undefined;
  const [{ counts, tiers: tierCounts }, actions, blocking] = await Promise.all([
    countsOf(prisma, id),
    prisma.campaignAction.findMany({ where: { campaignId: id }, orderBy: { at: 'asc' }, take: 500 }),
    blockingFailuresOf(prisma, id),
  ]);
  const wanted = [...tierCounts.keys()].sort((a, b) => a - b).filter((t) => page.tier === undefined || t === page.tier);
  const tiers = [];
  for (const tier of wanted) {
    const rows = await tierPage(prisma, id, tier, page);
    const shown = rows.slice(0, page.limit);
    const perState = tierCounts.get(tier) ?? {};
    tiers.push({
      tier,
      count: Object.values(perState).reduce((a, b) => a + (b ?? 0), 0),
      counts: perState,
      modules: shown.map(moduleView),
      nextCursor: rows.length > page.limit ? node(shown.at(-1)!) : null,
    });
  }
  const { failed } = blocking;
  const maintainers = await prisma.maintainership.findMany({
    where: { namespace: 'modules', name: { in: [...new Set(failed.map((r) => r.name))] } },
    include: { user: { select: { name: true } } },
  });
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    counts,
    tiers,
    blocking: failed.map((r) => ({
      module: node(r),
      failedStep: r.failedStep,
      failure: r.failure,
      nsvc: r.nsvc,
      blocks: blocking.blocks.get(node(r)) ?? 0,
      // the module's maintainers, and release engineers (who may act on anything)
      canAct: [...maintainers.filter((m) => m.name === r.name).map((m) => m.user.name), 'role:release-engineer'],
    })),
    actions: actions.map((a) => ({
      at: a.at.toISOString(),
      action: a.action,
      module: a.module,
      actor: a.actor,
      reason: a.reason,
    })),
  };
}

/** Newest first; the cursor is the last id of the previous page. */
export async function listCampaigns(prisma: PrismaClient, query: { state?: string; limit: number; cursor?: string }) {
  const rows = await prisma.campaign.findMany({
    where: { state: query.state },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, query.limit);
  const grouped = await prisma.campaignModule.groupBy({
    by: ['campaignId', 'state'],
    where: { campaignId: { in: page.map((r) => r.id) } },
    _count: { _all: true },
  });
  return {
    items: page.map((r) => ({
      id: r.id,
      workflowId: r.workflowId,
      state: r.state,
      stateReason: r.stateReason,
      branch: r.branch,
      trigger: r.trigger,
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      tierCount: r.tierCount,
      counts: Object.fromEntries(
        grouped.filter((g) => g.campaignId === r.id).map((g) => [g.state, g._count._all]),
      ) as Partial<Record<CampaignModuleState, number>>,
    })),
    nextCursor: rows.length > query.limit ? page.at(-1)!.id : null,
  };
}
