// `npm run bench -- campaign [--modules N]`: a rebuild campaign over 1,000 module streams in 10 tiers
// (or N, in 32 tiers from 5,000 on), run by the real workflows (windowedRebuildCampaign,
// campaignModuleAttempt, moduleBuild) and the real activities on a
// worker in this process, against a real Temporal dev server (in memory, loopback) and a private
// PostgreSQL cluster, with the outside world at zero cost (bench/instant-adapters.ts). Measured in the
// same run: the Temporal floor (one child workflow with one no-op activity, per tier), one module's
// attempt alone, history sizes, and the worker process's memory. Everything under one scratch
// directory, removed at the end; each run has its own database, task queue and time limit.
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import type { PrismaClient } from '@prisma/client';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../activities';
import { startCampaign } from '../clients/campaign-client';
import { campaignIdFor, changeKeyOf, DEFAULT_REBUILD_STRATEGY, type CampaignStart } from '../domain/campaign';
import { campaignSettings, loadConfig, type CascadeConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { createLogger } from '../platform/logger';
import { applyMigrations } from '../platform/migrations';
import { createNotifierFromConfig } from '../platform/notifier-setup';
import type { PostgresCluster } from '../platform/postgres-cluster';
import { installTemporalRuntime } from '../workers/worker-runtime';
import { startBenchServers, type TemporalStore } from './bench-servers';
import { measureFloor, measureHistories, measureSoloAttempts } from './campaign-measurements';
import { type CampaignRunFigures, median, MemorySampler, type StatementFigures } from './campaign-report';
import { InMemoryDistGit, InstantBuilder, InstantModuleCi, writeNoModuleRepo } from './instant-adapters';
import {
  BENCH_BRANCH,
  CHANGED_COMPONENT,
  generateTieredDistribution,
  loadTieredDistribution,
  type TieredDistribution,
} from './tiered-distribution';
import { cpuSince, cpuSnapshot, findPostmaster } from './process-cpu';

const SEED = 29;
/** 1,000 modules in 10 tiers (the default); a campaign of 5,000 modules or more in 32 tiers */
const tiersFor = (modules: number) => (modules >= 5_000 ? 32 : 10);
/** undefined: CASCADE_CAMPAIGN_CONCURRENCY's default; a large campaign runs at 50 only */
const concurrenciesFor = (modules: number): (number | undefined)[] => (modules > 1_000 ? [50] : [undefined, 50]);
/** 20 min, or 3 modules/s for a larger campaign (a busy machine runs the 40,000 at about 5) */
const timeLimitFor = (modules: number) => Math.max(20 * 60_000, (modules / 3) * 1000);

interface Infrastructure {
  scratch: string;
  cluster: PostgresCluster;
  temporalPid: number | undefined;
  temporalStore: TemporalStore;
  postmasterPid: number | undefined;
  temporalAddress: string;
  client: Client;
  native: NativeConnection;
  /** the bench's workflow bundle, built once: every run's worker and the replays use it */
  workflowBundle: WorkflowBundle;
  /** `--statements`: the store's statements per module, from pg_stat_statements */
  statements: boolean;
}

/** pg_stat_statements, loaded at the cluster's start (it needs shared memory of its own) */
const STATEMENT_SETTINGS = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track': 'all',
  'pg_stat_statements.max': '2000',
};

const WORKFLOWS_PATH = path.join(__dirname, 'campaign-workflows.ts');

/** in memory up to 5,000 modules; on a SQLite file beyond (bench/bench-servers.ts says why) */
const temporalStoreFor = (modules: number): TemporalStore => (modules > 5_000 ? 'file' : 'memory');

export async function runCampaignBench(options: {
  modules: number;
  concurrency?: number;
  temporalStore?: TemporalStore;
  statements?: boolean;
}): Promise<CampaignRunFigures[]> {
  installTemporalRuntime(createLogger('warn'));
  const temporalStore = options.temporalStore ?? temporalStoreFor(options.modules);
  const { scratch, cluster, devServer, connection, onStop, stop } = await startBenchServers(
    'campaign',
    temporalStore,
    options.statements ? STATEMENT_SETTINGS : {},
  );
  try {
    const native = await NativeConnection.connect({ address: devServer.address });
    onStop(() => native.close());
    const infra: Infrastructure = {
      scratch,
      cluster,
      temporalPid: devServer.process.pid,
      temporalStore,
      postmasterPid: findPostmaster(cluster.port),
      temporalAddress: devServer.address,
      client: new Client({ connection }),
      native,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }),
      statements: options.statements ?? false,
    };
    const tiers = tiersFor(options.modules);
    const distribution = generateTieredDistribution(SEED, tiers, Math.ceil(options.modules / tiers));
    const figures: CampaignRunFigures[] = [];
    for (const concurrency of options.concurrency ? [options.concurrency] : concurrenciesFor(options.modules))
      figures.push(await runOnce(infra, distribution, concurrency));
    return figures;
  } finally {
    await stop();
  }
}

