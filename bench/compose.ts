// `npm run bench -- compose`: a compose of 300 ready module builds (small real RPMs, made once by
// bench/compose-module-builds.ts) in two variants of 150 modules with comps groups, run by the real
// Compose workflow and its activities on a worker in this process, against a real Temporal dev
// server and a private PostgreSQL cluster, and published to a mirror tree. The release is defined
// through Comps-as-a-Service's API, the compose started through the compose API. Then a second
// compose with nothing changed. Tool time comes from activities/pungi/tool-runs.ts (turned on here
// only); phase time from the ComposePhase rows. CASCADE_BENCH_COMPOSE_MODULES changes the module
// count (for a quick try); CASCADE_BENCH_CACHE keeps the module builds between runs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import type { PrismaClient } from '@prisma/client';
import { Client, type Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { startRecordingToolRuns, stopRecordingToolRuns } from '../activities/pungi/tool-runs';
import { ensureInitialReleaseEngineer } from '../api/identity/tokens';
import { loadConfig, type CascadeConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { createLogger } from '../platform/logger';
import { applyMigrations } from '../platform/migrations';
import type { PostgresCluster } from '../platform/postgres-cluster';
import { apiDependencies, startApiServer } from '../workers/api-server';
import { createCascadeWorker, installTemporalRuntime } from '../workers/worker-runtime';
import { startBenchServers } from './bench-servers';
import { benchModuleBuilds, type BenchModuleBuild } from './compose-module-builds';
import { composeFigures, type ComposeBenchFigures, type ComposeRunFigures } from './compose-report';
import { cpuSince, cpuSnapshot, findPostmaster } from './process-cpu';

const MODULES = Number(process.env.CASCADE_BENCH_COMPOSE_MODULES ?? 300);
const RELEASE = 'bench-29';
const COMPOSE_TIME_LIMIT_MS = 60 * 60_000;

interface BenchContext {
  config: CascadeConfig;
  prisma: PrismaClient;
  apiUrl: string;
  token: string;
  temporal: Client;
  temporalPid: number | undefined;
  postmasterPid: number | undefined;
}

export async function runComposeBench(): Promise<ComposeBenchFigures> {
  const logger = createLogger('warn');
  installTemporalRuntime(logger);
  const { scratch, cluster, devServer, connection, onStop, stop } = await startBenchServers('compose');
  try {
    const setupStarted = performance.now();
    const cacheDir = process.env.CASCADE_BENCH_CACHE
      ? path.resolve(process.env.CASCADE_BENCH_CACHE)
      : path.join(scratch, 'module-builds');
    const builds = await benchModuleBuilds(cacheDir, MODULES);
    const home = path.join(scratch, 'home');
    fs.mkdirSync(home, { recursive: true });
    // The builds' repositories as Koji left them: hard links, so every run starts from the same files.
    execFileSync('cp', ['-al', path.join(cacheDir, 'koji'), path.join(home, 'koji')]);
    const databaseUrl = await freshDatabase(cluster, 'compose');
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: devServer.address,
      CASCADE_DATA_DIR: home,
      CASCADE_DISTGIT_ROOT: path.join(home, 'distgit'),
      CASCADE_WEBHOOK_SECRET_FILE: path.join(home, 'secret'),
      CASCADE_KOJI_ROOT: path.join(home, 'koji'),
      CASCADE_TASK_QUEUE: 'bench-compose',
    });
    const db = await openDatabase({ kind: 'postgres', url: databaseUrl });
    onStop(() => db.close());
    await recordReadyBuilds(db.prisma, builds);
    const context = await startApiAndWorker(config, db.prisma, connection, devServer, cluster, onStop);
    const variants = await defineRelease(context, builds);
    const setupMs = performance.now() - setupStarted;
    const runs: ComposeRunFigures[] = [];
    for (const label of ['first', 'second (nothing changed)']) runs.push(await runOneCompose(context, label));
    return { modules: builds.length, variants, setupMs, runs };
  } finally {
    await stop();
  }
}

