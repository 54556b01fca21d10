// Composes as people read them: status, phases with their timing, variants with their validation,
// the module builds and images each holds, what changed since the previous compose, and whether it
// is on the mirror yet. Also the reverse question pdc-updater's other half answers: which composes
// hold a module.
import type { Prisma, PrismaClient } from '@prisma/client';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

const withEverything = {
  phases: { orderBy: { startedAt: 'asc' } },
  variants: { orderBy: { uid: 'asc' } },
  modules: { orderBy: [{ variant: 'asc' }, { nsvc: 'asc' }] },
  images: { orderBy: [{ variant: 'asc' }, { path: 'asc' }] },
} satisfies Prisma.ComposeInclude;

type ComposeRow = Prisma.ComposeGetPayload<{ include: typeof withEverything }>;

/** "finished, not yet published" is a state a person asks about, so it is said in words. */
export function publicationOf(row: { status: string; publishedAt: Date | null; removedAt: Date | null }) {
  if (row.removedAt) return 'removed';
  if (row.publishedAt) return 'published';
  if (row.status === 'FINISHED' || row.status === 'FINISHED_INCOMPLETE') return 'not yet published';
  return 'not published';
}

function composeView(
  row: ComposeRow,
  validation: Map<string, { testcase: string; outcome: string; note: string | null }[]>,
) {
  return {
    composeId: row.composeId,
    number: row.number,
    workflowId: row.workflowId,
    release: row.release,
    short: row.short,
    version: row.version,
    type: row.type,
    date: row.date,
    respin: row.respin,
    label: row.label,
    status: row.status,
    statusReason: row.statusReason,
    phase: row.phase,
    origin: row.origin,
    request: row.request,
    createdBy: row.createdBy,
    path: row.path,
    mirrorPath: row.mirrorPath,
    published: publicationOf(row),
    publishedAt: iso(row.publishedAt),
    createdAt: iso(row.createdAt),
    finishedAt: iso(row.finishedAt),
    expiresAt: iso(row.expiresAt),
    removedAt: iso(row.removedAt),
    previousCompose: row.previousId,
    phases: row.phases.map((p) => ({
      phase: p.phase,
      state: p.state,
      startedAt: iso(p.startedAt),
      finishedAt: iso(p.finishedAt),
      seconds: p.finishedAt ? (p.finishedAt.getTime() - p.startedAt.getTime()) / 1000 : null,
      detail: p.detail,
    })),
    variants: row.variants.map((v) => ({
      uid: v.uid,
      name: v.name,
      type: v.type,
      arches: v.arches as string[],
      state: v.state,
      reason: v.reason,
      validation: validation.get(v.uid) ?? [],
      modules: row.modules.filter((m) => m.variant === v.uid).map((m) => m.nsvc),
      images: row.images
        .filter((i) => i.variant === v.uid)
        .map((i) => ({
          arch: i.arch,
          type: i.type,
          format: i.format,
          path: i.path,
          size: Number(i.size),
          sha256: i.sha256,
        })),
    })),
    changes: row.changes,
  };
}

export type ComposeView = ReturnType<typeof composeView>;

/** Validation results are CI results whose item is "<compose id>/<variant>". */
async function validationOf(prisma: PrismaClient, composeId: string) {
  const results = await prisma.ciResult.findMany({
    where: { itemType: 'compose-variant', item: { startsWith: `${composeId}/` } },
    orderBy: { id: 'asc' },
  });
  const byVariant = new Map<string, { testcase: string; outcome: string; note: string | null }[]>();
  for (const r of results) {
    const variant = r.item.slice(composeId.length + 1);
    const note =
      r.data && typeof r.data === 'object' && 'note' in r.data ? String((r.data as { note: unknown }).note) : null;
    byVariant.set(variant, [...(byVariant.get(variant) ?? []), { testcase: r.testcase, outcome: r.outcome, note }]);
  }
  return byVariant;
}

export async function readCompose(prisma: PrismaClient, key: { composeId: string } | { number: number }) {
  const row = await prisma.compose.findUnique({ where: key, include: withEverything });
  if (!row) return undefined;
  return composeView(row, await validationOf(prisma, row.composeId));
}

export interface ComposeListQuery {
  release?: string;
  status?: string;
  limit: number;
  /** the number of the last compose of the previous page */
  before?: number;
}

export async function listComposes(prisma: PrismaClient, q: ComposeListQuery) {
  const rows = await prisma.compose.findMany({
    where: {
      ...(q.release ? { release: q.release } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.before !== undefined ? { number: { lt: q.before } } : {}),
    },
    orderBy: { number: 'desc' },
    take: q.limit + 1,
    include: { variants: { orderBy: { uid: 'asc' } } },
  });
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r) => ({
      composeId: r.composeId,
      number: r.number,
      release: r.release,
      type: r.type,
      label: r.label,
      status: r.status,
      phase: r.phase,
      published: publicationOf(r),
      createdAt: iso(r.createdAt),
      finishedAt: iso(r.finishedAt),
      variants: r.variants.map((v) => ({ uid: v.uid, state: v.state })),
    })),
    next: rows.length > q.limit ? String(page.at(-1)!.number) : null,
  };
}

/** Which composes hold a module stream (or one build of it), newest first. */
export async function composesHoldingModule(prisma: PrismaClient, name: string, stream: string, nsvc?: string) {
  const rows = await prisma.composeModule.findMany({
    where: nsvc ? { nsvc } : { name, stream },
    include: { compose: true },
    orderBy: { compose: { number: 'desc' } },
    take: 200,
  });
  return rows.map((r) => ({
    composeId: r.compose.composeId,
    variant: r.variant,
    nsvc: r.nsvc,
    status: r.compose.status,
    published: publicationOf(r.compose),
    finishedAt: iso(r.compose.finishedAt),
  }));
}