async function freshDatabase(infra: Infrastructure, name: string): Promise<string> {
  const admin = new PgClient({ connectionString: infra.cluster.url() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = infra.cluster.url(name);
  await applyMigrations({ kind: 'postgres', url });
  return url;
}

async function runOnce(
  infra: Infrastructure,
  distribution: TieredDistribution,
  requestedConcurrency: number | undefined,
): Promise<CampaignRunFigures> {
  const label = `c${requestedConcurrency ?? 'default'}`;
  const databaseUrl = await freshDatabase(infra, `campaign_${label}`);
  const home = path.join(infra.scratch, label);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: infra.temporalAddress,
    CASCADE_DATA_DIR: home,
    CASCADE_KOJI_ROOT: path.join(home, 'koji'),
    CASCADE_TASK_QUEUE: `bench-campaign-${label}`,
    ...(requestedConcurrency ? { CASCADE_CAMPAIGN_CONCURRENCY: String(requestedConcurrency) } : {}),
  });
  const concurrency = config.campaigns.concurrency;
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl });
  const memory = new MemorySampler(infra.temporalPid);
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  try {
    const distGit = new InMemoryDistGit();
    const loadStarted = performance.now();
    const loaded = await loadTieredDistribution(distribution, distGit, db.prisma, new Date('2020-01-06T10:00:00Z'));
    const loadMs = performance.now() - loadStarted;
    const builder = new InstantBuilder();
    worker = await Worker.create({
      connection: infra.native,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      workflowBundle: infra.workflowBundle,
      activities: {
        ...createActivities({
          prisma: db.prisma,
          distGit,
          builder,
          kojiRoot: config.builds.kojiRoot,
          campaigns: { settings: campaignSettings(config), pushBranches: [], taskQueue: config.temporal.taskQueue },
          notifier: createNotifierFromConfig(config.notify, db.prisma),
          ci: new InstantModuleCi(),
          writeModuleRepo: writeNoModuleRepo,
          composes: config.composes,
        }),
        benchNoop: async () => undefined,
      },
    });
    running = worker.run();
    const { client } = infra;
    const floorBefore = await measureFloor(client, config, `${label}-before`);

    if (infra.statements) await resetStatements(databaseUrl);
    memory.start();
    const triggeredAt = new Date().toISOString();
    const start = campaignStartOf(config, label, triggeredAt, distGit);
    const cpuBefore = cpuSnapshot(infra.temporalPid, infra.postmasterPid);
    const started = performance.now();
    const { workflowId } = await startCampaign(client, config.temporal.taskQueue, start);
    const limitMs = timeLimitFor(distribution.modules.length);
    const result = await untilFinished(client, db.prisma, workflowId, start.campaignId, label, limitMs);
    const totalMs = performance.now() - started;
    const cpu = cpuSince(cpuBefore, cpuSnapshot(infra.temporalPid, infra.postmasterPid));
    const campaignMemory = memory.stop();
    const statements = infra.statements ? await readStatements(databaseUrl, distribution.modules.length) : undefined;
    const row = await db.prisma.campaign.findUniqueOrThrow({ where: { id: start.campaignId } });
    if (
      result.state !== 'finished' ||
      result.counts.passed !== distribution.modules.length ||
      row.tierCount !== distribution.tiers
    )
      throw new Error(
        `campaign ${label} ended ${result.state} (${JSON.stringify(result.counts)}, ${row.tierCount} tiers)`,
      );

    const solo = await measureSoloAttempts(client, config, distribution, label, triggeredAt);
    const floorAfter = await measureFloor(client, config, `${label}-after`);
    const floorPerTierMs = median([...floorBefore, ...floorAfter]);
    const soloMs = median(solo.map((s) => s.ms));
    const floorMs = floorPerTierMs * distribution.tiers;
    const modules = distribution.modules.length;
    const aimMs = 2 * (floorMs + (soloMs * modules) / concurrency);

    const histories = await measureHistories(client, workflowId, start.campaignId, distribution, infra.workflowBundle);
    return {
      label,
      concurrency,
      modules,
      tiers: distribution.tiers,
      components: distribution.components,
      edges: distribution.edges,
      storeLoad: { ms: loadMs, ...loaded },
      totalMs,
      floorPerTierMs,
      floorSamplesMs: [...floorBefore, ...floorAfter],
      floorMs,
      overheadPerModuleMs: (totalMs - floorMs) / modules,
      soloMs,
      soloSamples: solo,
      aimMs,
      meetsAim: totalMs <= aimMs,
      modulesPerSecond: modules / (totalMs / 1000),
      componentBuilds: builder.submitted,
      ...histories,
      memory: campaignMemory,
      temporalStore: infra.temporalStore,
      cpu,
      cores: os.cpus().length,
      ...(statements ? { statements } : {}),
    };
  } finally {
    memory.stop();
    worker?.shutdown();
    await running?.catch((error) => console.error('bench worker:', error));
    await db.close();
  }
}

