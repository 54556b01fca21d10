// Module builds and their component builds: rows upserted by natural key (NSVC; module build + name),
// every state change appended once, and the lookups a module build needs (ready builds of a stream,
// a reusable component build).
import type { ComponentBuildState, ModuleBuildState, PrismaClient } from '@prisma/client';
import { componentStateChange, moduleStateChange } from '../domain/events';
import { newRecordId, utc } from './bulk-inserts';
import { appendEvents } from './events';
import { sql, sqlFor, type SqlSession } from './sql';

export interface ModuleBuildRecord {
  nsvc: string;
  name: string;
  stream: string;
  version: string;
  context: string;
  commitHash: string;
  strategy: string;
  workflowId: string;
  owner: string;
  campaignId?: string | null;
}

/** The columns a module build's state change is announced with, as one statement returns them. */
interface ModuleBuildStateRow {
  id: string;
  name: string;
  stream: string;
  version: string;
  context: string;
  state: ModuleBuildState;
  stateReason: string | null;
  owner: string;
  strategy: string;
  commitHash: string;
  campaignId: string | null;
  /** ISO text: a raw timestamp read back is parsed in the process's zone by some adapters */
  createdAt: string;
  changed: boolean;
  componentIds: string[];
}

/**
 * One statement locks, updates and records the state change (the row is refreshed even when the state
 * stays, e.g. its modulemd), then the event, when this call moved the state: of two attempts of the
 * same change only one announces it. A module build's states are most of its store round trips, which
 * is why this is SQL and not three Prisma calls (bench: `npm run bench -- campaign`).
 */
export async function setModuleBuildState(
  prisma: PrismaClient,
  nsvc: string,
  state: ModuleBuildState,
  patch: { reason?: string | null; modulemd?: string } = {},
): Promise<void> {
  const at = new Date();
  await sqlFor(prisma).transaction(async (session) => {
    const row = await moveModuleBuildState(session, nsvc, state, at, patch);
    if (row.changed)
      await appendEvents(session, [moduleStateChange({ ...row, createdAt: new Date(row.createdAt) }, at)]);
  });
}

async function moveModuleBuildState(
  session: SqlSession,
  nsvc: string,
  state: ModuleBuildState,
  at: Date,
  patch: { reason?: string | null; modulemd?: string },
): Promise<ModuleBuildStateRow> {
  const reason = patch.reason ?? null;
  const rows = await session.query<ModuleBuildStateRow>(sql`
    WITH target AS (SELECT id, state FROM "ModuleBuild" WHERE nsvc = ${nsvc} FOR UPDATE),
    updated AS (
      UPDATE "ModuleBuild" m
      SET state = ${state}::"ModuleBuildState", "stateReason" = ${reason}::text,
          modulemd = COALESCE(${patch.modulemd ?? null}::text, m.modulemd), "updatedAt" = ${utc(at)}::timestamp(3)
      FROM target WHERE m.id = target.id
      RETURNING m.id, m.name, m.stream, m.version, m.context, m.state::text AS state, m."stateReason", m.owner,
                m.strategy, m."commitHash", m."campaignId",
                to_char(m."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt", target.state <> m.state AS changed
    ),
    recorded AS (
      INSERT INTO "ModuleBuildStateChange" ("moduleBuildId", state, reason, at)
      SELECT id, ${state}::"ModuleBuildState", ${reason}::text, ${utc(at)}::timestamp(3) FROM updated
      ON CONFLICT DO NOTHING
    )
    SELECT u.*, ARRAY(SELECT c.id FROM "ComponentBuild" c WHERE c."moduleBuildId" = u.id ORDER BY c."mbsId") AS "componentIds"
    FROM updated u`);
  const row = rows[0];
  if (!row) throw new Error(`no module build ${nsvc} to set ${state}`);
  return row;
}

/**
 * A planned build in one transaction: the row (once; its init announced when this call created it), its
 * component builds, and — `begin`, for a build not ready yet — the states wait and build, announced when
 * they moved. Answers the state the build was in before (null: new), so a retried plan changes nothing
 * twice. Planning took three transactions and about twenty statements; a campaign plans every module.
 */
