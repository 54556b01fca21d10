// ResultsDB's queries over CI results: results filtered the way ResultsDB 2.x filters them (test
// cases, outcomes, groups, time, and any key of a result's extra data, exactly or with `*` wildcards),
// the latest result per test case, the test cases and the groups (a CI run, a campaign). Every user
// value is a bound parameter. Used by api/routes/resultsdb.ts.
import { Prisma, type PrismaClient } from '@prisma/client';
import type { GroupKind } from '../domain/resultsdb';
import { listColumns, type ListedCiResult } from './ci-results';

/** A data key with a column of its own (indexed where it matters); any other key is read from `data`. */
const COLUMN_KEYS: Record<string, Prisma.Sql> = {
  item: Prisma.sql`"item"`,
  type: Prisma.sql`"itemType"`,
  run_key: Prisma.sql`"runKey"`,
  campaign: Prisma.sql`"campaignId"`,
  duration_ms: Prisma.sql`("durationMs"::text)`,
};

export interface DataFilter {
  key: string;
  /** `like`: values are patterns with `*` for any run of characters */
  like: boolean;
  values: string[];
}

export interface ResultsQuery {
  testcases?: string[];
  testcasePatterns?: string[];
  outcomes?: string[];
  /** results of any of these CI runs or campaigns (the groups' keys); an empty pair matches nothing */
  groups?: { runKeys: string[]; campaignIds: string[] };
  since?: { start: Date; end?: Date };
  data: DataFilter[];
}

const likePattern = (value: string) => value.replaceAll('*', '%');

function anyOf(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length === 0 ? Prisma.sql`FALSE` : Prisma.sql`(${Prisma.join(conditions, ' OR ')})`;
}

/** One filter on a data key: ResultsDB matches when any of the result's values for the key matches. */
function dataCondition(filter: DataFilter): Prisma.Sql {
  const match = (value: Prisma.Sql) =>
    filter.like
      ? anyOf(filter.values.map((v) => Prisma.sql`${value} LIKE ${likePattern(v)}`))
      : Prisma.sql`${value} IN (${Prisma.join(filter.values)})`;
  const column = COLUMN_KEYS[filter.key];
  if (column) return match(column);
  // A stored value is a string, a scalar (matched as its JSON text) or a list of them.
  return Prisma.sql`EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE jsonb_typeof("data" -> ${filter.key})
    WHEN 'array' THEN "data" -> ${filter.key} ELSE jsonb_build_array("data" ->> ${filter.key}) END) AS v(value)
    WHERE ${match(Prisma.sql`v.value`)})`;
}

function testcaseCondition(q: ResultsQuery): Prisma.Sql | undefined {
  const conditions: Prisma.Sql[] = [];
  if (q.testcases?.length) conditions.push(Prisma.sql`"testcase" IN (${Prisma.join(q.testcases)})`);
  for (const pattern of q.testcasePatterns ?? []) conditions.push(Prisma.sql`"testcase" LIKE ${likePattern(pattern)}`);
  return conditions.length ? anyOf(conditions) : undefined;
}

function whereOf(q: ResultsQuery, options: { outcomes: boolean }): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  const testcases = testcaseCondition(q);
  if (testcases) conditions.push(testcases);
  if (options.outcomes && q.outcomes?.length) conditions.push(Prisma.sql`"outcome" IN (${Prisma.join(q.outcomes)})`);
  if (q.groups) {
    const { runKeys, campaignIds } = q.groups;
    const inGroups: Prisma.Sql[] = [];
    if (runKeys.length) inGroups.push(Prisma.sql`"runKey" IN (${Prisma.join(runKeys)})`);
    if (campaignIds.length) inGroups.push(Prisma.sql`"campaignId" IN (${Prisma.join(campaignIds)})`);
    conditions.push(anyOf(inGroups));
  }
  if (q.since) conditions.push(Prisma.sql`"createdAt" >= ${q.since.start}`);
  if (q.since?.end) conditions.push(Prisma.sql`"createdAt" <= ${q.since.end}`);
  for (const filter of q.data) conditions.push(dataCondition(filter));
  return Prisma.join(conditions, ' AND ');
}

