// The chaos harness's distribution: the campaign benchmark's tiered modules (bench/tiered-distribution.ts)
// written straight into a LocalDistGit's bare repositories (one `git fast-import` each, no hooks: a
// few hundred repositories in seconds) and recorded in the dependency store. The changed component's
// repository gets the real post-receive hook, so the harness's pushes to it reach the API as any push does.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import type { LocalDistGit } from '../activities/distgit';
import { parseModuleStream } from '../domain/modulemd';
import { moduleDefinitionFromStream } from '../domain/pdc';
import { applyModuleDefinitions } from '../store/pdc-relationships';
import {
  BENCH_BRANCH,
  CHANGED_COMPONENT,
  generateTieredDistribution,
  modulemdOf,
  type TieredDistribution,
  type TieredModule,
} from '../bench/tiered-distribution';

export { BENCH_BRANCH as CHAOS_BRANCH, CHANGED_COMPONENT };

/** A component no module holds: pushes to it are recorded and start nothing. */
export const SIDE_COMPONENT = 'chaos-side';

const GIT_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: '/nonexistent',
};

export function specOf(component: string, release = 1): string {
  return `Name: ${component}\nVersion: 1.0\nRelease: ${release}%{?dist}\nSummary: ${component}\nLicense: MIT\n\n%description\n${component}\n\n%files\n`;
}

/** One commit on BENCH_BRANCH holding `files`, in a new bare repository; answers its hash. */
function writeRepository(gitDir: string, files: Record<string, string>, at: Date): string {
  fs.mkdirSync(path.dirname(gitDir), { recursive: true });
  execFileSync('git', ['init', '--quiet', '--bare', `--initial-branch=${BENCH_BRANCH}`, gitDir], { env: GIT_ENV });
  const seconds = Math.floor(at.getTime() / 1000);
  const blobs = Object.entries(files).map(
    ([name, text]) => `M 100644 inline ${name}\ndata ${Buffer.byteLength(text)}\n${text}\n`,
  );
  const message = 'chaos harness\n';
  const stream = [
    `commit refs/heads/${BENCH_BRANCH}`,
    `committer Chaos <chaos@example.org> ${seconds} +0000`,
    `data ${Buffer.byteLength(message)}`,
    message + blobs.join(''),
    '',
  ].join('\n');
  execFileSync('git', ['--git-dir', gitDir, 'fast-import', '--quiet'], { input: stream, env: GIT_ENV });
  return fs.readFileSync(path.join(gitDir, 'refs', 'heads', BENCH_BRANCH), 'utf8').trim();
}

/** A `default` profile of every component the module holds: what a compose installs to test it. */
function withDefaultProfile(text: string, module: TieredModule): string {
  const rpms = module.components.map((c) => c.name).join(', ');
  return text.replace('  components:\n', `  profiles:\n    default:\n      rpms: [${rpms}]\n  components:\n`);
}

/**
 * Writes every component and module repository under `distGit.root` (the changed component's with its
 * hook; the `profiled` modules with a default profile) and records the module streams in the store, as an index import does.
 */
export async function loadChaosDistribution(
  distribution: TieredDistribution,
  distGit: LocalDistGit,
  prisma: PrismaClient,
  at: Date,
  profiled: ReadonlySet<string> = new Set(),
): Promise<void> {
  const componentNames = new Set(distribution.modules.flatMap((m) => m.components.map((c) => c.name)));
  for (const name of [...componentNames, SIDE_COMPONENT]) {
    const repo = { namespace: 'rpms' as const, name };
    writeRepository(distGit.repoPath(repo), { [`${name}.spec`]: specOf(name) }, at);
  }
  // Only the repositories the harness pushes to need the hook.
  for (const name of [CHANGED_COMPONENT, SIDE_COMPONENT]) await distGit.ensureRepo({ namespace: 'rpms', name });
  const items = [];
  for (const module of distribution.modules) {
    const text = profiled.has(module.name) ? withDefaultProfile(modulemdOf(module), module) : modulemdOf(module);
    const repo = { namespace: 'modules' as const, name: module.name };
    const commitHash = writeRepository(distGit.repoPath(repo), { [`${module.name}.yaml`]: text }, at);
    const parsed = parseModuleStream(text, { fileName: `${module.name}.yaml` });
    if (!parsed.ok) throw new Error(`${module.name}.yaml does not parse: ${JSON.stringify(parsed.errors)}`);
    items.push({
      definition: moduleDefinitionFromStream(parsed.stream, module.name, BENCH_BRANCH),
      source: { at, commitHash, modulemd: text },
    });
  }
  const platform = { name: 'platform', stream: BENCH_BRANCH, release: null, edges: [], components: [] };
  await applyModuleDefinitions(prisma, [{ definition: platform, source: { at } }, ...items]);
}

export function chaosDistribution(seed: number, tiers: number, perTier: number): TieredDistribution {
  return generateTieredDistribution(seed, tiers, perTier);
}

/**
 * Which modules build for real and which fail their first CI run: the first `real` modules of tier 0
 * (they require only the platform, so a compose of them installs; their changed component is built
 * under a key of the module's own, as a component the strategy rebuilds always is, so no build key
 * is shared with a zero-cost build), and the last `failing` modules of the top tier (nothing depends
 * on them, so the campaign waits with every other module passed).
 */
export function chaosRoles(
  distribution: TieredDistribution,
  real: number,
  failing: number,
): { realModules: string[]; failingModules: string[] } {
  const realModules = distribution.modules
    .filter((m) => m.tier === 0)
    .slice(0, real)
    .map((m) => m.name);
  const top = distribution.modules.filter((m) => m.tier === distribution.tiers - 1 && !realModules.includes(m.name));
  const failingModules = top.slice(Math.max(0, top.length - failing)).map((m) => m.name);
  return { realModules, failingModules };
}
