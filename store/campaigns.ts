// Rebuild campaigns in the store: the campaign row, its planned modules with their live state (written
// by the campaign's workflows), and the append-only log of actions. Every write is keyed naturally
// (campaign id; campaign + module; action key), so a retried activity changes nothing twice.
import type { Prisma, PrismaClient } from '@prisma/client';
import type { CampaignInput, CampaignModuleUpdate, CampaignState, PlannedModule } from '../domain/campaign';
import { splitModuleStreamKey } from '../domain/dependencies';
import { campaignModuleStateChange, campaignStateChange } from '../domain/events';
import { workflowIds } from '../domain/workflow-ids';
import { appendEvents } from './events';
import { viaPrisma } from './sql';

const PLAN_ROWS_PER_STATEMENT = 1_000;
/** A plan of tens of thousands of modules takes longer than an interactive transaction's 5 s default. */
const PLAN_TRANSACTION = { timeout: 5 * 60_000, maxWait: 60_000 };

const FINAL_CAMPAIGN_STATES: ReadonlySet<CampaignState> = new Set(['finished', 'cancelled', 'failed']);

export async function recordCampaignPlan(
  prisma: PrismaClient,
  input: CampaignInput,
  plan: { modules: PlannedModule[]; tierCount: number } | { failure: string },
): Promise<void> {
  const { request } = input;
  const planned = 'modules' in plan;
  await prisma.$transaction(async (tx) => {
    const existed = await tx.campaign.findUnique({ where: { id: input.campaignId }, select: { id: true } });
    const row = await tx.campaign.upsert({
      where: { id: input.campaignId },
      create: {
        id: input.campaignId,
        workflowId: workflowIds.campaign(input.campaignId),
        trigger: { components: request.components, modules: request.modules, reason: request.reason ?? null },
        branch: request.branch,
        strategy: request.strategy,
        relation: request.relation,
        dryRun: request.dryRun,
        changeKey: input.changeKey,
        tierCount: planned ? plan.tierCount : null,
        state: planned ? 'running' : 'failed',
        stateReason: planned ? null : plan.failure,
        finishedAt: planned ? null : new Date(),
        createdBy: input.requestedBy,
        createdAt: new Date(input.triggeredAt),
      },
      update: {},
    });
    if (planned) {
      const dependents = new Map<string, string[]>();
      // appended in place: a hub has thousands of direct dependents in a large campaign
      for (const m of plan.modules) {
        for (const d of m.dependsOn) {
          const list = dependents.get(d);
          if (list) list.push(m.node);
          else dependents.set(d, [m.node]);
        }
      }
      const rows = plan.modules.map((m) => ({
        campaignId: input.campaignId,
        name: m.name,
        stream: m.stream,
        tier: m.tier,
        changed: m.changed,
        cycle: m.cycle,
        path: m.path,
        reason: m.reason,
        dependsOn: m.dependsOn,
        pendingDeps: m.dependsOn.length,
        dependents: dependents.get(m.node) ?? [],
        state: 'waiting',
      }));
      // in parts: a campaign of tens of thousands of modules is far past one statement's bind parameters
      for (let i = 0; i < rows.length; i += PLAN_ROWS_PER_STATEMENT)
        await tx.campaignModule.createMany({ data: rows.slice(i, i + PLAN_ROWS_PER_STATEMENT), skipDuplicates: true });
    }
    if (!existed) await appendEvents(viaPrisma(tx), [campaignStateChange(row)]);
  }, PLAN_TRANSACTION);
}

export async function setCampaignState(
  prisma: PrismaClient,
  campaignId: string,
  state: CampaignState,
  reason: string | null,
): Promise<void> {
  const data = { state, stateReason: reason, finishedAt: FINAL_CAMPAIGN_STATES.has(state) ? new Date() : null };
  await prisma.$transaction(async (tx) => {
    // Conditional, so that of two attempts of the same change only one sees it and announces it.
    const changed = await tx.campaign.updateMany({ where: { id: campaignId, state: { not: state } }, data });
    if (changed.count === 0) {
      await tx.campaign.update({ where: { id: campaignId }, data });
      return;
    }
    const row = await tx.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    await appendEvents(viaPrisma(tx), [campaignStateChange(row)]);
  });
}