async function rowsById(prisma: PrismaClient, ids: bigint[]): Promise<ListedCiResult[]> {
  if (ids.length === 0) return [];
  const rows = await prisma.ciResult.findMany({ where: { id: { in: ids } }, select: listColumns });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * One page of results, newest first unless `ascending` (ids follow submit times: a row gets its time
 * when it is inserted); `limit + 1` rows are read so the caller knows whether a next page exists.
 */
export async function selectResults(
  prisma: PrismaClient,
  q: ResultsQuery,
  page: { offset: number; limit: number; ascending: boolean },
): Promise<ListedCiResult[]> {
  const order = page.ascending ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const ids = await prisma.$queryRaw<{ id: bigint }[]>`SELECT "id" FROM "CiResult"
    WHERE ${whereOf(q, { outcomes: true })}
    ORDER BY "id" ${order} LIMIT ${page.limit + 1} OFFSET ${page.offset}`;
  return rowsById(
    prisma,
    ids.map((r) => r.id),
  );
}

/**
 * ResultsDB's /results/latest: per test case (and per value of each `distinctOn` data key) the newest
 * matching result, newest first. Outcomes do not filter here, as in ResultsDB.
 */
export async function selectLatestResults(
  prisma: PrismaClient,
  q: ResultsQuery,
  distinctOn: string[],
): Promise<ListedCiResult[]> {
  const keyValue = (key: string) => COLUMN_KEYS[key] ?? Prisma.sql`("data" ->> ${key})`;
  const distinct = Prisma.join([Prisma.sql`"testcase"`, ...distinctOn.map(keyValue)]);
  const ids = await prisma.$queryRaw<{ id: bigint }[]>`SELECT "id" FROM (
      SELECT DISTINCT ON (${distinct}) "id" FROM "CiResult" WHERE ${whereOf(q, { outcomes: false })}
      ORDER BY ${distinct}, "id" DESC
    ) AS latest ORDER BY "id" DESC`;
  return rowsById(
    prisma,
    ids.map((r) => r.id),
  );
}

export interface TestcaseQuery {
  names?: string[];
  patterns?: string[];
}

/** Test case names in name order, one page (limit + 1 read). */
export async function selectTestcases(
  prisma: PrismaClient,
  q: TestcaseQuery,
  page: { offset: number; limit: number },
): Promise<string[]> {
  const conditions: Prisma.Sql[] = [];
  if (q.names?.length) conditions.push(Prisma.sql`"testcase" IN (${Prisma.join(q.names)})`);
  for (const pattern of q.patterns ?? []) conditions.push(Prisma.sql`"testcase" LIKE ${likePattern(pattern)}`);
  const where = conditions.length ? anyOf(conditions) : Prisma.sql`TRUE`;
  const rows = await prisma.$queryRaw<{ testcase: string }[]>`SELECT "testcase" FROM "CiResult" WHERE ${where}
    GROUP BY "testcase" ORDER BY "testcase" LIMIT ${page.limit + 1} OFFSET ${page.offset}`;
  return rows.map((r) => r.testcase);
}

export async function testcaseExists(prisma: PrismaClient, name: string): Promise<boolean> {
  return (await prisma.ciResult.findFirst({ where: { testcase: name }, select: { id: true } })) !== null;
}

export type { GroupKind };
export interface GroupRow {
  kind: GroupKind;
  key: string;
  results: number;
}

export interface GroupQuery {
  /** only these groups (resolved from their UUIDs) */
  keys?: { kind: GroupKind; key: string }[];
  descriptions?: string[];
  descriptionPatterns?: string[];
}

const groupRows = Prisma.sql`(
    SELECT 'run' AS "kind", "runKey" AS "key", MIN("id") AS "first", COUNT(*)::int AS "results",
      'CI run ' || "runKey" AS "description"
    FROM "CiResult" WHERE "runKey" IS NOT NULL GROUP BY "runKey"
  UNION ALL
    SELECT 'campaign', "campaignId", MIN("id"), COUNT(*)::int, 'campaign ' || "campaignId"
    FROM "CiResult" WHERE "campaignId" IS NOT NULL GROUP BY "campaignId"
  ) AS g`;

/** Groups newest first (by their first result), one page (limit + 1 read). */
export async function selectGroups(
  prisma: PrismaClient,
  q: GroupQuery,
  page: { offset: number; limit: number },
): Promise<GroupRow[]> {
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (q.keys) conditions.push(anyOf(q.keys.map((k) => Prisma.sql`(g."kind" = ${k.kind} AND g."key" = ${k.key})`)));
  if (q.descriptions?.length) conditions.push(Prisma.sql`g."description" IN (${Prisma.join(q.descriptions)})`);
  else if (q.descriptionPatterns?.length)
    conditions.push(anyOf(q.descriptionPatterns.map((p) => Prisma.sql`g."description" LIKE ${likePattern(p)}`)));
  return prisma.$queryRaw<GroupRow[]>`SELECT g."kind", g."key", g."results" FROM ${groupRows}
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY g."first" DESC, g."kind" ASC LIMIT ${page.limit + 1} OFFSET ${page.offset}`;
}

/** The CI runs and campaigns that have results with an id above `afterId`, and the highest id seen. */
export async function groupKeysSince(
  prisma: PrismaClient,
  afterId: bigint,
): Promise<{ runKeys: string[]; campaignIds: string[]; lastId: bigint }> {
  const last = await prisma.ciResult.aggregate({ _max: { id: true } });
  const lastId = last._max.id ?? afterId;
  const [runs, campaigns] = await Promise.all([
    prisma.ciResult.findMany({
      where: { id: { gt: afterId, lte: lastId }, runKey: { not: null } },
      distinct: ['runKey'],
      select: { runKey: true },
    }),
    prisma.ciResult.findMany({
      where: { id: { gt: afterId, lte: lastId }, campaignId: { not: null } },
      distinct: ['campaignId'],
      select: { campaignId: true },
    }),
  ]);
  return {
    runKeys: runs.flatMap((r) => (r.runKey ? [r.runKey] : [])),
    campaignIds: campaigns.flatMap((r) => (r.campaignId ? [r.campaignId] : [])),
    lastId,
  };
}
