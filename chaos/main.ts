/**
 * chaos/: the chaos harness, `npm run chaos -- --kills N --seed S [--modules M] [--modes postgres,embedded]
 * [--real-modules R] [--failing-modules F] [--no-compose] [--minutes M] [--campaign-minutes C] [--keep]`:
 * campaigns over a generated distribution (zero-cost builds, chaos/zero-cost-builds.ts, but R modules
 * built by LocalKoji's rpmbuild and F whose first CI run fails, which a person retries), a compose
 * through the API after each, on
 * PostgreSQL and on the embedded store while it SIGKILLs, one at a time, the worker, the API, the
 * Temporal server, PostgreSQL or the whole embedded stack, then checks that nothing was lost or done
 * twice and prints a table per process killed. Nothing imports chaos/ but its test (test/chaos/).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { findTemporalCli } from '../platform/temporal-cli';
import { chaosDistribution, chaosRoles } from './chaos-distribution';
import type { ChaosMode } from './chaos-modes';
import { runMode, type ModeResult } from './chaos-run';
import { chaosTable } from './chaos-table';

export interface ChaosRunOptions {
  kills: number;
  seed: number;
  /** modules per campaign: tiers × perTier */
  tiers: number;
  perTier: number;
  modes: ChaosMode[];
  concurrency: number;
  /** modules built for real by LocalKoji's rpmbuild (the compose's variant) */
  realModules: number;
  /** modules whose first CI run fails (the campaign waits for a person there) */
  failingModules: number;
  /** the deployments whose campaigns are each followed by a compose */
  compose: ChaosMode[];
  gapMs: [number, number];
  scratch?: string;
  keep?: boolean;
  /** a time budget for the kills, shared by the deployments as the kills are: none starts after it */
  minutes?: number;
  /** how long a campaign may take before it counts as stuck */
  campaignMinutes?: number;
  log?: (line: string) => void;
}

/** The kills split over the modes in proportion to the kinds each may kill (four on PostgreSQL, one embedded). */
export function killsPerMode(kills: number, modes: ChaosMode[]): Map<ChaosMode, number> {
  const weights = modes.map((m) => (m === 'postgres' ? 4 : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const split = new Map<ChaosMode, number>();
  let left = kills;
  modes.forEach((m, i) => {
    const share = i === modes.length - 1 ? left : Math.round((kills * weights[i]!) / total);
    split.set(m, share);
    left -= share;
  });
  return split;
}

export async function runChaos(options: ChaosRunOptions): Promise<ModeResult[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  const config = loadConfig();
  const projectRoot = path.join(__dirname, '..');
  const cliPath = findTemporalCli(config.temporal.cliPath, projectRoot, config.systemPath);
  if (!cliPath) throw new Error("no Temporal CLI found: run 'make bootstrap'");
  const scratch = options.scratch ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-chaos-'));
  fs.mkdirSync(scratch, { recursive: true });
  // PostgreSQL runs as its own system user when the harness runs as root: it must reach its data directory.
  fs.chmodSync(scratch, 0o755);
  try {
    const bundle = await bundleWorkflowCode({
      workflowsPath: path.join(projectRoot, 'workflows', 'index.ts'),
      logger: new DefaultLogger('WARN'),
    });
    const bundlePath = path.join(scratch, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);
    const distribution = chaosDistribution(options.seed, options.tiers, options.perTier);
    const roles = chaosRoles(distribution, options.realModules, options.failingModules);
    const results: ModeResult[] = [];
    for (const [mode, kills] of killsPerMode(options.kills, options.modes)) {
      log(
        `${mode}: ${distribution.modules.length} modules in ${options.tiers} tiers (real builds: ${roles.realModules.join(', ') || 'none'}; failing CI: ${roles.failingModules.join(', ') || 'none'}), ${kills} kills`,
      );
      const budgetMs = options.minutes === undefined ? undefined : (options.minutes * 60_000 * kills) / options.kills;
      results.push(
        await runMode({
          mode,
          dir: path.join(scratch, mode),
          cliPath,
          bundlePath,
          distribution,
          concurrency: options.concurrency,
          ...roles,
          compose: options.compose.includes(mode),
          kills,
          seed: options.seed * 31 + (mode === 'postgres' ? 1 : 2),
          gapMs: options.gapMs,
          log,
          killsUntil: budgetMs === undefined ? undefined : Date.now() + budgetMs,
          campaignMinutes: options.campaignMinutes,
        }),
      );
    }
    return results;
  } finally {
    if (!options.keep) fs.rmSync(scratch, { recursive: true, force: true });
    else log(`kept ${scratch}`);
  }
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function positiveInt(args: string[], name: string, fallback: number): number {
  const text = argValue(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name}: must be a non-negative integer, got ${text}`);
  return value;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const modules = positiveInt(args, 'modules', 300);
  const tiers = positiveInt(args, 'tiers', 6);
  const modes = (argValue(args, 'modes') ?? 'postgres,embedded').split(',') as ChaosMode[];
  for (const m of modes) if (m !== 'postgres' && m !== 'embedded') throw new Error(`--modes: unknown mode ${m}`);
  const results = await runChaos({
    kills: positiveInt(args, 'kills', 20),
    seed: positiveInt(args, 'seed', 1),
    tiers,
    perTier: Math.max(1, Math.round(modules / tiers)),
    modes,
    concurrency: positiveInt(args, 'concurrency', 8),
    realModules: positiveInt(args, 'real-modules', 3),
    failingModules: positiveInt(args, 'failing-modules', 1),
    compose: args.includes('--no-compose') ? [] : modes,
    gapMs: [1000, 6000],
    keep: args.includes('--keep'),
    minutes: argValue(args, 'minutes') === undefined ? undefined : positiveInt(args, 'minutes', 0),
    campaignMinutes: positiveInt(args, 'campaign-minutes', 20),
  });
  console.log(chaosTable(results));
  const bad = results.flatMap((r) => r.report.findings);
  for (const f of bad) console.log(`${f.kind}: ${f.what}`);
  return bad.length === 0 && results.every((r) => r.kills.every((k) => k.recovered)) ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error('chaos: ' + (err instanceof Error ? err.stack : String(err)));
      process.exit(1);
    },
  );
}
