// Reads for the metadata service's in-memory dependency graph: the whole current graph in one
// statement (one snapshot, so the change-feed position read with it is exactly where the graph
// stands), the change feed after a position, and the current edges of the streams it names.
import type { PrismaClient } from '@prisma/client';
import type { DependencyRelation } from '../domain/dependencies';
import type { StreamDependencies } from '../domain/dependency-graph';
import { openEdgesOf, type StreamRef } from './stream-lookups';

export interface GraphSnapshot {
  streams: string[];
  edges: [string, DependencyRelation, string][];
  /** The newest change-feed id the snapshot includes. */
  high: bigint;
  /** Change ids above high - FEED_WINDOW the snapshot saw (to spot ids still in flight). */
  recentChangeIds: bigint[];
}

/** How far back a snapshot lists change ids: wider than any set of concurrent imports. */
export const FEED_WINDOW = 20_000;

/**
 * The current graph as JSON texts from one statement: JSON.parse of a few MB is far cheaper than
 * 300,000 row objects through the driver. (Numbering the nodes in SQL, so that the process interns
 * nothing, halved this process's CPU but made PostgreSQL sort and join to disk: 2-4x slower overall.)
 */
export async function readGraphSnapshot(prisma: PrismaClient): Promise<GraphSnapshot> {
  const [row] = await prisma.$queryRaw<{ high: string; streams: string; edges: string; recent: string }[]>`
    WITH high AS (SELECT coalesce(max("id"), 0) AS id FROM "DependencyChange")
    SELECT
      (SELECT id FROM high)::text AS high,
      (SELECT coalesce(json_agg("name" || ':' || "stream"), '[]') FROM "ModuleStream")::text AS streams,
      (SELECT coalesce(json_agg(json_build_array("fromName" || ':' || "fromStream", "type" = 'REQUIRES',
        "toName" || ':' || "toStream")), '[]')
        FROM "ModuleRelationship" WHERE "validTo" IS NULL)::text AS edges,
      (SELECT coalesce(json_agg("id"::text), '[]') FROM "DependencyChange"
        WHERE "id" > (SELECT id FROM high) - ${FEED_WINDOW})::text AS recent`;
  if (!row) throw new Error('reading the dependency graph returned no row');
  const edges = (JSON.parse(row.edges) as [string, boolean, string][]).map(
    ([from, requires, to]): [string, DependencyRelation, string] => [from, requires ? 'requires' : 'buildrequires', to],
  );
  return {
    streams: JSON.parse(row.streams) as string[],
    edges,
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
