// The chaos harness's table: one row per process killed (per deployment), with its kills, recoveries,
// median and maximum time to recover, and what the checks found lost or duplicated in the campaigns
// during which that process was killed (a finding outside any campaign is charged to every row).
import type { ProcessKind } from './chaos-processes';
import type { ModeResult } from './chaos-run';

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

export interface ChaosRow {
  mode: string;
  kind: ProcessKind;
  kills: number;
  recoveries: number;
  medianMs?: number;
  maxMs?: number;
  lost: number;
  duplicated: number;
}

export function chaosRows(results: ModeResult[]): ChaosRow[] {
  const rows: ChaosRow[] = [];
  for (const r of results) {
    const kinds = [...new Set(r.kills.map((k) => k.kind))];
    for (const kind of kinds) {
      const kills = r.kills.filter((k) => k.kind === kind);
      const times = kills.filter((k) => k.recovered).map((k) => k.recoveryMs ?? 0);
      const charged = r.report.findings.filter(
        (f) => !f.campaignId || !r.killedIn.has(f.campaignId) || r.killedIn.get(f.campaignId)!.has(kind),
      );
      rows.push({
        mode: r.mode,
        kind,
        kills: kills.length,
        recoveries: times.length,
        medianMs: median(times),
        maxMs: times.length ? Math.max(...times) : undefined,
        lost: charged.filter((f) => f.kind === 'lost' || f.kind === 'wrong').length,
        duplicated: charged.filter((f) => f.kind === 'duplicated').length,
      });
    }
  }
  return rows;
}

export function chaosTable(results: ModeResult[]): string {
  const header = [
    'store',
    'process killed',
    'kills',
    'recoveries',
    'median recovery',
    'max recovery',
    'lost',
    'duplicated',
  ];
  const lines = chaosRows(results).map((row) => [
    row.mode,
    row.kind,
    String(row.kills),
    String(row.recoveries),
    seconds(row.medianMs),
    seconds(row.maxMs),
    String(row.lost),
    String(row.duplicated),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const summary = results.map(
    (r) =>
      `${r.mode}: ${r.report.campaigns} campaigns, ${r.report.composes} composes, ${r.report.moduleBuilds} module builds, ${r.report.buildTasks} build tasks (${r.report.realBuildTasks} by rpmbuild), ${r.report.events} events, ${r.accepted.tokens.length} API writes and ${r.accepted.pushes.length} pushes accepted (${r.accepted.refused} refused while down), ${r.seconds.toFixed(0)} s; ` +
      `${r.kills.filter((k) => k.during === 'compose').length} kills fell during a compose, ${r.kills.filter((k) => k.midRpmbuild).length} while rpmbuild ran`,
  );
  return [format(header), ...lines.map(format), '', ...summary].join('\n');
}
