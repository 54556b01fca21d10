// A campaign's per-module progress as the windowed campaign workflow keeps it: in the store, not in the
// workflow. Readiness is a counter (pendingDeps: dependencies not yet through), so the next launch is
// an indexed read; a pass or skip lowers its dependents' counters, a failure blocks what lies above it
// and a relaunch or skip releases it. Every write is keyed — a launch by its number, an attempt's
// outcome by its attempt, a skip by the module's state — so a retried activity changes nothing twice.
import { Prisma, type PrismaClient } from '@prisma/client';
import type { CampaignModuleState } from '../domain/campaign';
import { splitModuleStreamKey } from '../domain/dependencies';
import { campaignModuleStateChange } from '../domain/events';
import type { CampaignActionRecord } from './campaigns';
import { utc } from './bulk-inserts';
import { appendEvents } from './events';
import { sql, sqlFor, sqlText, viaPrisma, type SqlSession } from './sql';

type Tx = Prisma.TransactionClient;

const node = (r: { name: string; stream: string }) => `${r.name}:${r.stream}`;
const keyOf = (campaignId: string, n: string) => ({ campaignId, ...splitModuleStreamKey(n) });
const SKIPPABLE: ReadonlySet<string> = new Set(['failed', 'blocked', 'waiting']);
/**
 * A failure low in a large campaign blocks (and its retry releases) tens of thousands of rows in one
 * transaction: more than Prisma's default 5 s for an interactive transaction on a loaded machine.
 */
const LARGE_TRANSACTION = { timeout: 120_000, maxWait: 30_000 };
/** Rows per statement: far below PostgreSQL's 65,535 bind parameters. */
const CHUNK = 1_000;

export interface LaunchedModule {
  node: string;
  tier: number;
  attempt: number;
  state: 'building' | 'testing';
}

export interface LaunchRequest {
  campaignId: string;
  /** the launch's number: a retried launch answers what it started the first time */
  key: number;
  /** attempts a person asked for: started as given */
  relaunches: { node: string; attempt: number; state: 'building' | 'testing' }[];
  /** how many ready modules (waiting, every dependency through) to start, lowest tier first */
  claim: number;
}

/** Marks the launch's modules started in the store and answers them; the caller starts their attempts. */
export async function launchCampaignModules(prisma: PrismaClient, request: LaunchRequest): Promise<LaunchedModule[]> {
  const { campaignId, key } = request;
  return prisma.$transaction(async (tx) => {
    const earlier = await tx.campaignModule.findMany({
      where: { campaignId, launch: key },
      select: { name: true, stream: true, tier: true, attempt: true },
    });
    if (earlier.length > 0) {
      const asked = new Map(request.relaunches.map((r) => [r.node, r.state]));
      return earlier.map((r) => ({
        node: node(r),
        tier: r.tier,
        attempt: r.attempt,
        state: asked.get(node(r)) ?? ('building' as const),
      }));
    }
    const launched: LaunchedModule[] = [];
    for (const r of request.relaunches) {
      const row = await tx.campaignModule.update({
        where: { campaignId_name_stream: keyOf(campaignId, r.node) },
        data: { state: r.state, attempt: r.attempt, launch: key, failure: null },
      });
      launched.push({ node: r.node, tier: row.tier, attempt: r.attempt, state: r.state });
      await releaseDependents(tx, campaignId, [r.node]);
    }
    if (request.claim > 0) {
      const ready = await tx.campaignModule.findMany({
        where: { campaignId, state: 'waiting', pendingDeps: 0 },
        orderBy: [{ tier: 'asc' }, { name: 'asc' }, { stream: 'asc' }],
        take: request.claim,
        select: { id: true, name: true, stream: true, tier: true, attempt: true },
      });
      for (const part of chunks(ready)) {
        await tx.campaignModule.updateMany({
          where: { id: { in: part.map((r) => r.id) }, state: 'waiting' },
          data: { state: 'building', attempt: { increment: 1 }, launch: key },
        });
      }
      launched.push(
        ...ready.map((r) => ({ node: node(r), tier: r.tier, attempt: r.attempt + 1, state: 'building' as const })),
      );
    }
    await announce(
      tx,
      campaignId,
      launched.map((l) => l.node),
    );
    return launched;
  }, LARGE_TRANSACTION);
}

