// Composes as the store keeps them: the row allocated when one is asked for (its productmd id, respin
// counted per day), its phases with their timing, its variants with their verdicts, the module builds
// and images it holds (written by the note phase: the other half of pdc-updater), and publishing.
// Every write is keyed by a natural key, so a retried activity writes once.
import type { Prisma, PrismaClient } from '@prisma/client';
import { formatComposeId, type ComposeType } from '../domain/compose';
import {
  composePhaseChange,
  composePublished,
  composeStatusChange,
  composeVariantChange,
  objectKeys,
} from '../domain/events';
import { announceResults } from './ci-results';
import { appendEvents } from './events';
import { viaPrisma } from './sql';

export interface ComposeAllocation {
  short: string;
  version: string;
  type: ComposeType;
  /** YYYYMMDD, the day the compose is dated */
  date: string;
  label?: string | null;
  request: Prisma.InputJsonValue;
  origin: 'release' | 'odcs';
  createdBy: string;
  expiresAt?: Date | null;
  /** the workflow id for a compose id */
  workflowIdFor: (composeId: string) => string;
}

export interface AllocatedCompose {
  id: string;
  composeId: string;
  number: number;
  workflowId: string;
}

const isUniqueViolation = (err: unknown) =>
  typeof err === 'object' && err !== null && 'code' in err && (err as { code: string }).code === 'P2002';

/** Creates the compose row with the next respin of its day; two concurrent requests get two respins. */
export async function allocateCompose(prisma: PrismaClient, a: ComposeAllocation): Promise<AllocatedCompose> {
  for (let tries = 0; ; tries++) {
    const last = await prisma.compose.findFirst({
      where: { short: a.short, version: a.version, date: a.date, type: a.type },
      orderBy: { respin: 'desc' },
      select: { respin: true },
    });
    const respin = last ? last.respin + 1 : 0;
    const composeId = formatComposeId({ short: a.short, version: a.version, date: a.date, type: a.type, respin });
    try {
      const row = await prisma.$transaction(async (tx) => {
        const created = await tx.compose.create({
          data: {
            composeId,
            workflowId: a.workflowIdFor(composeId),
            short: a.short,
            version: a.version,
            release: `${a.short}-${a.version}`,
            date: a.date,
            respin,
            type: a.type,
            label: a.label ?? null,
            status: 'STARTED',
            request: a.request,
            origin: a.origin,
            createdBy: a.createdBy,
            expiresAt: a.expiresAt ?? null,
          },
        });
        await appendEvents(viaPrisma(tx), [composeStatusChange(created)]);
        return created;
      });
      return { id: row.id, composeId, number: row.number, workflowId: row.workflowId };
    } catch (err) {
      if (!isUniqueViolation(err) || tries >= 20) throw err;
    }
  }
}

export type PhaseState = 'running' | 'done' | 'failed' | 'skipped';

/** Records a phase's state; the start time is kept from the first record, the end set when it ends. */
export async function recordComposePhase(
  prisma: PrismaClient,
  composeId: string,
  phase: string,
  state: PhaseState,
  detail?: Prisma.InputJsonValue,
): Promise<void> {
  const row = await prisma.compose.findUniqueOrThrow({ where: { composeId }, select: { id: true } });
  const finishedAt = state === 'running' ? null : new Date();
  const key = { composeId: row.id, phase };
  const data = { state, finishedAt, ...(detail !== undefined ? { detail } : {}) };
  await prisma.$transaction(async (tx) => {
    // Conditional (or a first record), so that of two attempts of the same change only one announces it.
    const changed = await tx.composePhase.updateMany({ where: { ...key, state: { not: state } }, data });
    const created = await tx.composePhase.createMany({ data: [{ ...key, ...data }], skipDuplicates: true });
    if (changed.count === 0 && created.count === 0)
      await tx.composePhase.update({ where: { composeId_phase: key }, data });
    const compose = await tx.compose.update({ where: { id: row.id }, data: { phase } });
    if (changed.count + created.count > 0)
      await appendEvents(viaPrisma(tx), [composePhaseChange(compose, phase, state)]);
  });
}

export async function setComposeStatus(
  prisma: PrismaClient,
  composeId: string,
  status: string,
  patch: { reason?: string | null; path?: string; changes?: Prisma.InputJsonValue; previousId?: string | null } = {},
): Promise<void> {
  const final = status !== 'STARTED';
  const data = {
    status,
    ...(patch.reason !== undefined ? { statusReason: patch.reason } : {}),
    ...(patch.path !== undefined ? { path: patch.path } : {}),
    ...(patch.changes !== undefined ? { changes: patch.changes } : {}),
    ...(patch.previousId !== undefined ? { previousId: patch.previousId } : {}),
    ...(final ? { finishedAt: new Date() } : {}),
  };
  await prisma.$transaction(async (tx) => {
    // Conditional, so that of two attempts of the same change only one announces it.
    const changed = await tx.compose.updateMany({ where: { composeId, status: { not: status } }, data });
    const row = await tx.compose.update({ where: { composeId }, data });
    if (changed.count > 0) await appendEvents(viaPrisma(tx), [composeStatusChange(row)]);
  });
}

export interface ComposeVariantRecord {
  uid: string;
  name: string;
  type: string;
  arches: string[];
  state: 'pending' | 'ready' | 'failed';
  reason?: string | null;
}

export async function recordComposeVariants(
  prisma: PrismaClient,
  composeId: string,
  variants: ComposeVariantRecord[],
): Promise<void> {
  const row = await prisma.compose.findUniqueOrThrow({ where: { composeId }, select: { id: true } });
  await prisma.$transaction(
    variants.map((v) =>
      prisma.composeVariant.upsert({
        where: { composeId_uid: { composeId: row.id, uid: v.uid } },
        create: { composeId: row.id, ...v, reason: v.reason ?? null },
        update: { name: v.name, type: v.type, arches: v.arches, state: v.state, reason: v.reason ?? null },
      }),
    ),
  );
}

