// Module builds and component builds read for MBS's API (/module-build-service/2/): the rows a list's
// filters select, a page of them with what MBS's JSON needs (components, state trace, siblings, the
// buildrequires of the built modulemd), and one build or component by its MBS integer id.
import type { ModuleBuildState, Prisma, PrismaClient } from '@prisma/client';
import { parse as parseYaml } from 'yaml';
import { kojiTagName } from '../domain/module-build';
import type { MbsComponentFacts, MbsModuleFacts } from '../domain/mbs';

export interface MbsModuleFilter {
  name?: string;
  stream?: string;
  version?: string;
  context?: string;
  owner?: string;
  /** state names, or-ed */
  states?: ModuleBuildState[];
  /** Koji tags module-<name>-<stream>-<version>-<context> */
  kojiTag?: string;
  submitted?: { before?: Date; after?: Date };
  modified?: { before?: Date; after?: Date };
  completed?: { before?: Date; after?: Date };
}

export type MbsModuleOrder = Prisma.ModuleBuildOrderByWithRelationInput[];

/** where the build's source is: MBS's scmurl for a module commit */
export type ScmUrlOf = (name: string, commit: string) => string;

const range = (r?: { before?: Date; after?: Date }) =>
  r && (r.before || r.after)
    ? { ...(r.before ? { lte: r.before } : {}), ...(r.after ? { gte: r.after } : {}) }
    : undefined;

/** A Koji tag names a version and context at its end; the rows are those whose own tag is the same. */
async function idsWithKojiTag(prisma: PrismaClient, tag: string): Promise<string[]> {
  const m = /^module-.+-([0-9]+)-([A-Za-z0-9_]+)$/.exec(tag);
  if (!m) return [];
  const rows = await prisma.moduleBuild.findMany({
    where: { version: m[1], context: m[2] },
    select: { id: true, name: true, stream: true, version: true, context: true },
  });
  return rows.filter((r) => kojiTagName(r.name, r.stream, r.version, r.context) === tag).map((r) => r.id);
}

async function whereOf(prisma: PrismaClient, f: MbsModuleFilter): Promise<Prisma.ModuleBuildWhereInput> {
  const completed = range(f.completed);
  return {
    name: f.name,
    stream: f.stream,
    version: f.version,
    context: f.context,
    owner: f.owner,
    ...(f.states ? { state: { in: f.states } } : {}),
    ...(f.kojiTag !== undefined ? { id: { in: await idsWithKojiTag(prisma, f.kojiTag) } } : {}),
    ...(range(f.submitted) ? { createdAt: range(f.submitted) } : {}),
    ...(range(f.modified) ? { updatedAt: range(f.modified) } : {}),
    ...(completed ? { states: { some: { state: { in: ['done', 'failed'] }, at: completed } } } : {}),
  };
}

const detail = {
  components: { orderBy: [{ batch: 'asc' }, { name: 'asc' }] },
  states: { orderBy: { at: 'asc' } },
} satisfies Prisma.ModuleBuildInclude;
type DetailedRow = Prisma.ModuleBuildGetPayload<{ include: typeof detail }>;

function buildrequiresOf(modulemd: string | null): Record<string, unknown> {
  if (!modulemd) return {};
  try {
    const doc = parseYaml(modulemd) as { data?: { xmd?: { mbs?: { buildrequires?: Record<string, unknown> } } } };
    return doc?.data?.xmd?.mbs?.buildrequires ?? {};
  } catch {
    return {};
  }
}

async function factsOf(prisma: PrismaClient, rows: DetailedRow[], scmurl: ScmUrlOf): Promise<MbsModuleFacts[]> {
  const originIds = rows.flatMap((r) => r.components.flatMap((c) => (c.reusedFromId ? [c.reusedFromId] : [])));
  const origins = await prisma.componentBuild.findMany({
    where: { id: { in: originIds } },
    select: { id: true, mbsId: true, moduleBuild: { select: { mbsId: true } } },
  });
  const origin = new Map(origins.map((o) => [o.id, o]));
  const siblings = await prisma.moduleBuild.findMany({
    where: { OR: rows.map((r) => ({ name: r.name, stream: r.stream, version: r.version })) },
    select: { mbsId: true, name: true, stream: true, version: true },
  });
  return rows.map((r) => {
    const components: MbsComponentFacts[] = r.components.map((c) => ({
      mbsId: c.mbsId,
      name: c.name,
      state: c.state,
      stateReason: c.stateReason,
      taskId: c.taskId,
      nvr: c.nvr,
      batch: c.batch,
      commitHash: c.commitHash,
      reusedFromMbsId: c.reusedFromId ? (origin.get(c.reusedFromId)?.mbsId ?? null) : null,
    }));
    const reusedFrom = r.components.flatMap((c) => (c.reusedFromId ? [origin.get(c.reusedFromId)] : []))[0];
    return {
      mbsId: r.mbsId,
      name: r.name,
      stream: r.stream,
      version: r.version,
      context: r.context,
      state: r.state,
      stateReason: r.stateReason,
      owner: r.owner,
      strategy: r.strategy,
      scmurl: scmurl(r.name, r.commitHash),
      kojiTag: kojiTagName(r.name, r.stream, r.version, r.context),
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      buildrequires: buildrequiresOf(r.modulemd),
      modulemd: r.modulemd,
      components,
      trace: r.states.map((s) => ({ state: s.state, reason: s.reason, at: s.at })),
      siblings: siblings
        .filter((s) => s.name === r.name && s.stream === r.stream && s.version === r.version && s.mbsId !== r.mbsId)
        .map((s) => s.mbsId)
        .sort((a, b) => a - b),
      reusedModuleMbsId: reusedFrom?.moduleBuild.mbsId ?? null,
    };
  });
}

