// The campaign benchmark's figures, how they are printed (a table a person reads, then one JSON line
// for machines), and the memory sampler of the worker process and the Temporal server.
import { treeRssMb, type CpuSnapshot } from './process-cpu';
import type { HistorySize } from './history-size';
import type { TemporalStore } from './bench-servers';

export interface MemoryPeak {
  baselineRssMb: number;
  peakRssMb: number;
  peakHeapUsedMb: number;
  /** the Temporal server's process, read from /proc once a second (0 where there is no /proc) */
  temporalBaselineRssMb: number;
  temporalPeakRssMb: number;
  samples: number;
}

export interface CampaignRunFigures {
  label: string;
  concurrency: number;
  modules: number;
  tiers: number;
  components: number;
  edges: number;
  storeLoad: { ms: number; streams: number; edgesAdded: number; componentsAdded: number };
  /** start of the campaign workflow → its result */
  totalMs: number;
  floorPerTierMs: number;
  floorSamplesMs: number[];
  /** floorPerTierMs × tiers */
  floorMs: number;
  overheadPerModuleMs: number;
  /** one module's attempt alone (median) */
  soloMs: number;
  soloSamples: { node: string; components: number; ms: number }[];
  /** 2 × (floor + solo × modules / concurrency) */
  aimMs: number;
  meetsAim: boolean;
  modulesPerSecond: number;
  componentBuilds: number;
  campaignRuns: HistorySize[];
  /** replaying the campaign's longest run from its history, on a replay worker */
  replay: { events: number; workflowTasks: number; ms: number };
  attempts: HistorySize[];
  /** the attempts' child module builds; none where an attempt builds its module itself */
  builds: HistorySize[];
  /** per module: its attempt's and its module build's, median over the sampled modules */
  perModule: { activities: number; workflowTasks: number; events: number };
  memory: MemoryPeak;
  /** where the dev server kept its executions (bench/bench-servers.ts) */
  temporalStore: TemporalStore;
  /** CPU seconds spent during the campaign (start → result) */
  cpu: CpuSnapshot;
  cores: number;
  /** `--statements`: the store's statements during the campaign, most called first */
  statements?: StatementFigures[];
}

/** One normalised statement of pg_stat_statements, over the campaign. */
export interface StatementFigures {
  calls: number;
  perModule: number;
  /** the server's execution time (not parsing, not the round trip) */
  execMsPerModule: number;
  rowsPerCall: number;
  query: string;
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const mb = (bytes: number) => bytes / (1024 * 1024);

/**
 * Samples process.memoryUsage() every 100 ms between start() and stop() (this process runs the
 * worker), and the Temporal server's resident memory once a second.
 */
export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private peak: MemoryPeak = emptyPeak();

  constructor(private readonly temporalPid?: number) {}

  start(): void {
    (globalThis as { gc?: () => void }).gc?.();
    const now = process.memoryUsage();
    const temporal = this.temporalRssMb();
    this.peak = {
      baselineRssMb: mb(now.rss),
      peakRssMb: mb(now.rss),
      peakHeapUsedMb: mb(now.heapUsed),
      temporalBaselineRssMb: temporal,
      temporalPeakRssMb: temporal,
      samples: 1,
    };
    this.timer = setInterval(() => this.sample(), 100);
  }

  private temporalRssMb(): number {
    return this.temporalPid ? treeRssMb(this.temporalPid) : 0;
  }

  private sample(): void {
    const now = process.memoryUsage();
    this.peak.peakRssMb = Math.max(this.peak.peakRssMb, mb(now.rss));
    this.peak.peakHeapUsedMb = Math.max(this.peak.peakHeapUsedMb, mb(now.heapUsed));
    this.peak.samples += 1;
    if (this.peak.samples % 10 === 0)
      this.peak.temporalPeakRssMb = Math.max(this.peak.temporalPeakRssMb, this.temporalRssMb());
  }

  stop(): MemoryPeak {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.sample();
      this.peak.temporalPeakRssMb = Math.max(this.peak.temporalPeakRssMb, this.temporalRssMb());
    }
    return { ...this.peak };
  }
}

