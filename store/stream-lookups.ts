// Current rows of many module streams at once. A join on unnest()ed (name, stream) arrays: the
// equivalent Prisma OR list of pairs was ~5x slower at thousands of streams (npm run bench -- deps).
import type { Prisma, PrismaClient } from '@prisma/client';

type Db = PrismaClient | Prisma.TransactionClient;
export interface StreamRef {
  name: string;
  stream: string;
}

const columns = (streams: StreamRef[]) => [streams.map((s) => s.name), streams.map((s) => s.stream)] as const;

export async function openEdgesOf(db: Db, streams: StreamRef[]) {
  if (streams.length === 0) return [];
  const [names, streamNames] = columns(streams);
  return db.$queryRaw<
    {
      id: bigint;
      fromName: string;
      fromStream: string;
      type: 'BUILDREQUIRES' | 'REQUIRES';
      toName: string;
      toStream: string;
    }[]
  >`
    SELECT r."id", r."fromName", r."fromStream", r."type"::text AS "type", r."toName", r."toStream"
    FROM "ModuleRelationship" r
    JOIN unnest(${names}::text[], ${streamNames}::text[]) AS s(name, stream) ON r."fromName" = s.name AND r."fromStream" = s.stream
    WHERE r."validTo" IS NULL`;
}

export async function openComponentsOf(db: Db, streams: StreamRef[]) {
  if (streams.length === 0) return [];
  const [names, streamNames] = columns(streams);
  return db.$queryRaw<
    {
      id: bigint;
      moduleName: string;
      moduleStream: string;
      componentName: string;
      ref: string | null;
      buildorder: number;
      rationale: string | null;
    }[]
  >`
    SELECT c."id", c."moduleName", c."moduleStream", c."componentName", c."ref", c."buildorder", c."rationale"
    FROM "ModuleComponent" c
    JOIN unnest(${names}::text[], ${streamNames}::text[]) AS s(name, stream) ON c."moduleName" = s.name AND c."moduleStream" = s.stream
    WHERE c."validTo" IS NULL`;
}

export async function knownStreamsOf(db: Db, streams: StreamRef[]) {
  if (streams.length === 0) return [];
  const [names, streamNames] = columns(streams);
  return db.$queryRaw<StreamRef[]>`
    SELECT m."name", m."stream" FROM "ModuleStream" m
    JOIN unnest(${names}::text[], ${streamNames}::text[]) AS s(name, stream) ON m."name" = s.name AND m."stream" = s.stream`;
}
