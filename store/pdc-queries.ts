// Reads of the PDC relationship store: the graph in force now or at a past time (to build a
// dependency index), the change feed, and a stream's components.
import type { PrismaClient } from '@prisma/client';
import { DependencyIndex, moduleStreamKey } from '../domain/dependencies';
import { inForceAt } from './pdc-relationships';
import { openComponentsOf, openEdgesOf } from './stream-lookups';

export interface GraphRows {
  edges: {
    fromName: string;
    fromStream: string;
    type: 'BUILDREQUIRES' | 'REQUIRES';
    toName: string;
    toStream: string;
  }[];
  components: { moduleName: string; moduleStream: string; componentName: string }[];
  streams: { name: string; stream: string }[];
}

/** The graph in force at `at`, or now when `at` is absent. */
export async function loadGraph(prisma: PrismaClient, at?: Date): Promise<GraphRows> {
  const where = at ? inForceAt(at) : { validTo: null };
  const [edges, components, streams] = await Promise.all([
    prisma.moduleRelationship.findMany({
      where,
      select: { fromName: true, fromStream: true, type: true, toName: true, toStream: true },
    }),
    prisma.moduleComponent.findMany({ where, select: { moduleName: true, moduleStream: true, componentName: true } }),
    prisma.moduleStream.findMany({ where: at ? { createdAt: { lte: at } } : {}, select: { name: true, stream: true } }),
  ]);
  return { edges, components, streams };
}

/** Builds (or updates) a dependency index from graph rows: every stream, its edges and components. */
export function indexFrom(rows: GraphRows, index = new DependencyIndex()): DependencyIndex {
  const deps = new Map<string, { buildrequires: string[]; requires: string[] }>();
  for (const s of rows.streams) deps.set(moduleStreamKey(s.name, s.stream), { buildrequires: [], requires: [] });
  for (const e of rows.edges) {
    const node = moduleStreamKey(e.fromName, e.fromStream);
    const entry = deps.get(node) ?? { buildrequires: [], requires: [] };
    deps.set(node, entry);
    (e.type === 'BUILDREQUIRES' ? entry.buildrequires : entry.requires).push(moduleStreamKey(e.toName, e.toStream));
  }
  for (const [node, d] of deps) index.setModuleDependencies(node, d);
  const components = new Map<string, string[]>();
  for (const s of rows.streams) components.set(moduleStreamKey(s.name, s.stream), []);
  for (const c of rows.components) {
    const node = moduleStreamKey(c.moduleName, c.moduleStream);
    const list = components.get(node) ?? [];
    list.push(c.componentName);
    components.set(node, list);
  }
  for (const [node, list] of components) index.setModuleComponents(node, list);
  return index;
}

/** The dependency index of the graph in force now, or at `at`. */
export async function loadDependencyIndex(prisma: PrismaClient, at?: Date): Promise<DependencyIndex> {
  return indexFrom(await loadGraph(prisma, at));
}

export async function latestChangeId(prisma: PrismaClient): Promise<bigint> {
  const last = await prisma.dependencyChange.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
  return last?.id ?? 0n;
}

export async function changesSince(prisma: PrismaClient, afterId: bigint, limit = 5000) {
  return prisma.dependencyChange.findMany({ where: { id: { gt: afterId } }, orderBy: { id: 'asc' }, take: limit });
}

/** The current relationships and components of the given streams, for an incremental index update. */
export async function loadStreams(
  prisma: PrismaClient,
  streams: { name: string; stream: string }[],
): Promise<GraphRows> {
  if (streams.length === 0) return { edges: [], components: [], streams: [] };
  const [edges, components] = await Promise.all([openEdgesOf(prisma, streams), openComponentsOf(prisma, streams)]);
  return { edges, components, streams };
}

export interface ComponentView {
  name: string;
  ref: string | null;
  buildorder: number;
  rationale: string | null;
  since: string;
}

export async function componentsOfStream(
  prisma: PrismaClient,
  name: string,
  stream: string,
  at?: Date,
): Promise<ComponentView[]> {
  const rows = await prisma.moduleComponent.findMany({
    where: { moduleName: name, moduleStream: stream, ...(at ? inForceAt(at) : { validTo: null }) },
    orderBy: [{ buildorder: 'asc' }, { componentName: 'asc' }],
  });
  return rows.map((r) => ({
    name: r.componentName,
    ref: r.ref,
    buildorder: r.buildorder,
    rationale: r.rationale,
    since: r.validFrom.toISOString(),
  }));
}

export async function modulesOfComponent(prisma: PrismaClient, component: string, at?: Date) {
  const rows = await prisma.moduleComponent.findMany({
    where: { componentName: component, ...(at ? inForceAt(at) : { validTo: null }) },
    orderBy: [{ moduleName: 'asc' }, { moduleStream: 'asc' }],
  });
  return rows.map((r) => ({
    name: r.moduleName,
    stream: r.moduleStream,
    ref: r.ref,
    since: r.validFrom.toISOString(),
  }));
}

export async function relationshipsOfStream(prisma: PrismaClient, name: string, stream: string, at?: Date) {
  const rows = await prisma.moduleRelationship.findMany({
    where: { fromName: name, fromStream: stream, ...(at ? inForceAt(at) : { validTo: null }) },
    orderBy: [{ type: 'asc' }, { toName: 'asc' }, { toStream: 'asc' }],
  });
  return rows.map((r) => ({
    type: r.type.toLowerCase(),
    name: r.toName,
    stream: r.toStream,
    release: r.release,
    since: r.validFrom.toISOString(),
    until: r.validTo?.toISOString() ?? null,
  }));
}