export interface AttemptFinish {
  node: string;
  attempt: number;
  state: 'passed' | 'failed' | 'cancelled';
  nsvc: string | null;
  failedStep: 'build' | 'ci' | null;
  failure: string | null;
}

/**
 * An attempt's outcome, once (only while that attempt is the module's current one and in flight): a
 * pass lowers its dependents' counters, a failure blocks what waits above it.
 */
export async function finishCampaignModuleAttempt(
  prisma: PrismaClient,
  campaignId: string,
  finish: AttemptFinish,
): Promise<boolean> {
  if (finish.state === 'passed')
    return sqlFor(prisma).transaction((session) => passAttempt(session, campaignId, finish));
  return prisma.$transaction(async (tx) => {
    const res = await tx.campaignModule.updateMany({
      where: { ...keyOf(campaignId, finish.node), attempt: finish.attempt, state: { in: ['building', 'testing'] } },
      data: { state: finish.state, nsvc: finish.nsvc, failedStep: finish.failedStep, failure: finish.failure },
    });
    if (res.count === 0) return false;
    await announce(tx, campaignId, [finish.node, ...(await blockAbove(tx, campaignId, [finish.node]))]);
    return true;
  }, LARGE_TRANSACTION);
}

/** The columns a campaign module's state change is announced with, as the statements below return them. */
const ANNOUNCED = sqlText(
  `m."campaignId", m.name, m.stream, m.tier, m.state, m.attempt, m.nsvc, m."failedStep", m.failure`,
);
type AnnouncedRow = Parameters<typeof campaignModuleStateChange>[0];

/**
 * A pass, the most frequent write of a campaign: one statement records it and lowers its dependents'
 * counters (from the dependents list it holds), then its event. It was four Prisma calls, each
 * compiled anew for its number of dependents.
 */
async function passAttempt(session: SqlSession, campaignId: string, finish: AttemptFinish): Promise<boolean> {
  const { name, stream } = splitModuleStreamKey(finish.node);
  const at = utc(new Date());
  const rows = await session.query<AnnouncedRow>(sql`
    WITH passed AS (
      UPDATE "CampaignModule" m
      SET state = 'passed', nsvc = ${finish.nsvc}, "failedStep" = NULL, failure = NULL, "updatedAt" = ${at}::timestamp(3)
      WHERE m."campaignId" = ${campaignId} AND m.name = ${name} AND m.stream = ${stream}
        AND m.attempt = ${finish.attempt} AND m.state IN ('building', 'testing')
      RETURNING ${ANNOUNCED}, m.dependents
    ), lowered AS (
      UPDATE "CampaignModule" t SET "pendingDeps" = t."pendingDeps" - 1, "updatedAt" = ${at}::timestamp(3)
      FROM passed p CROSS JOIN LATERAL jsonb_array_elements_text(p.dependents) AS d(key)
      WHERE t."campaignId" = ${campaignId} AND t.name = split_part(d.key, ':', 1)
        AND t.stream = substr(d.key, strpos(d.key, ':') + 1)
    )
    SELECT "campaignId", name, stream, tier, state, attempt, nsvc, "failedStep", failure FROM passed`);
  if (rows.length === 0) return false;
  await appendEvents(session, rows.map(campaignModuleStateChange));
  return true;
}

/** The module's state as the campaign's attempts wrote it: building → testing once its build is ready. */
export async function markCampaignModuleTesting(
  prisma: PrismaClient,
  campaignId: string,
  update: { node: string; attempt: number; nsvc: string },
): Promise<void> {
  const { name, stream } = splitModuleStreamKey(update.node);
  const at = utc(new Date());
  await sqlFor(prisma).transaction(async (session) => {
    const rows = await session.query<AnnouncedRow>(sql`
      UPDATE "CampaignModule" m SET state = 'testing', nsvc = ${update.nsvc}, "updatedAt" = ${at}::timestamp(3)
      WHERE m."campaignId" = ${campaignId} AND m.name = ${name} AND m.stream = ${stream}
        AND m.attempt = ${update.attempt} AND m.state = 'building'
      RETURNING ${ANNOUNCED}`);
    await appendEvents(session, rows.map(campaignModuleStateChange));
  });
}