export async function recordPlannedModuleBuild(
  prisma: PrismaClient,
  record: ModuleBuildRecord,
  components: PlannedComponent[],
  begin: boolean,
): Promise<{ id: string; before: ModuleBuildState | null }> {
  const at = new Date();
  return sqlFor(prisma).transaction(async (session) => {
    const created = await session.query<{ id: string }>(sql`
      INSERT INTO "ModuleBuild" (id, name, stream, version, context, nsvc, state, "commitHash", strategy, "campaignId",
                                 "workflowId", owner, "createdAt", "updatedAt")
      VALUES (${newRecordId()}, ${record.name}, ${record.stream}, ${record.version}, ${record.context}, ${record.nsvc},
              'init', ${record.commitHash}, ${record.strategy}, ${record.campaignId ?? null}, ${record.workflowId},
              ${record.owner}, ${utc(at)}::timestamp(3), ${utc(at)}::timestamp(3))
      ON CONFLICT DO NOTHING
      RETURNING id`);
    const found = await session.query<{ id: string; state: ModuleBuildState }>(sql`
      WITH target AS (SELECT id, state::text AS state FROM "ModuleBuild" WHERE nsvc = ${record.nsvc} FOR UPDATE),
      components AS (
        INSERT INTO "ComponentBuild" (id, "moduleBuildId", name, "commitHash", batch, state)
        SELECT c.id, target.id, c.name, c.hash, c.batch, 'waiting'
        FROM target, unnest(${components.map(() => newRecordId())}::text[], ${components.map((c) => c.name)}::text[],
                            ${components.map((c) => c.commitHash)}::text[], ${components.map((c) => c.batch)}::int[])
                     AS c(id, name, hash, batch)
        ON CONFLICT DO NOTHING
      ),
      init AS (
        INSERT INTO "ModuleBuildStateChange" ("moduleBuildId", state, reason, at)
        SELECT id, 'init', NULL, ${utc(at)}::timestamp(3) FROM target
        ON CONFLICT DO NOTHING
      )
      SELECT id, state FROM target`);
    const row = found[0];
    if (!row)
      throw new Error(
        `module build ${record.nsvc} was not recorded (its workflow id ${record.workflowId} names another build?)`,
      );
    const before = created.length > 0 ? null : row.state;
    const events = [];
    if (before === null) {
      const facts = { ...record, id: row.id, campaignId: record.campaignId ?? null, state: 'init' as const };
      events.push(moduleStateChange({ ...facts, stateReason: null, createdAt: at, componentIds: [] }, at));
    }
    const moves: ModuleBuildState[] =
      !begin || before === 'ready' || before === 'build' ? [] : before === 'wait' ? ['build'] : ['wait', 'build'];
    for (const state of moves) {
      const moved = await moveModuleBuildState(session, record.nsvc, state, at, {});
      if (moved.changed) events.push(moduleStateChange({ ...moved, createdAt: new Date(moved.createdAt) }, at));
    }
    await appendEvents(session, events);
    return { id: row.id, before };
  });
}

export interface PlannedComponent {
  name: string;
  commitHash: string;
  batch: number;
}

export interface ComponentOutcome {
  state: ComponentBuildState;
  buildrootHash?: string;
  nvr?: string | null;
  taskId?: string | null;
  reusedFromId?: string | null;
  reason?: string | null;
}

/** The columns a component build's state change is announced with. */
interface ComponentBuildStateRow {
  id: string;
  name: string;
  state: ComponentBuildState;
  stateReason: string | null;
  taskId: string | null;
  moduleBuildId: string;
  nvr: string | null;
  batch: number;
  commitHash: string;
  reusedFromId: string | null;
  changed: boolean;
}

/** A column set to the outcome's value when the outcome names it (undefined leaves it as it is). */
const given = (value: string | null | undefined) => ({ set: value !== undefined, value: value ?? null });