export interface ComposeContents {
  modules: { variant: string; nsvc: string }[];
  images: { variant: string; arch: string; type: string; format: string; path: string; size: number; sha256: string }[];
}

/** The note phase: which module builds and images the compose holds, replaced whole in one transaction. */
export async function recordComposeContents(
  prisma: PrismaClient,
  composeId: string,
  contents: ComposeContents,
): Promise<void> {
  const row = await prisma.compose.findUniqueOrThrow({ where: { composeId }, select: { id: true } });
  await prisma.$transaction([
    prisma.composeModule.deleteMany({ where: { composeId: row.id } }),
    prisma.composeImage.deleteMany({ where: { composeId: row.id } }),
    prisma.composeModule.createMany({
      data: contents.modules.map((m) => {
        const [name, stream] = m.nsvc.split(':');
        return { composeId: row.id, variant: m.variant, nsvc: m.nsvc, name: name!, stream: stream! };
      }),
    }),
    prisma.composeImage.createMany({
      data: contents.images.map((i) => ({ composeId: row.id, ...i, size: BigInt(i.size) })),
    }),
  ]);
}

export async function markComposePublished(prisma: PrismaClient, composeId: string, mirrorPath: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    // Once only: a retried publish neither moves the time nor announces it again.
    const changed = await tx.compose.updateMany({
      where: { composeId, publishedAt: null },
      data: { mirrorPath, publishedAt: new Date() },
    });
    if (changed.count === 0) return;
    const row = await tx.compose.findUniqueOrThrow({ where: { composeId } });
    await appendEvents(viaPrisma(tx), [composePublished({ ...row, mirrorPath })]);
  });
}

/**
 * Published composes of `release` whose tree is no longer on the mirror (publish keeps the newest
 * CASCADE_COMPOSE_KEEP): marked removed, once. Decided from the files, so a publish retried after
 * it pruned still marks what the first attempt removed.
 */
export async function markPrunedComposesRemoved(
  prisma: PrismaClient,
  release: string,
  isOnMirror: (mirrorPath: string) => boolean,
): Promise<string[]> {
  const published = await prisma.compose.findMany({
    where: { release, publishedAt: { not: null }, removedAt: null, mirrorPath: { not: null } },
    select: { composeId: true, mirrorPath: true },
  });
  const gone = published.filter((c) => !isOnMirror(c.mirrorPath!)).map((c) => c.composeId);
  if (gone.length > 0)
    await prisma.compose.updateMany({
      where: { composeId: { in: gone }, removedAt: null },
      data: { removedAt: new Date() },
    });
  return gone.sort();
}

/** Composes whose time to live ran out and that have ended: what the reaper removes. */
export async function expiredComposes(prisma: PrismaClient, now: Date) {
  return prisma.compose.findMany({
    where: { expiresAt: { lte: now }, removedAt: null, status: { not: 'STARTED' } },
    select: { composeId: true, path: true, mirrorPath: true },
    orderBy: { number: 'asc' },
  });
}

/** Marks a compose removed, once: a retried reaper keeps the first time. */
export async function markComposeRemoved(prisma: PrismaClient, composeId: string, at: Date): Promise<void> {
  await prisma.compose.updateMany({ where: { composeId, removedAt: null }, data: { removedAt: at } });
}

/** The newest finished compose of a release before this one: what "what changed" is measured against. */
export async function previousFinishedCompose(prisma: PrismaClient, release: string, before: string) {
  const current = await prisma.compose.findUnique({ where: { composeId: before }, select: { createdAt: true } });
  return prisma.compose.findFirst({
    where: {
      release,
      composeId: { not: before },
      status: { in: ['FINISHED', 'FINISHED_INCOMPLETE'] },
      ...(current ? { createdAt: { lt: current.createdAt } } : {}),
    },
    orderBy: { createdAt: 'desc' },
    select: { id: true, composeId: true, path: true },
  });
}

export interface VariantValidationResult {
  testcase: string;
  outcome: string;
  data: Record<string, unknown>;
  log: string | null;
  note: string;
}

/** A variant's validation, as ResultsDB-shaped CI results whose item is "<compose id>/<variant>"; once per test case. */
export async function recordVariantValidation(
  prisma: PrismaClient,
  composeId: string,
  variant: string,
  results: VariantValidationResult[],
): Promise<void> {
  const item = `${composeId}/${variant}`;
  await prisma.$transaction(async (tx) => {
    await tx.ciResult.createMany({
      data: results.map((r) => ({
        testcase: r.testcase,
        outcome: r.outcome,
        itemType: 'compose-variant',
        item,
        log: r.log,
        data: { ...r.data, note: r.note } as Prisma.InputJsonObject,
        runKey: `compose/${item}`,
        resultKey: `compose/${item}/${r.testcase}`,
      })),
      skipDuplicates: true,
    });
    await announceResults(tx, `compose/${item}`, objectKeys.compose(composeId));
  });
}

export async function setComposeVariantState(
  prisma: PrismaClient,
  composeId: string,
  uid: string,
  state: 'ready' | 'failed',
  reason: string | null,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const row = await tx.compose.findUniqueOrThrow({ where: { composeId } });
    // Conditional, so that a retried activity announces the verdict once.
    const changed = await tx.composeVariant.updateMany({
      where: { composeId: row.id, uid, NOT: { state } },
      data: { state, reason },
    });
    if (changed.count > 0) await appendEvents(viaPrisma(tx), [composeVariantChange(row, uid, state, reason)]);
  });
}
