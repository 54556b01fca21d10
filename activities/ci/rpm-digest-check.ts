// rpm.digests: every RPM in the build's repository (binary and source) passes `rpm -K`. The RPMs
// are unsigned here, so signatures are not checked (--nosignature): the digests catch a truncated or
// corrupted file. One rpm call per file, so a failure names its file without parsing rpm's output.
import fs from 'node:fs';
import { describeFailure, runCiProcess } from './ci-process';
import { firstLine, type CheckResult } from './module-ci';

export const RPM_DIGESTS_TESTCASE = 'rpm.digests';
const RPM_TIMEOUT_MS = 120_000;

export interface RpmDigestCheckInput {
  repoDir: string;
  env: Record<string, string>;
  signal?: AbortSignal;
}

export async function checkRpmDigests(input: RpmDigestCheckInput): Promise<CheckResult> {
  const started = performance.now();
  const done = (outcome: CheckResult['outcome'], note: string, log: string, data: Record<string, unknown> = {}) => ({
    testcase: RPM_DIGESTS_TESTCASE,
    outcome,
    durationMs: Math.round(performance.now() - started),
    note,
    log,
    data: { repo: input.repoDir, ...data },
  });
  if (!fs.existsSync(input.repoDir)) return done('ERROR', `the module repository ${input.repoDir} is missing`, '');
  const files = fs
    .readdirSync(input.repoDir)
    .filter((f) => f.endsWith('.rpm'))
    .sort();
  if (files.length === 0) return done('FAILED', `no RPMs in ${input.repoDir}`, '');

  const log: string[] = [];
  const bad: { file: string; why: string }[] = [];
  for (const file of files) {
    const run = await runCiProcess({
      command: 'rpm',
      args: ['-K', '--nosignature', file],
      cwd: input.repoDir,
      env: input.env,
      timeoutMs: RPM_TIMEOUT_MS,
      signal: input.signal,
    });
    log.push(run.output.trimEnd() || `${file}: ${describeFailure(run, RPM_TIMEOUT_MS)}`);
    if (run.spawnError || run.timedOut || run.aborted)
      return done('ERROR', describeFailure(run, RPM_TIMEOUT_MS), log.join('\n'), { rpms: files });
    if (run.exitCode !== 0 || !/: digests OK\s*$/.test(run.output)) {
      const output = run.output.replace(`${file}:`, '').trim();
      bad.push({ file, why: firstLine(output, 120) || describeFailure(run, 0) });
    }
  }
  if (bad.length === 0) return done('PASSED', '', log.join('\n'), { rpms: files });
  const named = bad.map((b) => `${b.file} (${b.why})`).join(', ');
  return done('FAILED', `${bad.length} of ${files.length} RPMs fail rpm -K: ${named}`, log.join('\n'), {
    rpms: files,
    bad: bad.map((b) => b.file),
  });
}