/** Like setModuleBuildState: one statement for the row, then the event when the state moved. */
export async function setComponentBuildState(
  prisma: PrismaClient,
  nsvc: string,
  name: string,
  outcome: ComponentOutcome,
): Promise<void> {
  const at = utc(new Date());
  const hash = given(outcome.buildrootHash);
  const nvr = given(outcome.nvr);
  const task = given(outcome.taskId);
  const reused = given(outcome.reusedFromId);
  const starts = outcome.state === 'building';
  const ends = ['complete', 'failed', 'reused'].includes(outcome.state);
  await sqlFor(prisma).transaction(async (session) => {
    const rows = await session.query<ComponentBuildStateRow>(sql`
      WITH target AS (
        SELECT c.id, c.state FROM "ComponentBuild" c JOIN "ModuleBuild" m ON m.id = c."moduleBuildId"
        WHERE m.nsvc = ${nsvc} AND c.name = ${name} FOR UPDATE OF c
      )
      UPDATE "ComponentBuild" c
      SET state = ${outcome.state}::"ComponentBuildState", "stateReason" = ${outcome.reason ?? null}::text,
          "buildrootHash" = CASE WHEN ${hash.set}::boolean THEN ${hash.value}::text ELSE c."buildrootHash" END,
          nvr = CASE WHEN ${nvr.set}::boolean THEN ${nvr.value}::text ELSE c.nvr END,
          "taskId" = CASE WHEN ${task.set}::boolean THEN ${task.value}::text ELSE c."taskId" END,
          "reusedFromId" = CASE WHEN ${reused.set}::boolean THEN ${reused.value}::text ELSE c."reusedFromId" END,
          "startedAt" = CASE WHEN ${starts}::boolean THEN ${at}::timestamp(3) ELSE c."startedAt" END,
          "finishedAt" = CASE WHEN ${ends}::boolean THEN ${at}::timestamp(3) ELSE c."finishedAt" END
      FROM target WHERE c.id = target.id
      RETURNING c.id, c.name, c.state::text AS state, c."stateReason", c."taskId", c."moduleBuildId", c.nvr, c.batch,
                c."commitHash", c."reusedFromId", target.state <> c.state AS changed`);
    const row = rows[0];
    if (!row) throw new Error(`no component build ${name} in module build ${nsvc}`);
    if (!row.changed) return;
    await appendEvents(session, [componentStateChange({ ...row, nsvc })]);
  });
}

/** A component build as recorded, when it is complete or reused (its nvr and buildroot hash). */
export async function recordedComponentBuild(prisma: PrismaClient, nsvc: string, name: string) {
  return prisma.componentBuild.findFirst({
    where: { name, moduleBuild: { nsvc }, state: { in: ['complete', 'reused'] } },
    select: { state: true, nvr: true, buildrootHash: true },
  });
}

/** A successful build of the same source in the same buildroot, in another module build: reusable. */
export async function findReusableComponentBuild(
  prisma: PrismaClient,
  name: string,
  commitHash: string,
  buildrootHash: string,
  exceptNsvc: string,
) {
  return prisma.componentBuild.findFirst({
    where: { name, commitHash, buildrootHash, state: 'complete', moduleBuild: { nsvc: { not: exceptNsvc } } },
    orderBy: { finishedAt: 'asc' },
    select: { id: true, nvr: true, taskId: true },
  });
}

/**
 * The latest ready build of a module stream (by version) that CI has not failed: a build whose CI
 * failed is never a buildrequire, so dependents of a skipped module build against the last good one.
 */
export async function latestReadyModuleBuild(prisma: PrismaClient, name: string, stream: string) {
  return (await latestReadyModuleBuilds(prisma, [{ name, stream }])).get(`${name}:${stream}`);
}

export interface ReadyModuleBuild {
  nsvc: string;
  version: string;
  context: string;
  modulemd: string | null;
}

/**
 * The same for several streams in one statement, keyed name:stream (a stream without one is absent).
 * Versions are digit strings: the longer is the larger, then the text order is the number order.
 * Only the latest row of each stream is read: a stream's older builds (and their modulemd) stay put.
 */
export async function latestReadyModuleBuilds(
  prisma: PrismaClient,
  streams: readonly { name: string; stream: string }[],
): Promise<Map<string, ReadyModuleBuild>> {
  if (streams.length === 0) return new Map();
  const rows = await sqlFor(prisma).query<ReadyModuleBuild & { name: string; stream: string }>(sql`
    SELECT DISTINCT ON (m.name, m.stream) m.name, m.stream, m.nsvc, m.version, m.context, m.modulemd
    FROM "ModuleBuild" m
    JOIN unnest(${streams.map((s) => s.name)}::text[], ${streams.map((s) => s.stream)}::text[]) AS s(name, stream)
      ON m.name = s.name AND m.stream = s.stream
    WHERE m.state = 'ready' AND (m."ciOutcome" IS NULL OR m."ciOutcome" <> 'FAILED')
    ORDER BY m.name, m.stream, length(m.version) DESC, m.version DESC`);
  return new Map(
    rows.map((r) => [
      `${r.name}:${r.stream}`,
      { nsvc: r.nsvc, version: r.version, context: r.context, modulemd: r.modulemd },
    ]),
  );
}