/** Module states, many at once; `reason` keeps the plan's explanation, `failure` says what went wrong. */
export async function updateCampaignModules(
  prisma: PrismaClient,
  campaignId: string,
  updates: readonly CampaignModuleUpdate[],
): Promise<void> {
  if (updates.length === 0) return;
  await prisma.$transaction(async (tx) => {
    const changed: CampaignModuleUpdate[] = [];
    for (const u of updates) {
      const data: Prisma.CampaignModuleUpdateManyMutationInput = { state: u.state };
      if (u.attempt !== undefined) data.attempt = u.attempt;
      if (u.nsvc !== undefined) data.nsvc = u.nsvc;
      if (u.failedStep !== undefined) data.failedStep = u.failedStep;
      if (u.failure !== undefined) data.failure = u.failure;
      const where = { campaignId, ...splitModuleStreamKey(u.node) };
      // a new state, or the same state in a new attempt, is a change to announce
      const isChange = [
        { state: { not: u.state } },
        ...(u.attempt !== undefined ? [{ attempt: { not: u.attempt } }] : []),
      ];
      const res = await tx.campaignModule.updateMany({ where: { ...where, OR: isChange }, data });
      if (res.count > 0) changed.push(u);
      else await tx.campaignModule.updateMany({ where, data });
    }
    if (changed.length === 0) return;
    const rows = await tx.campaignModule.findMany({
      where: { campaignId, OR: changed.map((u) => splitModuleStreamKey(u.node)) },
    });
    const byNode = new Map(rows.map((r) => [`${r.name}:${r.stream}`, r]));
    const events = changed.flatMap((u) => {
      const r = byNode.get(u.node);
      return r ? [campaignModuleStateChange(r)] : [];
    });
    await appendEvents(viaPrisma(tx), events);
  });
}

/** One person's (or push's) action on a campaign; `module` is name:stream, null for the whole campaign. */
export interface CampaignActionRecord {
  campaignId: string;
  module: string | null;
  action: string;
  actor: string;
  reason: string | null;
  actionKey: string;
}

export async function recordCampaignAction(prisma: PrismaClient, action: CampaignActionRecord): Promise<void> {
  await prisma.campaignAction.createMany({ data: [action], skipDuplicates: true });
}

/** Campaigns still going (running or waiting) that hold a failed module a push or a new build may fix. */
export async function campaignsWaitingOn(
  prisma: PrismaClient,
  modules: readonly { name: string; stream: string }[],
): Promise<{ campaignId: string; node: string }[]> {
  if (modules.length === 0) return [];
  const rows = await prisma.campaignModule.findMany({
    where: {
      state: 'failed',
      OR: modules.map((m) => ({ name: m.name, stream: m.stream })),
      campaign: { state: { in: ['running', 'waiting'] } },
    },
    select: { campaignId: true, name: true, stream: true },
    orderBy: { campaignId: 'asc' },
  });
  return rows.map((r) => ({ campaignId: r.campaignId, node: `${r.name}:${r.stream}` }));
}

/** Module streams holding the component on the branch (ref = branch, or no ref and stream = branch). */
export async function holdersOnBranch(
  prisma: PrismaClient,
  component: string,
  branch: string,
): Promise<{ name: string; stream: string }[]> {
  const rows = await prisma.moduleComponent.findMany({
    where: { componentName: component, validTo: null, OR: [{ ref: branch }, { ref: null, moduleStream: branch }] },
    select: { moduleName: true, moduleStream: true },
  });
  return rows.map((r) => ({ name: r.moduleName, stream: r.moduleStream }));
}

export async function componentHolders(prisma: PrismaClient, components: readonly string[]) {
  if (components.length === 0) return [];
  return prisma.moduleComponent.findMany({
    where: { componentName: { in: [...components] }, validTo: null },
    select: { moduleName: true, moduleStream: true, componentName: true, ref: true },
  });
}