const emptyPeak = (): MemoryPeak => ({
  baselineRssMb: 0,
  peakRssMb: 0,
  peakHeapUsedMb: 0,
  temporalBaselineRssMb: 0,
  temporalPeakRssMb: 0,
  samples: 0,
});

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const millis = (ms: number) => `${ms.toFixed(1)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function largest(sizes: HistorySize[]): HistorySize | undefined {
  return sizes.reduce<HistorySize | undefined>((best, s) => (!best || s.bytes > best.bytes ? s : best), undefined);
}

function historyLine(sizes: HistorySize[]): string {
  const top = largest(sizes);
  if (!top) return 'none';
  const mostEvents = Math.max(...sizes.map((s) => s.events));
  return `${top.events} events, ${kib(top.bytes)} (largest event ${top.largestEvent.type} ${kib(top.largestEvent.bytes)}); most events ${mostEvents}`;
}

/** Per module: calls, execution time and the statement, most called first; the rest summed. */
function formatStatements(statements: StatementFigures[]): string[] {
  const calls = statements.reduce((n, s) => n + s.perModule, 0);
  const exec = statements.reduce((n, s) => n + s.execMsPerModule, 0);
  const shown = statements.slice(0, 40);
  const lines = [
    `store statements per module: ${calls.toFixed(1)} calls, ${exec.toFixed(2)} ms executing (pg_stat_statements)`,
    '  calls/module  exec ms/module  rows/call  statement',
  ];
  for (const s of shown)
    lines.push(
      `  ${s.perModule.toFixed(2).padStart(12)}  ${s.execMsPerModule.toFixed(3).padStart(14)}  ${s.rowsPerCall.toFixed(1).padStart(9)}  ${s.query.slice(0, 220)}`,
    );
  if (statements.length > shown.length)
    lines.push(
      `  … ${statements.length - shown.length} more statements, ${statements
        .slice(40)
        .reduce((n, s) => n + s.perModule, 0)
        .toFixed(2)} calls/module`,
    );
  return lines;
}

export function formatCampaignReport(runs: CampaignRunFigures[]): string {
  const lines: string[] = [];
  const first = runs[0];
  if (first) {
    lines.push(
      `rebuild campaign: ${first.modules} module streams in ${first.tiers} tiers (${first.components} components, ` +
        `${first.edges} buildrequires between modules), zero-cost build/CI/dist-git/repo, real workflows and activities,`,
      `Temporal dev server (${first.temporalStore === 'file' ? 'on a SQLite file' : 'in memory'}) and PostgreSQL (private cluster) on 127.0.0.1, worker in this process`,
    );
  }
  const rows: [string, (r: CampaignRunFigures) => string][] = [
    ['campaign concurrency', (r) => String(r.concurrency)],
    [
      'store load (streams, edges, components)',
      (r) =>
        `${seconds(r.storeLoad.ms)} (${r.storeLoad.streams}, ${r.storeLoad.edgesAdded}, ${r.storeLoad.componentsAdded})`,
    ],
    ['total campaign time (start → result)', (r) => seconds(r.totalMs)],
    ['throughput', (r) => `${r.modulesPerSecond.toFixed(1)} modules/s`],
    ['Temporal floor per tier (median)', (r) => millis(r.floorPerTierMs)],
    ['Temporal floor × tiers', (r) => seconds(r.floorMs)],
    ['orchestration overhead per module', (r) => millis(r.overheadPerModuleMs)],
    ['one module attempt alone (median)', (r) => millis(r.soloMs)],
    ['aim: 2 × (floor + alone × N / concurrency)', (r) => seconds(r.aimMs)],
    [
      'meets the aim',
      (r) =>
        r.meetsAim
          ? `yes (${(r.totalMs / r.aimMs).toFixed(2)} of the bound)`
          : `NO (${(r.totalMs / r.aimMs).toFixed(2)} × the bound)`,
    ],
    ['campaign runs (continue-as-new)', (r) => String(r.campaignRuns.length)],
    [
      'events per campaign run',
      (r) =>
        r.campaignRuns
          .slice(0, 12)
          .map((c) => c.events)
          .join(', ') + (r.campaignRuns.length > 12 ? ', …' : ''),
    ],
    ['largest campaign run', (r) => historyLine(r.campaignRuns)],
    [
      'continue-as-new input: largest, last',
      (r) =>
        `${kib(Math.max(0, ...r.campaignRuns.slice(1).map((c) => c.startedEventBytes)))}, ${kib(r.campaignRuns.at(-1)?.startedEventBytes ?? 0)} (started event of each later run)`,
    ],
    ['largest attempt history (sampled)', (r) => `${historyLine(r.attempts)} of ${r.attempts.length}`],
    ['largest module-build history (sampled)', (r) => `${historyLine(r.builds)} of ${r.builds.length}`],
    [
      'per module: activities, workflow tasks, events',
      (r) => `${r.perModule.activities}, ${r.perModule.workflowTasks}, ${r.perModule.events} (attempt + build, median)`,
    ],
    [
      'CPU per module: worker, Temporal, PostgreSQL',
      (r) =>
        `${millis((r.cpu.worker * 1000) / r.modules)}, ${millis((r.cpu.temporal * 1000) / r.modules)}, ${millis((r.cpu.postgres * 1000) / r.modules)}`,
    ],
    [
      'busy cores during the campaign: ours, all',
      (r) =>
        `${((r.cpu.worker + r.cpu.temporal + r.cpu.postgres) / (r.totalMs / 1000)).toFixed(2)}, ${(r.cpu.machine / (r.totalMs / 1000)).toFixed(2)} of ${r.cores}`,
    ],
    [
      'campaign workflow tasks: count, worker time, max',
      (r) => {
        const tasks = r.campaignRuns.reduce((n, c) => n + c.workflowTasks, 0);
        const time = r.campaignRuns.reduce((n, c) => n + c.workflowTaskMs.total, 0);
        const max = Math.max(...r.campaignRuns.map((c) => c.workflowTaskMs.max));
        const failed = r.campaignRuns.reduce((n, c) => n + c.workflowTaskFailures, 0);
        const causes: Record<string, number> = {};
        for (const c of r.campaignRuns)
          for (const [cause, n] of Object.entries(c.failureCauses)) causes[cause] = (causes[cause] ?? 0) + n;
        const why = Object.entries(causes).map(
          ([cause, n]) => `${cause.replace(/^WORKFLOW_TASK_FAILED_CAUSE_/, '')} ×${n}`,
        );
        return `${tasks}, ${seconds(time)}, ${millis(max)}; ${failed} failed or timed out${why.length ? ` (${why.join(', ')})` : ''}`;
      },
    ],
    [
      'campaign workflow tasks: wait for the worker',
      (r) =>
        `median ${millis(median(r.campaignRuns.map((c) => c.scheduleToStartMs.median)))}, max ${millis(Math.max(...r.campaignRuns.map((c) => c.scheduleToStartMs.max)))}`,
    ],
    [
      'replay of the longest campaign run',
      (r) =>
        `${seconds(r.replay.ms)} for ${r.replay.events} events, ${r.replay.workflowTasks} workflow tasks (${millis(r.replay.ms / Math.max(1, r.replay.workflowTasks))} each)`,
    ],
    [
      'activities of the largest sampled module (local ones not listed)',
      (r) => {
        // attempts and builds are sampled in pairs: builds[i] is the child module build of attempts[i], if any
        const activities = r.attempts.map((a, i) => a.activities + (r.builds[i]?.activities ?? 0));
        const i = activities.indexOf(Math.max(...activities));
        const types: Record<string, number> = {};
        for (const h of [r.attempts[i], r.builds[i]])
          for (const [name, n] of Object.entries(h?.activityTypes ?? {})) types[name] = (types[name] ?? 0) + n;
        return Object.entries(types)
          .map(([name, n]) => (n > 1 ? `${name} ×${n}` : name))
          .join(', ');
      },
    ],
    ['component builds submitted', (r) => String(r.componentBuilds)],
    [
      'worker process RSS: before → peak',
      (r) => `${r.memory.baselineRssMb.toFixed(0)} → ${r.memory.peakRssMb.toFixed(0)} MB`,
    ],
    ['worker process heap used: peak', (r) => `${r.memory.peakHeapUsedMb.toFixed(0)} MB`],
    [
      `Temporal server RSS: before → peak`,
      (r) =>
        `${r.memory.temporalBaselineRssMb.toFixed(0)} → ${r.memory.temporalPeakRssMb.toFixed(0)} MB (store: ${r.temporalStore})`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  for (const r of runs) {
    lines.push('');
    for (const [name, value] of rows) lines.push(`${name.padEnd(width)}  ${value(r)}`);
    if (r.statements) lines.push('', ...formatStatements(r.statements));
  }
  lines.push('', JSON.stringify({ bench: 'campaign', runs: runs.map(summaryOf) }));
  return lines.join('\n');
}

function summaryOf(r: CampaignRunFigures) {
  const round = (n: number) => Math.round(n * 10) / 10;
  const history = (s: HistorySize | undefined) =>
    s && { events: s.events, bytes: s.bytes, largestEvent: s.largestEvent };
  return {
    concurrency: r.concurrency,
    modules: r.modules,
    tiers: r.tiers,
    totalMs: round(r.totalMs),
    floorPerTierMs: round(r.floorPerTierMs),
    floorMs: round(r.floorMs),
    overheadPerModuleMs: round(r.overheadPerModuleMs),
    soloMs: round(r.soloMs),
    aimMs: round(r.aimMs),
    meetsAim: r.meetsAim,
    modulesPerSecond: round(r.modulesPerSecond),
    campaignRuns: r.campaignRuns.length,
    largestCampaignRun: history(largest(r.campaignRuns)),
    largestContinueAsNewInputBytes: Math.max(0, ...r.campaignRuns.slice(1).map((c) => c.startedEventBytes)),
    largestAttempt: history(largest(r.attempts)),
    largestModuleBuild: history(largest(r.builds)),
    perModule: r.perModule,
    cpuMsPerModule: {
      worker: round((r.cpu.worker * 1000) / r.modules),
      temporal: round((r.cpu.temporal * 1000) / r.modules),
      postgres: round((r.cpu.postgres * 1000) / r.modules),
    },
    machineBusyCores: round(r.cpu.machine / (r.totalMs / 1000)),
    replay: { ...r.replay, ms: round(r.replay.ms) },
    campaignWorkflowTasks: {
      count: r.campaignRuns.reduce((n, c) => n + c.workflowTasks, 0),
      workerMs: round(r.campaignRuns.reduce((n, c) => n + c.workflowTaskMs.total, 0)),
      maxMs: round(Math.max(0, ...r.campaignRuns.map((c) => c.workflowTaskMs.max))),
      failed: r.campaignRuns.reduce((n, c) => n + c.workflowTaskFailures, 0),
    },
    peakRssMb: round(r.memory.peakRssMb),
    peakHeapUsedMb: round(r.memory.peakHeapUsedMb),
    temporalPeakRssMb: round(r.memory.temporalPeakRssMb),
    temporalStore: r.temporalStore,
    storeLoadMs: round(r.storeLoad.ms),
  };
}
