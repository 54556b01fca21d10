// The compose bench's figures: per phase (from the ComposePhase rows) its wall time and how much of it
// a compose tool was running (the union of the tools' run intervals inside the phase, so two variants'
// tools running side by side count once), per tool too; the rest is Cascade's own (Temporal, the
// store, copying, Node). And the report `npm run bench -- compose` prints.
import { performance } from 'node:perf_hooks';
import type { ToolRunSample } from '../activities/pungi/tool-runs';
import type { CpuSnapshot } from './process-cpu';

/** The tools asked about by name; the others (cp, tar…) are summed as "other tools". */
const NAMED_TOOLS = ['createrepo_c', 'modifyrepo_c', 'dnf', 'rpm', 'xorriso'];
/** repoclosure runs dnf's own Python API in a python3 process: dnf's time. */
const toolGroup = (command: string) =>
  command === 'python3' ? 'dnf' : NAMED_TOOLS.includes(command) ? command : 'other tools';

type Interval = [number, number];

function unionMs(intervals: Interval[], window: Interval): number {
  const clipped = intervals
    .map(([a, b]): Interval => [Math.max(a, window[0]), Math.min(b, window[1])])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [start, end] = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const [a, b] of clipped) {
    if (a > end) {
      if (end > start) total += end - start;
      [start, end] = [a, b];
    } else end = Math.max(end, b);
  }
  if (end > start) total += end - start;
  return total;
}

/** What one run of the compose bench measured: the setup, then each compose in turn. */
export interface ComposeBenchFigures {
  modules: number;
  variants: { uid: string; modules: number }[];
  setupMs: number;
  runs: ComposeRunFigures[];
}

export interface ToolFigures {
  group: string;
  runs: number;
  /** wall time while at least one run of the group was going */
  wallMs: number;
  cpuSeconds: number;
}

export interface PhaseFigures {
  phase: string;
  wallMs: number;
  toolMs: number;
  tools: ToolFigures[];
}

export interface ComposeRunFigures {
  label: string;
  composeId: string;
  status: string;
  wallMs: number;
  toolMs: number;
  /** 1 - toolMs / wallMs */
  cascadeShare: number;
  tools: ToolFigures[];
  phases: PhaseFigures[];
  reused: Record<string, boolean>;
  cpu: CpuSnapshot & { tools: number };
}

export function composeFigures(run: {
  label: string;
  composeId: string;
  status: string;
  startedAt: number;
  finishedAt: number;
  phases: { phase: string; startedAt: number; finishedAt: number }[];
  samples: ToolRunSample[];
  reused: Record<string, boolean>;
  cpu: CpuSnapshot;
}): ComposeRunFigures {
  const epoch = (ms: number) => performance.timeOrigin + ms;
  const samples = run.samples.map((s) => ({
    ...s,
    group: toolGroup(s.command),
    at: [epoch(s.startMs), epoch(s.endMs)] as Interval,
  }));
  const toolsIn = (window: Interval): ToolFigures[] => {
    const groups = [...new Set(samples.map((s) => s.group))].sort();
    return groups
      .map((group) => {
        const mine = samples.filter((s) => s.group === group && s.at[1] > window[0] && s.at[0] < window[1]);
        return {
          group,
          runs: mine.length,
          wallMs: unionMs(
            mine.map((s) => s.at),
            window,
          ),
          cpuSeconds: mine.reduce((sum, s) => sum + s.cpuSeconds, 0),
        };
      })
      .filter((t) => t.runs > 0);
  };
  const all = samples.map((s) => s.at);
  const whole: Interval = [run.startedAt, run.finishedAt];
  const wallMs = run.finishedAt - run.startedAt;
  const toolMs = unionMs(all, whole);
  return {
    label: run.label,
    composeId: run.composeId,
    status: run.status,
    wallMs,
    toolMs,
    cascadeShare: 1 - toolMs / wallMs,
    tools: toolsIn(whole),
    phases: run.phases.map((p) => {
      const window: Interval = [p.startedAt, p.finishedAt];
      return {
        phase: p.phase,
        wallMs: p.finishedAt - p.startedAt,
        toolMs: unionMs(all, window),
        tools: toolsIn(window),
      };
    }),
    reused: run.reused,
    cpu: { ...run.cpu, tools: run.samples.reduce((sum, s) => sum + s.cpuSeconds, 0) },
  };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

function formatRun(r: ComposeRunFigures): string[] {
  const lines = [
    `${r.label} compose ${r.composeId} (${r.status}, published): ${s(r.wallMs)} wall, tools running ${s(r.toolMs)} ` +
      `(${pct(r.toolMs / r.wallMs)}), Cascade's own ${s(r.wallMs - r.toolMs)} (${pct(r.cascadeShare)})`,
    `  repos reused from the previous compose: ${Object.entries(r.reused)
      .map(([v, used]) => `${v} ${used ? 'yes' : 'no'}`)
      .join(', ')}`,
    `  ${'phase'.padEnd(15)}${'wall'.padStart(9)}${'tools'.padStart(9)}${'share'.padStart(7)}  by tool (wall, runs)`,
  ];
  for (const p of r.phases)
    lines.push(
      `  ${p.phase.padEnd(15)}${s(p.wallMs).padStart(9)}${s(p.toolMs).padStart(9)}${(p.wallMs > 0 ? pct(p.toolMs / p.wallMs) : '-').padStart(7)}  ` +
        p.tools.map((t) => `${t.group} ${s(t.wallMs)} ×${t.runs}`).join(', '),
    );
  lines.push(
    `  tools overall: ${r.tools.map((t) => `${t.group} ${s(t.wallMs)} wall ${t.cpuSeconds.toFixed(1)} s CPU ×${t.runs}`).join('; ')}`,
    `  CPU: tools ${r.cpu.tools.toFixed(1)} s, worker+API (Node) ${r.cpu.worker.toFixed(1)} s, Temporal ${r.cpu.temporal.toFixed(1)} s, ` +
      `PostgreSQL ${r.cpu.postgres.toFixed(1)} s; machine busy ${r.cpu.machine.toFixed(1)} s over ${s(r.wallMs)}`,
  );
  return lines;
}

export function formatComposeReport(f: ComposeBenchFigures): string {
  const [first, second] = f.runs;
  const lines = [
    `compose bench: ${f.modules} ready module builds in ${f.variants.map((v) => `${v.uid} (${v.modules})`).join(' and ')}, ` +
      `real Compose workflow, store and Temporal dev server, published to the mirror (setup ${s(f.setupMs)})`,
  ];
  for (const r of f.runs) lines.push('', ...formatRun(r));
  if (first && second) {
    const ratio = second.wallMs / first.wallMs;
    const allReused = Object.values(second.reused).every(Boolean);
    lines.push(
      '',
      `aim: Cascade's own share under 25%: first ${pct(first.cascadeShare)}, second ${pct(second.cascadeShare)} — ` +
        `${first.cascadeShare < 0.25 ? 'met' : 'NOT met'} for the first compose`,
      `aim: second compose with nothing changed reuses the repos (${allReused ? 'yes' : 'NO'}) and takes under a fifth ` +
        `of the first: ${s(second.wallMs)} / ${s(first.wallMs)} = ${ratio.toFixed(3)} — ${ratio < 0.2 && allReused ? 'met' : 'NOT met'}`,
    );
  }
  return lines.join('\n');
}
