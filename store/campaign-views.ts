// Campaigns as people read them: per tier, each module's state and why it is rebuilt, progress
// counts, the failures that block others with the people who may act on them, and the actions log.
import type { PrismaClient } from '@prisma/client';
import { blockingFailures, countStates, type CampaignModuleState, type ScheduledModule } from '../domain/campaign';

type ModuleRow = Awaited<ReturnType<typeof campaignModules>>[number];

function campaignModules(prisma: PrismaClient, campaignId: string) {
  return prisma.campaignModule.findMany({
    where: { campaignId },
    orderBy: [{ tier: 'asc' }, { name: 'asc' }, { stream: 'asc' }],
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

export async function readCampaign(prisma: PrismaClient, id: string) {
  const row = await prisma.campaign.findUnique({ where: { id } });
  if (!row) return undefined;
  const [rows, actions] = await Promise.all([
    campaignModules(prisma, id),
    prisma.campaignAction.findMany({ where: { campaignId: id }, orderBy: { at: 'asc' }, take: 500 }),
  ]);
  const position = new Map(rows.map((r, i) => [node(r), i]));
  const scheduled: ScheduledModule[] = rows.map((r) => ({
    node: node(r),
    tier: r.tier,
    dependsOn: (r.dependsOn as string[]).flatMap((d) => (position.has(d) ? [position.get(d)!] : [])),
    state: r.state as CampaignModuleState,
    attempt: r.attempt,
    nsvc: r.nsvc,
    failedStep: r.failedStep as ScheduledModule['failedStep'],
    reason: r.failure,
  }));
  const blocks = new Map<number, number>();
  scheduled.forEach((m, i) => {
    if (m.state !== 'blocked') return;
    for (const f of blockingFailures(scheduled, i)) blocks.set(f, (blocks.get(f) ?? 0) + 1);
  });
  const failed = rows.filter((r) => r.state === 'failed');
  const maintainers = await prisma.maintainership.findMany({
    where: { namespace: 'modules', name: { in: [...new Set(failed.map((r) => r.name))] } },
    include: { user: { select: { name: true } } },
  });
  const tiers: { tier: number; modules: ReturnType<typeof moduleView>[] }[] = [];
  for (const r of rows) {
    const last = tiers.at(-1);
    if (last?.tier === r.tier) last.modules.push(moduleView(r));
    else tiers.push({ tier: r.tier, modules: [moduleView(r)] });
  }
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    counts: countStates(scheduled),
    tiers,
    blocking: failed.map((r) => ({
      module: node(r),
      failedStep: r.failedStep,
      failure: r.failure,
      nsvc: r.nsvc,
      blocks: blocks.get(position.get(node(r))!) ?? 0,
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
