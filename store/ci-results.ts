// CI results (ResultsDB's job): one append-only row per test case of a run, keyed by
// `<runKey>/<testcase>` so a retried activity never records a result twice, and the run's verdict on
// the module build. A run's rows and its verdict are written in one transaction: a run either has
// all its results stored or none.
import type { Prisma, PrismaClient } from '@prisma/client';
import { objectKeys, resultNew } from '../domain/events';
import { appendEvents } from './events';
import { viaPrisma } from './sql';

export interface CiResultInput {
  testcase: string;
  outcome: 'PASSED' | 'FAILED' | 'ERROR';
  durationMs: number;
  log: string;
  /** free-form; `note` is the first line of the failure ('' when passed) */
  data: Record<string, unknown> & { note: string };
}

export interface CiRunRecord {
  runKey: string;
  nsvc: string;
  moduleBuildId: string;
  campaignId: string | null;
  results: CiResultInput[];
}

const runColumns = { id: true, testcase: true, outcome: true, item: true, durationMs: true, data: true } as const;
export type StoredCiRunResult = Prisma.CiResultGetPayload<{ select: typeof runColumns }>;

/** The stored results of a run, in the order they were recorded (empty when the run never finished). */
export async function readCiRun(prisma: PrismaClient, runKey: string): Promise<StoredCiRunResult[]> {
  return prisma.ciResult.findMany({ where: { runKey }, orderBy: { id: 'asc' }, select: runColumns });
}

/**
 * Records a finished run and sets the build's ciOutcome from what is stored: when another attempt of
 * the same run got there first, its rows stand and the returned rows are those.
 */
export async function recordCiRun(prisma: PrismaClient, run: CiRunRecord): Promise<StoredCiRunResult[]> {
  return prisma.$transaction(async (tx) => {
    await tx.ciResult.createMany({
      data: run.results.map((r) => ({
        testcase: r.testcase,
        outcome: r.outcome,
        itemType: 'module',
        item: run.nsvc,
        moduleBuildId: run.moduleBuildId,
        campaignId: run.campaignId,
        durationMs: r.durationMs,
        log: r.log,
        data: r.data as Prisma.InputJsonObject,
        runKey: run.runKey,
        resultKey: `${run.runKey}/${r.testcase}`,
      })),
      skipDuplicates: true,
    });
    const stored = await tx.ciResult.findMany({
      where: { runKey: run.runKey },
      orderBy: { id: 'asc' },
      select: runColumns,
    });
    const ciOutcome = stored.every((r) => r.outcome === 'PASSED') ? 'PASSED' : 'FAILED';
    await tx.moduleBuild.update({ where: { id: run.moduleBuildId }, data: { ciOutcome } });
    await announceResults(tx, run.runKey, objectKeys.moduleBuild(run.nsvc));
    return stored;
  });
}

/**
 * ResultsDB's result.new for each stored result of a run, keyed by the result's own natural key: a
 * retried run announces nothing twice. Called last in the run's transaction.
 */
export async function announceResults(tx: Prisma.TransactionClient, runKey: string, objectKey: string): Promise<void> {
  const rows = await tx.ciResult.findMany({ where: { runKey }, orderBy: { id: 'asc' } });
  await appendEvents(
    viaPrisma(tx),
    rows.map((r) => ({
      ...resultNew({ ...r, note: noteOf(r.data), submittedAt: r.createdAt, objectKey, refUrl: null }),
      naturalKey: `resultsdb/${r.resultKey}`,
    })),
  );
}

/** What a CI run needs to know about the build it checks. */
export async function findModuleBuildForCi(prisma: PrismaClient, nsvc: string) {
  return prisma.moduleBuild.findUnique({
    where: { nsvc },
    select: { id: true, nsvc: true, name: true, stream: true, state: true, modulemd: true, commitHash: true },
  });
}

export interface CiResultFilter {
  item?: string;
  testcase?: string;
  outcome?: string;
  campaignId?: string;
  runKey?: string;
  /** results older than this id (the previous page's cursor) */
  beforeId?: bigint;
  limit: number;
}

export const listColumns = {
  id: true,
  testcase: true,
  outcome: true,
  itemType: true,
  item: true,
  campaignId: true,
  durationMs: true,
  data: true,
  runKey: true,
  createdAt: true,
} as const;
export type ListedCiResult = Prisma.CiResultGetPayload<{ select: typeof listColumns }>;

/** Newest first, one page of `limit`, and whether there are more. */
export async function listCiResults(
  prisma: PrismaClient,
  filter: CiResultFilter,
): Promise<{ rows: ListedCiResult[]; more: boolean }> {
  const rows = await prisma.ciResult.findMany({
    where: {
      item: filter.item,
      testcase: filter.testcase,
      outcome: filter.outcome,
      campaignId: filter.campaignId,
      runKey: filter.runKey,
      ...(filter.beforeId !== undefined ? { id: { lt: filter.beforeId } } : {}),
    },
    orderBy: { id: 'desc' },
    take: filter.limit + 1,
    select: listColumns,
  });
  return { rows: rows.slice(0, filter.limit), more: rows.length > filter.limit };
}

export async function findCiResult(prisma: PrismaClient, id: bigint): Promise<ListedCiResult | null> {
  return prisma.ciResult.findUnique({ where: { id }, select: listColumns });
}

export async function readCiResultLog(prisma: PrismaClient, id: bigint): Promise<string | undefined> {
  const row = await prisma.ciResult.findUnique({ where: { id }, select: { log: true } });
  return row ? (row.log ?? '') : undefined;
}

/** The stored first line of a failure ('' when there is none). */
export function noteOf(data: unknown): string {
  const note = data && typeof data === 'object' && !Array.isArray(data) ? (data as { note?: unknown }).note : undefined;
  return typeof note === 'string' ? note : '';
}
