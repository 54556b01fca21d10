// Comps-as-a-Service's reads and writes. A whole document (comps or variants) is replaced in one
// transaction; a change to one item replaces that item's rows. Every write appends its CompsChange row
// (who, what, before and after, or the new document) in the same transaction, so history and state
// never disagree.
import type { Prisma, PrismaClient } from '@prisma/client';
import type { CompsDocument, CompsGroup, Langpack, Variant, VariantsDocument } from '../domain/comps';
import { variantUid } from '../domain/comps';
import {
  categoryOf,
  categoryRow,
  environmentOf,
  environmentRow,
  groupInclude,
  groupOf,
  groupRows,
  langpackOf,
  langpackRow,
  variantInclude,
  variantOf,
  variantRows,
} from './comps-rows';

type Tx = Prisma.TransactionClient;
// A Fedora-sized comps (161 groups, 4,600 package rows) on PGlite takes a few seconds to replace.
const LONG_TRANSACTION = { timeout: 120_000, maxWait: 30_000 } as const;

export type CompsItemKind = 'group' | 'category' | 'environment' | 'langpack';

export interface ChangeRecord {
  actor: string;
  action: 'create' | 'update' | 'delete' | 'import';
  subject: CompsItemKind | 'release' | 'comps' | 'variants' | 'variant';
  key?: string;
  before?: unknown;
  after?: unknown;
}

function recordChange(tx: Tx, release: string, change: ChangeRecord) {
  return tx.compsChange.create({
    data: {
      release,
      actor: change.actor,
      action: change.action,
      subject: change.subject,
      key: change.key ?? null,
      before: change.before === undefined ? undefined : (change.before as Prisma.InputJsonValue),
      after: change.after === undefined ? undefined : (change.after as Prisma.InputJsonValue),
    },
  });
}

export async function listReleases(prisma: PrismaClient) {
  const rows = await prisma.compsRelease.findMany({
    orderBy: { key: 'asc' },
    include: {
      _count: { select: { groups: true, categories: true, environments: true, langpacks: true, variants: true } },
    },
  });
  return rows.map((r) => ({
    key: r.key,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    counts: r._count,
  }));
}

export async function readRelease(prisma: PrismaClient, key: string) {
  return (await listReleasesWhere(prisma, key))[0];
}

async function listReleasesWhere(prisma: PrismaClient, key: string) {
  const rows = await prisma.compsRelease.findMany({
    where: { key },
    include: {
      _count: { select: { groups: true, categories: true, environments: true, langpacks: true, variants: true } },
    },
  });
  return rows.map((r) => ({
    key: r.key,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    counts: r._count,
  }));
}

/** Creates the release when it does not exist; true when it was created. */
export async function createRelease(prisma: PrismaClient, key: string, actor: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => (await ensureRelease(tx, key, actor)).created);
}

async function ensureRelease(tx: Tx, key: string, actor: string): Promise<{ id: string; created: boolean }> {
  const existing = await tx.compsRelease.findUnique({ where: { key }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  const row = await tx.compsRelease.create({ data: { key, createdBy: actor }, select: { id: true } });
  await recordChange(tx, key, { actor, action: 'create', subject: 'release', key, after: { key } });
  return { id: row.id, created: true };
}

async function releaseId(db: Tx | PrismaClient, key: string): Promise<string | undefined> {
  return (await db.compsRelease.findUnique({ where: { key }, select: { id: true } }))?.id;
}

// ---------- whole documents ----------

export async function readComps(prisma: PrismaClient, key: string): Promise<CompsDocument | undefined> {
  const release = await prisma.compsRelease.findUnique({ where: { key } });
  if (!release) return undefined;
  const where = { releaseId: release.id };
  const order = { orderBy: { position: 'asc' as const } };
  const [groups, categories, environments, langpacks] = await Promise.all([
    prisma.compsGroup.findMany({ where, ...order, include: groupInclude }),
    prisma.compsCategory.findMany({ where, ...order }),
    prisma.compsEnvironment.findMany({ where, ...order }),
    prisma.compsLangpack.findMany({ where, ...order }),
  ]);
  return {
    groups: groups.map(groupOf),
    categories: categories.map(categoryOf),
    environments: environments.map(environmentOf),
    langpacks: langpacks.map(langpackOf),
    blacklist: release.blacklist as CompsDocument['blacklist'],
    whiteout: release.whiteout as CompsDocument['whiteout'],
  };
}

/** Replaces the release's comps with the document (creating the release if needed), all or nothing. */
export async function importComps(prisma: PrismaClient, key: string, doc: CompsDocument, actor: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const { id } = await ensureRelease(tx, key, actor);
    const where = { releaseId: id };
    await tx.compsGroup.deleteMany({ where });
    await tx.compsCategory.deleteMany({ where });
    await tx.compsEnvironment.deleteMany({ where });
    await tx.compsLangpack.deleteMany({ where });
    await tx.compsRelease.update({
      where: { id },
      data: { blacklist: doc.blacklist as Prisma.InputJsonValue, whiteout: doc.whiteout as Prisma.InputJsonValue },
    });
    const groups = doc.groups.map((g, i) => groupRows(id, g, i));
    await tx.compsGroup.createMany({ data: groups.map((g) => g.row) });
    await tx.compsPackageReq.createMany({ data: groups.flatMap((g) => g.packages) });
    await tx.compsCategory.createMany({ data: doc.categories.map((c, i) => categoryRow(id, c, i)) });
    await tx.compsEnvironment.createMany({ data: doc.environments.map((e, i) => environmentRow(id, e, i)) });
    await tx.compsLangpack.createMany({ data: doc.langpacks.map((l, i) => langpackRow(id, l, i)) });
    await recordChange(tx, key, { actor, action: 'import', subject: 'comps', after: doc });
  }, LONG_TRANSACTION);
}