async function freshDatabase(cluster: PostgresCluster, name: string): Promise<string> {
  const admin = new PgClient({ connectionString: cluster.url() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = cluster.url(name);
  await applyMigrations({ kind: 'postgres', url });
  return url;
}

/** The builds as a finished moduleBuild and a passed CI would leave them: ready, ciOutcome PASSED. */
async function recordReadyBuilds(prisma: PrismaClient, builds: BenchModuleBuild[]): Promise<void> {
  await prisma.moduleBuild.createMany({
    data: builds.map((b) => ({
      name: b.name,
      stream: b.stream,
      version: b.version,
      context: b.context,
      nsvc: b.nsvc,
      state: 'ready' as const,
      commitHash: '0'.repeat(40),
      workflowId: `bench-module-build-${b.nsvc}`,
      modulemd: b.modulemd,
      owner: 'bench',
      ciOutcome: 'PASSED',
    })),
  });
}

async function startApiAndWorker(
  config: CascadeConfig,
  prisma: PrismaClient,
  connection: Connection,
  devServer: { address: string; process: { pid?: number } },
  cluster: PostgresCluster,
  onStop: (cleanup: () => Promise<void>) => void,
): Promise<BenchContext> {
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const issued = await ensureInitialReleaseEngineer(prisma);
  if (!issued) throw new Error('the bench database already has a release engineer');
  const api = await startApiServer(apiDependencies(config, prisma, temporal, createLogger('warn')), '127.0.0.1', 0);
  onStop(() => api.close());
  const native = await NativeConnection.connect({ address: devServer.address });
  onStop(() => native.close());
  const worker = await createCascadeWorker({ config, prisma, connection: native });
  const running = worker.run();
  onStop(async () => {
    worker.shutdown();
    await running;
  });
  return {
    config,
    prisma,
    apiUrl: api.url,
    token: issued.token,
    temporal,
    temporalPid: devServer.process.pid,
    postmasterPid: findPostmaster(cluster.port),
  };
}

async function call(c: BenchContext, method: string, urlPath: string, body: unknown, type = 'application/json') {
  const res = await fetch(c.apiUrl + urlPath, {
    method,
    headers: { 'content-type': type, authorization: `Bearer ${c.token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Two variants, half the modules each, each with a comps group of its first ten modules' packages. */
async function defineRelease(c: BenchContext, builds: BenchModuleBuild[]) {
  const half = Math.ceil(builds.length / 2);
  const variants = [
    { uid: 'Server', builds: builds.slice(0, half) },
    { uid: 'Extras', builds: builds.slice(half) },
  ];
  const group = (uid: string, members: BenchModuleBuild[]) => `  <group>
    <id>bench-${uid.toLowerCase()}</id>
    <name>Bench ${uid}</name>
    <description>The first modules of ${uid}</description>
    <default>true</default>
    <uservisible>true</uservisible>
    <packagelist>
${members
  .slice(0, 10)
  .map((b) => `      <packagereq type="mandatory">${b.name}</packagereq>\n`)
  .join('')}    </packagelist>
  </group>
`;
  const comps = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
<comps>
${variants.map((v) => group(v.uid, v.builds)).join('')}</comps>
`;
  const variantsXml = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE variants PUBLIC "-//Red Hat, Inc.//DTD Variants info//EN" "variants2012.dtd">
<variants>
${variants
  .map(
    (v) => `  <variant id="${v.uid}" name="${v.uid}" type="variant">
    <arches><arch>x86_64</arch></arches>
    <groups><group default="true">bench-${v.uid.toLowerCase()}</group></groups>
    <modules>${v.builds.map((b) => `<module>${b.name}:${b.stream}/default</module>`).join('')}</modules>
  </variant>
`,
  )
  .join('')}</variants>
`;
  await call(c, 'POST', '/api/v1/releases', { key: RELEASE });
  await call(c, 'POST', `/api/v1/releases/${RELEASE}/comps.xml`, comps, 'application/xml');
  await call(c, 'POST', `/api/v1/releases/${RELEASE}/variants.xml`, variantsXml, 'application/xml');
  return variants.map((v) => ({ uid: v.uid, modules: v.builds.length }));
}

async function runOneCompose(c: BenchContext, label: string): Promise<ComposeRunFigures> {
  startRecordingToolRuns();
  const cpuBefore = cpuSnapshot(c.temporalPid, c.postmasterPid);
  const startedAt = Date.now();
  const started = await call(c, 'POST', '/api/v1/composes', { release: RELEASE, type: 'nightly' });
  const composeId = String(started.composeId);
  const outcome = await untilFinished(c, String(started.workflowId), composeId);
  const finishedAt = Date.now();
  const cpu = cpuSince(cpuBefore, cpuSnapshot(c.temporalPid, c.postmasterPid));
  const samples = stopRecordingToolRuns();
  if (outcome.status !== 'FINISHED') throw new Error(`compose ${composeId} ended ${outcome.status}: ${outcome.reason}`);
  const row = await c.prisma.compose.findUniqueOrThrow({
    where: { composeId },
    include: { phases: { orderBy: { startedAt: 'asc' } } },
  });
  if (!row.publishedAt) throw new Error(`compose ${composeId} finished but was not published`);
  const composeDir = path.join(c.config.composes.topdir, composeId);
  const recordsDir = path.join(composeDir, 'work', 'x86_64', 'createrepo');
  const reused = Object.fromEntries(
    fs
      .readdirSync(recordsDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [
        f.replace(/\.json$/, ''),
        (JSON.parse(fs.readFileSync(path.join(recordsDir, f), 'utf8')) as { reused: boolean }).reused,
      ]),
  );
  return composeFigures({
    label,
    composeId,
    status: outcome.status,
    startedAt,
    finishedAt,
    phases: row.phases.map((p) => ({
      phase: p.phase,
      startedAt: p.startedAt.getTime(),
      finishedAt: (p.finishedAt ?? p.startedAt).getTime(),
    })),
    samples,
    reused,
    cpu,
  });
}

async function untilFinished(c: BenchContext, workflowId: string, composeId: string) {
  const handle = c.temporal.workflow.getHandle(workflowId);
  const began = performance.now();
  const progress = setInterval(() => {
    c.prisma.compose
      .findUnique({ where: { composeId }, select: { phase: true } })
      .then((r) =>
        console.error(
          `compose ${composeId}: ${r?.phase ?? '?'} after ${((performance.now() - began) / 1000).toFixed(0)} s`,
        ),
      )
      .catch(() => undefined);
  }, 30_000);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`compose ${composeId} did not finish in time`)), COMPOSE_TIME_LIMIT_MS);
  });
  try {
    return await Promise.race([handle.result() as Promise<{ status: string; reason: string | null }>, limit]);
  } catch (error) {
    await handle.terminate('benchmark time limit').catch(() => undefined);
    throw error;
  } finally {
    clearInterval(progress);
    clearTimeout(timer);
  }
}
