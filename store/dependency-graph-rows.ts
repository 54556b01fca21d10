// Reads for the metadata service's in-memory dependency graph: the whole current graph in one
// statement (one snapshot, so the change-feed position read with it is exactly where the graph
// stands), the change feed after a position, and the current edges of the streams it names.
import type { PrismaClient } from '@prisma/client';
import type { EdgeColumns, StreamDependencies } from '../domain/dependency-graph';
import { openEdgesOf, type StreamRef } from './stream-lookups';

export interface GraphSnapshot {
  /** The module streams the store holds, in name order (byte order of name:stream). */
  streams: string[];
  /** The current relationships as columns. */
  edges: EdgeColumns;
  /** The newest change-feed id the snapshot includes. */
  high: bigint;
  /** Change ids above high - FEED_WINDOW the snapshot saw (to spot ids still in flight). */
  recentChangeIds: bigint[];
}

/** How far back a snapshot lists change ids: wider than any set of concurrent imports. */
export const FEED_WINDOW = 20_000;

/**
 * The current graph from one statement, edges as three flat columns (from names, to names, and one
 * letter per edge for its relation): PostgreSQL builds no JSON value per edge (a third of the time
 * of json_build_array rows) and the process parses no array per edge. Streams come sorted in byte
 * order, which is the graph's name order, so its rank sort meets sorted input. (Numbering the nodes
 * in SQL, so that the process interns nothing, halved this process's CPU but made PostgreSQL sort
 * and join to disk: 2-4x slower overall.)
 */
export async function readGraphSnapshot(prisma: PrismaClient): Promise<GraphSnapshot> {
  const [row] = await prisma.$queryRaw<
    { high: string; streams: string; froms: string | null; tos: string | null; kinds: string | null; recent: string }[]
  >`
    WITH high AS (SELECT coalesce(max("id"), 0) AS id FROM "DependencyChange"),
    edges AS (
      SELECT json_agg("fromName" || ':' || "fromStream")::text AS froms,
        json_agg("toName" || ':' || "toStream")::text AS tos,
        string_agg(CASE WHEN "type" = 'REQUIRES' THEN 'r' ELSE 'b' END, '') AS kinds
      FROM "ModuleRelationship" WHERE "validTo" IS NULL)
    SELECT
      (SELECT id FROM high)::text AS high,
      (SELECT coalesce(json_agg("name" || ':' || "stream" ORDER BY ("name" || ':' || "stream") COLLATE "C"), '[]')
        FROM "ModuleStream")::text AS streams,
      edges.froms, edges.tos, edges.kinds,
      (SELECT coalesce(json_agg("id"::text), '[]') FROM "DependencyChange"
        WHERE "id" > (SELECT id FROM high) - ${FEED_WINDOW})::text AS recent
    FROM edges`;
  if (!row) throw new Error('reading the dependency graph returned no row');
  const from = row.froms ? (JSON.parse(row.froms) as string[]) : [];
  const to = row.tos ? (JSON.parse(row.tos) as string[]) : [];
  const kinds = row.kinds ?? '';
  if (from.length !== to.length || kinds.length !== from.length)
    throw new Error(
      `reading the dependency graph: ${from.length} sources, ${to.length} targets, ${kinds.length} kinds`,
    );
  return {
    streams: JSON.parse(row.streams) as string[],
    edges: { from, to, isRequires: (i) => kinds.charCodeAt(i) === 114 /* r */ },
    high: BigInt(row.high),
    recentChangeIds: (JSON.parse(row.recent) as string[]).map((id) => BigInt(id)),
  };
}

export interface ChangeRow {
  id: bigint;
  moduleName: string;
  moduleStream: string;
}

/**
 * Changes after `after`, plus those among `pending` ids that have committed since. Every question
 * to the metadata service asks this first, and almost always finds nothing: without holes it is
 * one raw statement, about half the cost of the same read through the query builder.
 */
export async function changesAfter(
  prisma: PrismaClient,
  after: bigint,
  pending: readonly bigint[],
  limit: number,
): Promise<ChangeRow[]> {
  if (pending.length === 0) {
    const rows = await prisma.$queryRaw<{ id: bigint | number | string; moduleName: string; moduleStream: string }[]>`
      SELECT "id", "moduleName", "moduleStream" FROM "DependencyChange"
      WHERE "id" > ${after} ORDER BY "id" LIMIT ${limit}`;
    return rows.map((r) => ({ id: BigInt(r.id), moduleName: r.moduleName, moduleStream: r.moduleStream }));
  }
  return prisma.dependencyChange.findMany({
    where: { OR: [{ id: { gt: after } }, { id: { in: [...pending] } }] },
    orderBy: { id: 'asc' },
    take: limit,
    select: { id: true, moduleName: true, moduleStream: true },
  });
}

/** How many changes lie after `after` (to choose between catching up and reloading). */
export function countChangesAfter(prisma: PrismaClient, after: bigint): Promise<number> {
  return prisma.dependencyChange.count({ where: { id: { gt: after } } });
}

/** The current dependencies of the given streams, every one of them listed (edgeless ones too). */
export async function currentDependenciesOf(prisma: PrismaClient, streams: StreamRef[]): Promise<StreamDependencies[]> {
  const byNode = new Map<string, { node: string; buildrequires: string[]; requires: string[] }>();
  for (const s of streams) {
    const node = `${s.name}:${s.stream}`;
    byNode.set(node, { node, buildrequires: [], requires: [] });
  }
  for (const e of await openEdgesOf(prisma, streams)) {
    const entry = byNode.get(`${e.fromName}:${e.fromStream}`);
    if (!entry) continue;
    (e.type === 'REQUIRES' ? entry.requires : entry.buildrequires).push(`${e.toName}:${e.toStream}`);
  }
  return [...byNode.values()];
}