export async function readVariants(prisma: PrismaClient, key: string): Promise<VariantsDocument | undefined> {
  const id = await releaseId(prisma, key);
  if (!id) return undefined;
  const rows = await prisma.variant.findMany({
    where: { releaseId: id },
    orderBy: { position: 'asc' },
    include: variantInclude,
  });
  return { variants: rows.map(variantOf) };
}

/**
 * Replaces the release's variants with the (already validated) document, recording `change`: a whole
 * import, or the one variant created, changed or deleted.
 */
export async function writeVariants(
  prisma: PrismaClient,
  key: string,
  doc: VariantsDocument,
  change: ChangeRecord,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const { id } = await ensureRelease(tx, key, change.actor);
    await tx.variant.deleteMany({ where: { releaseId: id } });
    const rows = doc.variants.map((v, i) => variantRows(id, v, i));
    await tx.variant.createMany({ data: rows.map((r) => r.row) });
    await tx.variantModule.createMany({ data: rows.flatMap((r) => r.modules) });
    await tx.variantGroup.createMany({ data: rows.flatMap((r) => r.groups) });
    await tx.variantEnvironment.createMany({ data: rows.flatMap((r) => r.environments) });
    await recordChange(tx, key, change);
  }, LONG_TRANSACTION);
}

export const findVariant = (doc: VariantsDocument, uid: string): Variant | undefined =>
  doc.variants.find((v) => variantUid(v) === uid);

// ---------- one item ----------

export type CompsItem =
  CompsGroup | CompsDocument['categories'][number] | CompsDocument['environments'][number] | Langpack;

async function readItemTx(
  tx: Tx | PrismaClient,
  releaseRowId: string,
  kind: CompsItemKind,
  id: string,
): Promise<CompsItem | undefined> {
  if (kind === 'group') {
    const row = await tx.compsGroup.findUnique({
      where: { releaseId_groupId: { releaseId: releaseRowId, groupId: id } },
      include: groupInclude,
    });
    return row ? groupOf(row) : undefined;
  }
  if (kind === 'category') {
    const row = await tx.compsCategory.findUnique({
      where: { releaseId_categoryId: { releaseId: releaseRowId, categoryId: id } },
    });
    return row ? categoryOf(row) : undefined;
  }
  if (kind === 'environment') {
    const row = await tx.compsEnvironment.findUnique({
      where: { releaseId_environmentId: { releaseId: releaseRowId, environmentId: id } },
    });
    return row ? environmentOf(row) : undefined;
  }
  const row = await tx.compsLangpack.findUnique({ where: { releaseId_name: { releaseId: releaseRowId, name: id } } });
  return row ? langpackOf(row) : undefined;
}

export async function readItem(prisma: PrismaClient, key: string, kind: CompsItemKind, id: string) {
  const releaseRowId = await releaseId(prisma, key);
  return releaseRowId ? readItemTx(prisma, releaseRowId, kind, id) : undefined;
}