/** Forgets the statements so far (the store's load), so that what is read after is the campaign's. */
async function resetStatements(databaseUrl: string): Promise<void> {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  try {
    await pg.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await pg.query('SELECT pg_stat_statements_reset()');
  } finally {
    await pg.end();
  }
}

/** The campaign database's statements since the reset, most called first, as counts per module. */
async function readStatements(databaseUrl: string, modules: number): Promise<StatementFigures[]> {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ calls: string; total: number; rows: string; query: string }>(
      `SELECT s.calls, s.total_exec_time AS total, s.rows, s.query
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = current_database() AND s.query NOT LIKE '%pg_stat_statements%'
        ORDER BY s.calls DESC`,
    );
    return rows.map((r) => ({
      perModule: Number(r.calls) / modules,
      calls: Number(r.calls),
      execMsPerModule: r.total / modules,
      rowsPerCall: Number(r.rows) / Number(r.calls),
      query: r.query.replace(/\s+/g, ' '),
    }));
  } finally {
    await pg.end();
  }
}

/** The campaign a push of the changed component would start (its own id per run). */
function campaignStartOf(
  config: CascadeConfig,
  label: string,
  triggeredAt: string,
  distGit: InMemoryDistGit,
): CampaignStart {
  const head = distGit.head({ namespace: 'rpms', name: CHANGED_COMPONENT }, BENCH_BRANCH);
  const changed = [{ namespace: 'rpms' as const, name: CHANGED_COMPONENT, head }];
  // Each bench run is a change of its own: the label keeps two runs from meeting one campaign.
  const changeKey = `${changeKeyOf(BENCH_BRANCH, changed, 'buildrequires', triggeredAt)} bench=${label}`;
  return {
    campaignId: campaignIdFor(changeKey),
    request: {
      components: [CHANGED_COMPONENT],
      modules: [],
      branch: BENCH_BRANCH,
      strategy: DEFAULT_REBUILD_STRATEGY,
      relation: 'buildrequires',
      dryRun: false,
      reason: 'campaign benchmark',
    },
    requestedBy: 'bench',
    changeKey,
    triggeredAt,
    settings: campaignSettings(config),
  };
}

/** Runs the campaign to its end, saying how far it got every 15 s; terminates it past the time limit. */
async function untilFinished(
  client: Client,
  prisma: PrismaClient,
  workflowId: string,
  campaignId: string,
  label: string,
  limitMs: number,
) {
  const handle = client.workflow.getHandle(workflowId);
  const began = performance.now();
  const progress = setInterval(() => {
    prisma.campaignModule
      .count({ where: { campaignId, state: 'passed' } })
      .then((passed) =>
        console.error(
          `campaign ${label}: ${passed} modules passed after ${((performance.now() - began) / 1000).toFixed(0)} s`,
        ),
      )
      .catch(() => undefined);
  }, 15_000);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`campaign ${label} did not finish within ${Math.round(limitMs / 60_000)} min`)),
      limitMs,
    );
  });
  try {
    return await Promise.race([handle.result() as Promise<{ state: string; counts: Record<string, number> }>, limit]);
  } catch (error) {
    await handle.terminate('benchmark time limit').catch(() => undefined);
    throw error;
  } finally {
    clearInterval(progress);
    clearTimeout(timer);
  }
}
