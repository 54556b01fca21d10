// Reads for the metadata service's in-memory dependency graph: the whole current graph in one
// statement (one snapshot, so the change-feed position read with it is exactly where the graph
// stands), and a step of the change feed after a position with the current edges of the streams it names.
import type { PrismaClient } from '@prisma/client';
import type { EdgeColumns, StreamDependencies } from '../domain/dependency-graph';

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

/** One step of a catch-up: the feed's next changes and the current dependencies of their streams. */
export interface FeedStep {
  /** The change ids read, ascending. */
  ids: bigint[];
  /** Every stream those changes name, with its current dependencies (edgeless ones too). */
  streams: StreamDependencies[];
}

/**
 * Changes after `after` (plus those among `pending` ids that have committed since), at most `limit`,
 * with the current edges of the streams they name: one statement, so one snapshot, with the edges as
 * flat columns like the graph snapshot's (2-3x faster than the changes and then the edges as rows,
 * which is what a catch-up during a bulk import waits for).
 */
export async function readFeedStep(
  prisma: PrismaClient,
  after: bigint,
  pending: readonly bigint[],
  limit: number,
): Promise<FeedStep> {
  const holes = pending.map((id) => id.toString());
  const [row] = await prisma.$queryRaw<
    { ids: string; nodes: string; froms: string | null; tos: string | null; kinds: string | null }[]
  >`
    WITH changes AS (
      SELECT "id", "moduleName", "moduleStream" FROM "DependencyChange"
      WHERE "id" > ${after} OR "id" = ANY(${holes}::text[]::bigint[])
      ORDER BY "id" LIMIT ${limit}),
    streams AS (SELECT DISTINCT "moduleName" AS name, "moduleStream" AS stream FROM changes),
    edges AS (
      SELECT json_agg(r."fromName" || ':' || r."fromStream")::text AS froms,
        json_agg(r."toName" || ':' || r."toStream")::text AS tos,
        string_agg(CASE WHEN r."type" = 'REQUIRES' THEN 'r' ELSE 'b' END, '') AS kinds
      FROM "ModuleRelationship" r JOIN streams s ON r."fromName" = s.name AND r."fromStream" = s.stream
      WHERE r."validTo" IS NULL)
    SELECT (SELECT coalesce(json_agg("id"::text ORDER BY "id"), '[]') FROM changes)::text AS ids,
      (SELECT coalesce(json_agg(name || ':' || stream), '[]') FROM streams)::text AS nodes,
      edges.froms, edges.tos, edges.kinds
    FROM edges`;
  if (!row) throw new Error('reading the change feed returned no row');
  const byNode = new Map<string, { node: string; buildrequires: string[]; requires: string[] }>();
  for (const node of JSON.parse(row.nodes) as string[]) byNode.set(node, { node, buildrequires: [], requires: [] });
  const from = row.froms ? (JSON.parse(row.froms) as string[]) : [];
  const to = row.tos ? (JSON.parse(row.tos) as string[]) : [];
  const kinds = row.kinds ?? '';
  for (let i = 0; i < from.length; i += 1) {
    const entry = byNode.get(from[i]!);
    if (entry) (kinds.charCodeAt(i) === 114 /* r */ ? entry.requires : entry.buildrequires).push(to[i]!);
  }
  return { ids: (JSON.parse(row.ids) as string[]).map((id) => BigInt(id)), streams: [...byNode.values()] };
}

/** How many changes lie after `after` (to choose between catching up and reloading). */
export function countChangesAfter(prisma: PrismaClient, after: bigint): Promise<number> {
  return prisma.dependencyChange.count({ where: { id: { gt: after } } });
}
