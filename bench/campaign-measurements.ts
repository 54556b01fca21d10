// What the campaign benchmark measures besides the campaign itself, on the same worker and server:
// the Temporal floor, one module's attempt alone, and the sizes of the workflows' histories.
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import type { WorkflowBundle } from '@temporalio/worker';
import { workflowIds } from '../domain/workflow-ids';
import { campaignSettings, type CascadeConfig } from '../platform/config';
import type { campaignModuleAttempt, ModuleAttemptInput } from '../workflows/campaign/campaign-module-attempt';
import type { temporalFloor } from './campaign-workflows';
import { median } from './campaign-report';
import { BENCH_BRANCH, type TieredDistribution } from './tiered-distribution';
import type { HistorySize } from './history-size';
import { chainHistorySizes, childWorkflowIds, historySize, replayMs } from './workflow-histories';

const FLOOR_SAMPLES = 10;
const SOLO_SAMPLES = 5;
const HISTORY_SAMPLES = 12;

/** Start → result of the floor workflow, one at a time, after a warm-up. */
export async function measureFloor(client: Client, config: CascadeConfig, label: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = -3; i < FLOOR_SAMPLES; i += 1) {
    const started = performance.now();
    await client.workflow.execute<typeof temporalFloor>('temporalFloor', {
      workflowId: `bench-floor-${label}-${i + 3}`,
      taskQueue: config.temporal.taskQueue,
      workflowExecutionTimeout: '1m',
    });
    if (i >= 0) samples.push(performance.now() - started);
  }
  return samples;
}

/**
 * One module's attempt with nothing else running: the same workflow a campaign starts, for a module
 * of a later tier (its buildrequires are ready from the campaign), with the strategy `all` so every
 * component is built as in the campaign rather than reused from it, at a version of its own.
 */
export async function measureSoloAttempts(
  client: Client,
  config: CascadeConfig,
  distribution: TieredDistribution,
  label: string,
  triggeredAt: string,
): Promise<{ node: string; components: number; ms: number }[]> {
  const perTier = distribution.modules.length / distribution.tiers;
  const rebuildAt = new Date(Math.max(Date.now(), Date.parse(triggeredAt) + 2_000)).toISOString();
  const samples = [];
  for (let s = 0; s < SOLO_SAMPLES; s += 1) {
    const module = distribution.modules[perTier * (distribution.tiers - 1 - 2 * s) + 7 * s + 3]!;
    const node = `${module.name}:${BENCH_BRANCH}`;
    const input: ModuleAttemptInput = {
      campaignId: `solo-${label}`,
      node,
      attempt: 1,
      mode: { kind: 'build', rebuildAt },
      strategy: 'all',
      build: campaignSettings(config).build,
      owner: 'bench',
    };
    const started = performance.now();
    // A bench-only start: campaigns start their attempts themselves, as children.
    const report = await client.workflow.execute<typeof campaignModuleAttempt>('campaignModuleAttempt', {
      workflowId: `bench-solo-${label}-${module.name}`,
      taskQueue: config.temporal.taskQueue,
      args: [input],
      workflowExecutionTimeout: '2m',
    });
    const ms = performance.now() - started;
    if (report.outcome !== 'passed') throw new Error(`solo attempt of ${node}: ${report.outcome} (${report.reason})`);
    samples.push({ node, components: module.components.length, ms });
  }
  return samples;
}

/**
 * Every run of the campaign, the replay of its longest run, and the histories of sampled modules'
 * attempts with their child module builds where there are any (in pairs: builds[i] is the build of
 * attempts[i]; an attempt that builds its module itself has none).
 */
export async function measureHistories(
  client: Client,
  workflowId: string,
  campaignId: string,
  distribution: TieredDistribution,
  workflowBundle: WorkflowBundle,
) {
  const campaignRuns = await chainHistorySizes(client, workflowId);
  const longest = campaignRuns.reduce((a, b) => (b.events > a.events ? b : a));
  const replay = {
    events: longest.events,
    workflowTasks: longest.workflowTasks,
    ms: await replayMs(client, workflowId, longest.runId, workflowBundle),
  };
  const attempts: HistorySize[] = [];
  const builds: HistorySize[] = [];
  for (const m of sampleModules(distribution, HISTORY_SAMPLES)) {
    const attemptId = workflowIds.campaignModuleAttempt(campaignId, `${m.name}:${BENCH_BRANCH}`, 1);
    // an attempt builds its module itself (since 'attempt-builds-inline'); before, as a child
    const [buildId] = await childWorkflowIds(client, attemptId);
    attempts.push(await historySize(client, attemptId));
    if (buildId) builds.push(await historySize(client, buildId));
  }
  const perModule = attempts.map((a, i) => ({
    activities: a.activities + (builds[i]?.activities ?? 0),
    workflowTasks: a.workflowTasks + (builds[i]?.workflowTasks ?? 0),
    events: a.events + (builds[i]?.events ?? 0),
  }));
  return {
    campaignRuns,
    replay,
    attempts,
    builds,
    perModule: {
      activities: median(perModule.map((p) => p.activities)),
      workflowTasks: median(perModule.map((p) => p.workflowTasks)),
      events: median(perModule.map((p) => p.events)),
    },
  };
}

/** Modules spread over the tiers, two-component ones first (their builds have the longer histories). */
function sampleModules(distribution: TieredDistribution, count: number) {
  const ordered = [...distribution.modules].sort((a, b) => b.components.length - a.components.length);
  const step = Math.max(1, Math.floor(ordered.length / count));
  return Array.from({ length: count }, (_, i) => ordered[(i * step) % ordered.length]!);
}
