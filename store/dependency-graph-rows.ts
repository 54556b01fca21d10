// Reads for the metadata service's in-memory dependency graph: the whole current graph in one
// statement (one snapshot, so the change-feed position read with it is exactly where the graph
// stands), the change feed after a position, and the current edges of the streams it names.
import type { PrismaClient } from '@prisma/client';
import type { StreamDependencies } from '../domain/dependency-graph';
import { openEdgesOf, type StreamRef } from './stream-lookups';

export interface GraphSnapshot {
  /** Every stream and edge target, numbered in byte order of "name:stream" (ids are name ranks). */
  nodes: string[];
  /** Ids of the nodes the store holds as module streams. */
  streams: number[];
  /** Per edge: from id * 2 + (1 for requires, 0 for buildrequires). */
  edgeFrom: number[];
  /** Per edge: the target's id. */
  edgeTo: number[];
  /** The newest change-feed id the snapshot includes. */
  high: bigint;
  /** Change ids above high - FEED_WINDOW the snapshot saw (to spot ids still in flight). */
  recentChangeIds: bigint[];
}

/** How far back a snapshot lists change ids: wider than any set of concurrent imports. */
export const FEED_WINDOW = 20_000;

/**
 * The current graph in one statement, numbered by PostgreSQL: JSON arrays of names and of integer
 * ids parse far faster than 300,000 row objects through the driver, and the process interns no
 * edge endpoint by name (60,000 streams load in well under a second).
 */
export async function readGraphSnapshot(prisma: PrismaClient): Promise<GraphSnapshot> {
  const [row] = await prisma.$queryRaw<
    { high: string; nodes: string; streams: string; edge_from: string; edge_to: string; recent: string }[]
  >`
    WITH high AS (SELECT coalesce(max("id"), 0) AS id FROM "DependencyChange"),
    edges AS (
      SELECT "fromName" || ':' || "fromStream" AS f, "toName" || ':' || "toStream" AS t,
        CASE WHEN "type" = 'REQUIRES' THEN 1 ELSE 0 END AS r
      FROM "ModuleRelationship" WHERE "validTo" IS NULL),
    named AS (
      SELECT "name" || ':' || "stream" AS node FROM "ModuleStream" UNION SELECT f FROM edges UNION SELECT t FROM edges),
    numbered AS (SELECT node, (row_number() OVER (ORDER BY node COLLATE "C") - 1)::int AS id FROM named)
    SELECT
      (SELECT id FROM high)::text AS high,
      (SELECT coalesce(json_agg(node ORDER BY id), '[]') FROM numbered)::text AS nodes,
      (SELECT coalesce(json_agg(n.id ORDER BY n.id), '[]') FROM numbered n
        JOIN "ModuleStream" m ON n.node = m."name" || ':' || m."stream")::text AS streams,
      e.edge_from::text AS edge_from, e.edge_to::text AS edge_to,
      (SELECT coalesce(json_agg("id"::text), '[]') FROM "DependencyChange"
        WHERE "id" > (SELECT id FROM high) - ${FEED_WINDOW})::text AS recent
    FROM (SELECT coalesce(json_agg(nf.id * 2 + edges.r), '[]') AS edge_from, coalesce(json_agg(nt.id), '[]') AS edge_to
      FROM edges JOIN numbered nf ON nf.node = edges.f JOIN numbered nt ON nt.node = edges.t) e`;
  if (!row) throw new Error('reading the dependency graph returned no row');
  return {
    nodes: JSON.parse(row.nodes) as string[],
    streams: JSON.parse(row.streams) as number[],
    edgeFrom: JSON.parse(row.edge_from) as number[],
    edgeTo: JSON.parse(row.edge_to) as number[],
    high: BigInt(row.high),
    recentChangeIds: (JSON.parse(row.recent) as string[]).map((id) => BigInt(id)),
  };
}

export interface ChangeRow {
  id: bigint;
  moduleName: string;
  moduleStream: string;
}

/** Changes after `after`, plus those among `pending` ids that have committed since. */
export async function changesAfter(
  prisma: PrismaClient,
  after: bigint,
  pending: readonly bigint[],
  limit: number,
): Promise<ChangeRow[]> {
  const where =
    pending.length === 0 ? { id: { gt: after } } : { OR: [{ id: { gt: after } }, { id: { in: [...pending] } }] };
  return prisma.dependencyChange.findMany({
    where,
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