/** One page of the builds the filter selects, in the given order, and how many it selects in all. */
export async function listMbsModuleBuilds(
  prisma: PrismaClient,
  filter: MbsModuleFilter,
  page: { page: number; perPage: number; orderBy: MbsModuleOrder },
  scmurl: ScmUrlOf,
): Promise<{ items: MbsModuleFacts[]; total: number }> {
  const where = await whereOf(prisma, filter);
  const [total, rows] = await Promise.all([
    prisma.moduleBuild.count({ where }),
    prisma.moduleBuild.findMany({
      where,
      orderBy: page.orderBy,
      skip: (page.page - 1) * page.perPage,
      take: page.perPage,
      include: detail,
    }),
  ]);
  return { items: rows.length ? await factsOf(prisma, rows, scmurl) : [], total };
}

export async function readMbsModuleBuild(
  prisma: PrismaClient,
  mbsId: number,
  scmurl: ScmUrlOf,
): Promise<MbsModuleFacts | undefined> {
  const row = await prisma.moduleBuild.findUnique({ where: { mbsId }, include: detail });
  return row ? (await factsOf(prisma, [row], scmurl))[0] : undefined;
}

/** A build of this version that has not failed: MBS's reason to refuse a submission. */
export async function liveMbsBuildOf(prisma: PrismaClient, name: string, stream: string, version: string) {
  return prisma.moduleBuild.findFirst({
    where: { name, stream, version, state: { not: 'failed' } },
    select: { mbsId: true, state: true },
  });
}

/** The module build a workflow records, once its plan has written the row. */
export async function mbsIdOfWorkflow(prisma: PrismaClient, workflowId: string): Promise<number | undefined> {
  return (await prisma.moduleBuild.findUnique({ where: { workflowId }, select: { mbsId: true } }))?.mbsId;
}

export interface MbsComponentFilter {
  package?: string;
  moduleMbsId?: number;
  nvr?: string;
  /** a Koji task number: a real Koji's task id, or the first 48 bits of a LocalKoji task's */
  taskNumber?: number;
  states?: Prisma.ComponentBuildWhereInput['state'];
}

export type MbsComponentRow = MbsComponentFacts & { moduleMbsId: number };

const componentSelect = { include: { moduleBuild: { select: { mbsId: true } } } } as const;

async function componentFacts(
  prisma: PrismaClient,
  rows: Prisma.ComponentBuildGetPayload<typeof componentSelect>[],
): Promise<MbsComponentRow[]> {
  const origins = await prisma.componentBuild.findMany({
    where: { id: { in: rows.flatMap((r) => (r.reusedFromId ? [r.reusedFromId] : [])) } },
    select: { id: true, mbsId: true },
  });
  const origin = new Map(origins.map((o) => [o.id, o.mbsId]));
  return rows.map((c) => ({
    mbsId: c.mbsId,
    name: c.name,
    state: c.state,
    stateReason: c.stateReason,
    taskId: c.taskId,
    nvr: c.nvr,
    batch: c.batch,
    commitHash: c.commitHash,
    reusedFromMbsId: c.reusedFromId ? (origin.get(c.reusedFromId) ?? null) : null,
    moduleMbsId: c.moduleBuild.mbsId,
  }));
}

export async function listMbsComponentBuilds(
  prisma: PrismaClient,
  f: MbsComponentFilter,
  page: { page: number; perPage: number; descending: boolean },
): Promise<{ items: MbsComponentRow[]; total: number }> {
  const where: Prisma.ComponentBuildWhereInput = {
    name: f.package,
    nvr: f.nvr,
    state: f.states,
    ...(f.taskNumber !== undefined
      ? {
          OR: [
            { taskId: String(f.taskNumber) },
            { taskId: { startsWith: f.taskNumber.toString(16).padStart(12, '0') } },
          ],
        }
      : {}),
    ...(f.moduleMbsId !== undefined ? { moduleBuild: { mbsId: f.moduleMbsId } } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.componentBuild.count({ where }),
    prisma.componentBuild.findMany({
      where,
      orderBy: { mbsId: page.descending ? 'desc' : 'asc' },
      skip: (page.page - 1) * page.perPage,
      take: page.perPage,
      ...componentSelect,
    }),
  ]);
  return { items: await componentFacts(prisma, rows), total };
}

export async function readMbsComponentBuild(prisma: PrismaClient, mbsId: number): Promise<MbsComponentRow | undefined> {
  const row = await prisma.componentBuild.findUnique({ where: { mbsId }, ...componentSelect });
  return row ? (await componentFacts(prisma, [row]))[0] : undefined;
}
