// Module builds and their component builds: rows upserted by natural key (NSVC; module build + name),
// every state change appended once, and the lookups a module build needs (ready builds of a stream,
// a reusable component build).
import type { ComponentBuildState, ModuleBuildState, Prisma, PrismaClient } from '@prisma/client';
import { componentStateChange, moduleStateChange } from '../domain/events';
import { appendEvents } from './events';

export interface ModuleBuildRecord {
  nsvc: string;
  name: string;
  stream: string;
  version: string;
  context: string;
  commitHash: string;
  strategy: string;
  workflowId: string;
  owner: string;
  campaignId?: string | null;
}

export async function recordModuleBuild(prisma: PrismaClient, record: ModuleBuildRecord): Promise<string> {
  return prisma.$transaction(async (tx) => {
    const created = await tx.moduleBuild.createMany({
      data: [{ ...record, campaignId: record.campaignId ?? null, state: 'init' }],
      skipDuplicates: true,
    });
    const row = await tx.moduleBuild.findUniqueOrThrow({ where: { nsvc: record.nsvc } });
    await appendState(tx, row.id, 'init', null);
    if (created.count > 0) await appendEvents(tx, [moduleStateChange({ ...row, componentIds: [] }, row.createdAt)]);
    return row.id;
  });
}

async function appendState(
  prisma: PrismaClient | Prisma.TransactionClient,
  moduleBuildId: string,
  state: ModuleBuildState,
  reason: string | null,
) {
  await prisma.moduleBuildStateChange.createMany({ data: [{ moduleBuildId, state, reason }], skipDuplicates: true });
}

export async function setModuleBuildState(
  prisma: PrismaClient,
  nsvc: string,
  state: ModuleBuildState,
  patch: { reason?: string | null; modulemd?: string } = {},
): Promise<void> {
  const data = { state, stateReason: patch.reason ?? null, ...(patch.modulemd ? { modulemd: patch.modulemd } : {}) };
  await prisma.$transaction(async (tx) => {
    // Conditional, so that of two attempts of the same change only one announces it.
    const changed = await tx.moduleBuild.updateMany({ where: { nsvc, state: { not: state } }, data });
    const row = await tx.moduleBuild.update({
      where: { nsvc },
      data,
      include: { components: { select: { id: true } } },
    });
    await appendState(tx, row.id, state, patch.reason ?? null);
    if (changed.count === 0) return;
    const componentIds = row.components.map((c) => c.id);
    await appendEvents(tx, [moduleStateChange({ ...row, componentIds }, row.updatedAt)]);
  });
}

export interface PlannedComponent {
  name: string;
  commitHash: string;
  batch: number;
}

export async function recordComponentBuilds(
  prisma: PrismaClient,
  nsvc: string,
  components: PlannedComponent[],
): Promise<void> {
  const build = await prisma.moduleBuild.findUniqueOrThrow({ where: { nsvc } });
  await prisma.componentBuild.createMany({
    data: components.map((c) => ({ moduleBuildId: build.id, name: c.name, commitHash: c.commitHash, batch: c.batch })),
    skipDuplicates: true,
  });
}

export interface ComponentOutcome {
  state: ComponentBuildState;
  buildrootHash?: string;
  nvr?: string | null;
  taskId?: string | null;
  reusedFromId?: string | null;
  reason?: string | null;
}

export async function setComponentBuildState(
  prisma: PrismaClient,
  nsvc: string,
  name: string,
  outcome: ComponentOutcome,
): Promise<void> {
  const build = await prisma.moduleBuild.findUniqueOrThrow({ where: { nsvc } });
  const now = new Date();
  const key = { moduleBuildId: build.id, name };
  const data: Prisma.ComponentBuildUpdateManyMutationInput = {
    state: outcome.state,
    buildrootHash: outcome.buildrootHash,
    nvr: outcome.nvr,
    taskId: outcome.taskId,
    reusedFromId: outcome.reusedFromId,
    stateReason: outcome.reason ?? null,
    ...(outcome.state === 'building' ? { startedAt: now } : {}),
    ...(['complete', 'failed', 'reused'].includes(outcome.state) ? { finishedAt: now } : {}),
  };
  await prisma.$transaction(async (tx) => {
    // Conditional, so that of two attempts of the same change only one announces it.
    const changed = await tx.componentBuild.updateMany({ where: { ...key, state: { not: outcome.state } }, data });
    const row = await tx.componentBuild.update({ where: { moduleBuildId_name: key }, data });
    if (changed.count === 0) return;
    await appendEvents(tx, [componentStateChange({ ...row, state: row.state, nsvc })]);
  });
}

/** A successful build of the same source in the same buildroot, in another module build: reusable. */
export async function findReusableComponentBuild(
  prisma: PrismaClient,
  name: string,
  commitHash: string,
  buildrootHash: string,
  exceptNsvc: string,
) {
  return prisma.componentBuild.findFirst({
    where: { name, commitHash, buildrootHash, state: 'complete', moduleBuild: { nsvc: { not: exceptNsvc } } },
    orderBy: { finishedAt: 'asc' },
    select: { id: true, nvr: true, taskId: true },
  });
}

/**
 * The latest ready build of a module stream (by version) that CI has not failed: a build whose CI
 * failed is never a buildrequire, so dependents of a skipped module build against the last good one.
 */
export async function latestReadyModuleBuild(prisma: PrismaClient, name: string, stream: string) {
  const rows = await prisma.moduleBuild.findMany({
    where: { name, stream, state: 'ready', OR: [{ ciOutcome: null }, { ciOutcome: { not: 'FAILED' } }] },
    select: { nsvc: true, version: true, context: true, modulemd: true },
  });
  rows.sort((a, b) => (BigInt(b.version) > BigInt(a.version) ? 1 : BigInt(b.version) < BigInt(a.version) ? -1 : 0));
  return rows[0];
}