/** Deletes the item's rows; its position, so a replacement keeps its place in the document. */
async function removeItem(tx: Tx, releaseRowId: string, kind: CompsItemKind, id: string): Promise<number | undefined> {
  const where = { releaseId: releaseRowId };
  const found =
    kind === 'group'
      ? await tx.compsGroup.findFirst({ where: { ...where, groupId: id }, select: { id: true, position: true } })
      : kind === 'category'
        ? await tx.compsCategory.findFirst({
            where: { ...where, categoryId: id },
            select: { id: true, position: true },
          })
        : kind === 'environment'
          ? await tx.compsEnvironment.findFirst({
              where: { ...where, environmentId: id },
              select: { id: true, position: true },
            })
          : await tx.compsLangpack.findFirst({ where: { ...where, name: id }, select: { id: true, position: true } });
  if (!found) return undefined;
  const byId = { where: { id: found.id } };
  if (kind === 'group') await tx.compsGroup.delete(byId);
  if (kind === 'category') await tx.compsCategory.delete(byId);
  if (kind === 'environment') await tx.compsEnvironment.delete(byId);
  if (kind === 'langpack') await tx.compsLangpack.delete(byId);
  return found.position;
}

async function nextPosition(tx: Tx, releaseRowId: string, kind: CompsItemKind): Promise<number> {
  const where = { releaseId: releaseRowId };
  const args = { where, _max: { position: true } } as const;
  const max =
    kind === 'group'
      ? await tx.compsGroup.aggregate(args)
      : kind === 'category'
        ? await tx.compsCategory.aggregate(args)
        : kind === 'environment'
          ? await tx.compsEnvironment.aggregate(args)
          : await tx.compsLangpack.aggregate(args);
  return (max._max.position ?? -1) + 1;
}

async function insertItem(tx: Tx, releaseRowId: string, kind: CompsItemKind, item: CompsItem, position: number) {
  if (kind === 'group') {
    const { row, packages } = groupRows(releaseRowId, item as CompsGroup, position);
    await tx.compsGroup.create({ data: row });
    await tx.compsPackageReq.createMany({ data: packages });
  }
  if (kind === 'category') await tx.compsCategory.create({ data: categoryRow(releaseRowId, item as never, position) });
  if (kind === 'environment')
    await tx.compsEnvironment.create({ data: environmentRow(releaseRowId, item as never, position) });
  if (kind === 'langpack')
    await tx.compsLangpack.create({ data: langpackRow(releaseRowId, item as Langpack, position) });
}

/** Creates or replaces one item (keyed by `id`); 'created' or 'updated'. The release must exist. */
export async function putItem(
  prisma: PrismaClient,
  key: string,
  kind: CompsItemKind,
  id: string,
  item: CompsItem,
  actor: string,
): Promise<'created' | 'updated' | 'no-release'> {
  return prisma.$transaction(async (tx) => {
    const releaseRowId = await releaseId(tx, key);
    if (!releaseRowId) return 'no-release' as const;
    const before = await readItemTx(tx, releaseRowId, kind, id);
    const kept = await removeItem(tx, releaseRowId, kind, id);
    await insertItem(tx, releaseRowId, kind, item, kept ?? (await nextPosition(tx, releaseRowId, kind)));
    const action = before ? 'update' : 'create';
    await recordChange(tx, key, { actor, action, subject: kind, key: id, before, after: item });
    return before ? ('updated' as const) : ('created' as const);
  });
}

/** Deletes one item; false when there was none. */
export async function deleteItem(prisma: PrismaClient, key: string, kind: CompsItemKind, id: string, actor: string) {
  return prisma.$transaction(async (tx) => {
    const releaseRowId = await releaseId(tx, key);
    if (!releaseRowId) return false;
    const before = await readItemTx(tx, releaseRowId, kind, id);
    if (!before) return false;
    await removeItem(tx, releaseRowId, kind, id);
    await recordChange(tx, key, { actor, action: 'delete', subject: kind, key: id, before });
    return true;
  });
}

// ---------- history ----------

export async function readHistory(prisma: PrismaClient, key: string, options: { limit: number; cursor?: string }) {
  const rows = await prisma.compsChange.findMany({
    where: { release: key },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: options.limit + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, options.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      key: r.key,
      before: r.before,
      after: r.subject === 'comps' || r.subject === 'variants' ? summaryOf(r.after) : r.after,
    })),
    nextCursor: rows.length > options.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/** Whole documents are summarized in the listing (a Fedora comps is 1.6 MB); the row keeps all of it. */
function summaryOf(document: Prisma.JsonValue): Record<string, unknown> | null {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return null;
  return Object.fromEntries(Object.entries(document).map(([k, v]) => [k, Array.isArray(v) ? { count: v.length } : v]));
}
