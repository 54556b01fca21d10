// module.tests.<file>: the module's own tests, kept in its dist-git repository under tests/ at the
// build's commit. Each executable regular file there (sorted by name) is one test case, run from the
// exported tree with a minimal environment that points it at the installroot dnf.install filled, and
// a time limit after which its whole process group is killed. Other files (data, helpers) are left
// alone: a test is something the packager marked executable.
import fs from 'node:fs';
import path from 'node:path';
import type { DistGit } from '../distgit';
import { describeFailure, runCiProcess } from './ci-process';
import { firstLine, type CheckResult } from './module-ci';

export const MODULE_TESTS_PREFIX = 'module.tests.';

export interface ModuleTestsInput {
  distGit: DistGit;
  module: string;
  commit: string;
  nsvc: string;
  /** where the tree is exported; replaced */
  sourceDir: string;
  installroot: string;
  repoDir: string;
  env: Record<string, string>;
  timeoutMs: number;
  onTest?(testcase: string): void;
  signal?: AbortSignal;
}

export async function runModuleTests(input: ModuleTestsInput): Promise<CheckResult[]> {
  const started = performance.now();
  const repo = { namespace: 'modules' as const, name: input.module };
  fs.rmSync(input.sourceDir, { recursive: true, force: true });
  fs.mkdirSync(input.sourceDir, { recursive: true });
  try {
    await input.distGit.refresh?.(repo);
    await input.distGit.exportTree(repo, input.commit, input.sourceDir);
  } catch (err) {
    const note = `could not export modules/${input.module} at ${input.commit}: ${firstLine((err as Error).message)}`;
    return [
      {
        testcase: `${MODULE_TESTS_PREFIX}export`,
        outcome: 'ERROR',
        durationMs: Math.round(performance.now() - started),
        note,
        log: (err as Error).message,
        data: { commit: input.commit },
      },
    ];
  }
  const results: CheckResult[] = [];
  for (const file of executableTests(path.join(input.sourceDir, 'tests'))) {
    if (input.signal?.aborted) break;
    const testcase = `${MODULE_TESTS_PREFIX}${file}`;
    input.onTest?.(testcase);
    const run = await runCiProcess({
      command: path.join(input.sourceDir, 'tests', file),
      args: [],
      cwd: input.sourceDir,
      env: {
        ...input.env,
        CASCADE_INSTALLROOT: input.installroot,
        CASCADE_NSVC: input.nsvc,
        CASCADE_MODULE_REPO: input.repoDir,
      },
      timeoutMs: input.timeoutMs,
      signal: input.signal,
    });
    const passed = run.exitCode === 0 && !run.timedOut && !run.spawnError;
    const why = describeFailure(run, input.timeoutMs);
    const lastOutput = run.output.trimEnd().split('\n').at(-1)?.trim() ?? '';
    results.push({
      testcase,
      // A script that cannot be started at all (a bad interpreter line, say) is the packager's to fix, not infrastructure's.
      outcome: passed ? 'PASSED' : 'FAILED',
      durationMs: run.durationMs,
      note: passed ? '' : firstLine(run.timedOut || !lastOutput ? why : `${why}: ${lastOutput}`),
      log: run.output,
      data: { file: `tests/${file}`, commit: input.commit, exitCode: run.exitCode, timedOut: run.timedOut },
    });
  }
  return results;
}

function executableTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && (fs.statSync(path.join(dir, entry.name)).mode & 0o111) !== 0)
    .map((entry) => entry.name)
    .sort();
}