/**
 * A person's skip, recorded with the action in one transaction: only of a failed, blocked or waiting
 * module. Answers whether it applied and the state it found; the same action retried applies once.
 */
export async function skipCampaignModule(
  prisma: PrismaClient,
  campaignId: string,
  skip: { node: string; reason: string | null; action: CampaignActionRecord },
): Promise<{ applied: boolean; state: CampaignModuleState | null }> {
  return prisma.$transaction(async (tx) => {
    const seen = await tx.campaignAction.findUnique({
      where: { actionKey: skip.action.actionKey },
      select: { id: true },
    });
    if (seen) return { applied: true, state: 'skipped' };
    const where = keyOf(campaignId, skip.node);
    const row = await tx.campaignModule.findFirst({ where, select: { state: true } });
    const state = (row?.state as CampaignModuleState | undefined) ?? null;
    if (!state || !SKIPPABLE.has(state)) return { applied: false, state };
    await tx.campaignModule.updateMany({
      where: { ...where, state },
      data: { state: 'skipped', failure: skip.reason },
    });
    await tx.campaignAction.createMany({ data: [skip.action], skipDuplicates: true });
    await lowerCounters(tx, campaignId, [skip.node]);
    const released = await releaseDependents(tx, campaignId, [skip.node]);
    await announce(tx, campaignId, [skip.node, ...released]);
    return { applied: true, state };
  }, LARGE_TRANSACTION);
}

export async function campaignModuleState(
  prisma: PrismaClient,
  campaignId: string,
  n: string,
): Promise<CampaignModuleState | null> {
  const row = await prisma.campaignModule.findFirst({ where: keyOf(campaignId, n), select: { state: true } });
  return (row?.state as CampaignModuleState | undefined) ?? null;
}

/** Cancel: every module not through is cancelled. */
export async function cancelCampaignModules(prisma: PrismaClient, campaignId: string, failure: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const open = await tx.campaignModule.findMany({
      where: { campaignId, state: { notIn: ['passed', 'skipped', 'cancelled'] } },
      select: { name: true, stream: true },
    });
    await tx.campaignModule.updateMany({
      where: { campaignId, state: { notIn: ['passed', 'skipped', 'cancelled'] } },
      data: { state: 'cancelled', failure },
    });
    await announce(tx, campaignId, open.map(node));
  }, LARGE_TRANSACTION);
}

/** The modules that passed or were skipped lower each of their dependents' counters by one. */
async function lowerCounters(tx: Tx, campaignId: string, through: readonly string[]): Promise<void> {
  for (const n of through) {
    const dependents = await dependentsOf(tx, campaignId, n);
    for (const part of chunks(dependents)) {
      await tx.campaignModule.updateMany({
        where: { campaignId, OR: part.map((d) => splitModuleStreamKey(d)) },
        data: { pendingDeps: { decrement: 1 } },
      });
    }
  }
}

/**
 * SQL: joins the campaign's module `alias` whose key (name:stream) is the text `key`, split at its first
 * ':' as splitModuleStreamKey does (names hold no ':').
 */
function moduleAtKey(alias: string, campaignId: string, key: string): Prisma.Sql {
  const [m, k] = [Prisma.raw(alias), Prisma.raw(key)];
  return Prisma.sql`JOIN "CampaignModule" ${m} ON ${m}."campaignId" = ${campaignId}
    AND ${m}.name = split_part(${k}, ':', 1) AND ${m}.stream = substr(${k}, strpos(${k}, ':') + 1)`;
}

/**
 * Blocks every waiting module above the failed ones (transitively); answers those it blocked. One
 * statement, whatever the campaign's size: a recursive walk up the stored dependents lists through
 * waiting modules (a failure in tier 0 of a 40,000-module campaign blocks tens of thousands at once).
 */
async function blockAbove(tx: Tx, campaignId: string, failed: readonly string[]): Promise<string[]> {
  if (failed.length === 0) return [];
  const rows = await tx.$queryRaw<{ name: string; stream: string }[]>`
    WITH RECURSIVE above(name, stream, seed) AS (
      SELECT split_part(f, ':', 1), substr(f, strpos(f, ':') + 1), true FROM unnest(${[...failed]}::text[]) AS f
      UNION
      SELECT t.name, t.stream, false
      FROM above a
      JOIN "CampaignModule" m ON m."campaignId" = ${campaignId} AND m.name = a.name AND m.stream = a.stream
      CROSS JOIN LATERAL jsonb_array_elements_text(m.dependents) AS d(key)
      ${moduleAtKey('t', campaignId, 'd.key')} AND t.state = 'waiting'
    )
    UPDATE "CampaignModule" c SET state = 'blocked', "updatedAt" = now()
    FROM (SELECT DISTINCT name, stream FROM above WHERE NOT seed) b
    WHERE c."campaignId" = ${campaignId} AND c.name = b.name AND c.stream = b.stream AND c.state = 'waiting'
    RETURNING c.name, c.stream`;
  return rows.map(node);
}

/**
 * Blocked modules above these (transitively) whose dependencies no longer fail: waiting again. Answers
 * those it released. One statement per layer: the blocked dependents of the layer whose every
 * dependency is out of a blocking state (judged as the layer began: a module held back only by another
 * of the same layer is released with the next layer, as that one's dependent).
 */
async function releaseDependents(tx: Tx, campaignId: string, from: readonly string[]): Promise<string[]> {
  const released: string[] = [];
  let layer = [...from];
  while (layer.length > 0) {
    const rows = await tx.$queryRaw<{ name: string; stream: string }[]>`
      WITH layer AS (
        SELECT split_part(f, ':', 1) AS name, substr(f, strpos(f, ':') + 1) AS stream
        FROM unnest(${layer}::text[]) AS f
      ), candidates AS (
        SELECT DISTINCT t.id, t."dependsOn"
        FROM layer l
        JOIN "CampaignModule" m ON m."campaignId" = ${campaignId} AND m.name = l.name AND m.stream = l.stream
        CROSS JOIN LATERAL jsonb_array_elements_text(m.dependents) AS d(key)
        ${moduleAtKey('t', campaignId, 'd.key')} AND t.state = 'blocked'
      ), free AS (
        SELECT c.id FROM candidates c
        WHERE NOT EXISTS (
          SELECT 1 FROM jsonb_array_elements_text(c."dependsOn") AS dep(key)
          ${moduleAtKey('b', campaignId, 'dep.key')}
          WHERE b.state IN ('failed', 'blocked', 'cancelled'))
      )
      UPDATE "CampaignModule" u SET state = 'waiting', "updatedAt" = now()
      FROM free WHERE u.id = free.id
      RETURNING u.name, u.stream`;
    layer = rows.map(node);
    released.push(...layer);
  }
  return released;
}

async function dependentsOf(tx: Tx, campaignId: string, n: string): Promise<string[]> {
  const row = await tx.campaignModule.findFirst({ where: keyOf(campaignId, n), select: { dependents: true } });
  return (row?.dependents as string[] | undefined) ?? [];
}

/** Appends the modules' state changes to the outbox, as they are now. */
async function announce(tx: Tx, campaignId: string, nodes: readonly string[]): Promise<void> {
  if (nodes.length === 0) return;
  for (const part of chunks([...nodes])) {
    const rows = await tx.campaignModule.findMany({
      where: { campaignId, OR: part.map((n) => splitModuleStreamKey(n)) },
    });
    await appendEvents(viaPrisma(tx), rows.map(campaignModuleStateChange));
  }
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
