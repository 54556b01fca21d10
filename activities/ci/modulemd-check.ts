// modulemd.valid: the build's final modulemd (with its artifacts) reads as one module stream, names
// this very build, and libmodulemd's modulemd-validator accepts it (what dnf will load from the repo).
import fs from 'node:fs';
import path from 'node:path';
import { parseNsvc } from '../../domain/module-build';
import { describeModulemdError, parseModuleStream, type ModuleStreamV2 } from '../../domain/modulemd';
import { describeFailure, runCiProcess } from './ci-process';
import { firstLine, type CheckResult } from './module-ci';

export const MODULEMD_TESTCASE = 'modulemd.valid';
const VALIDATOR_TIMEOUT_MS = 60_000;

export interface ModulemdCheckInput {
  nsvc: string;
  modulemd: string | null;
  runDir: string;
  env: Record<string, string>;
  signal?: AbortSignal;
}

/** The result, and the parsed stream when it parses (the later checks need it). */
export async function checkModulemd(
  input: ModulemdCheckInput,
): Promise<{ result: CheckResult; stream?: ModuleStreamV2 }> {
  const started = performance.now();
  const done = (outcome: CheckResult['outcome'], note: string, log: string, stream?: ModuleStreamV2) => ({
    result: {
      testcase: MODULEMD_TESTCASE,
      outcome,
      durationMs: Math.round(performance.now() - started),
      note,
      log,
      data: {},
    },
    stream,
  });
  if (!input.modulemd) return done('FAILED', 'the build has no final modulemd', '');
  const parsed = parseModuleStream(input.modulemd, { fileName: 'modulemd.yaml' });
  if (!parsed.ok) {
    const lines = parsed.errors.map((e) => describeModulemdError(e));
    return done('FAILED', firstLine(lines[0] ?? 'does not parse'), lines.join('\n'));
  }
  const stream = parsed.stream;
  const mismatch = nsvcMismatch(input.nsvc, stream);
  if (mismatch) return done('FAILED', mismatch, mismatch, stream);

  const file = path.join(input.runDir, 'modulemd.yaml');
  await fs.promises.writeFile(file, input.modulemd);
  const run = await runCiProcess({
    command: 'modulemd-validator',
    args: ['--verbose', file],
    cwd: input.runDir,
    env: input.env,
    timeoutMs: VALIDATOR_TIMEOUT_MS,
    signal: input.signal,
  });
  const log = `$ modulemd-validator --verbose modulemd.yaml\n${run.output}`;
  if (run.spawnError || run.timedOut) return done('ERROR', describeFailure(run, VALIDATOR_TIMEOUT_MS), log, stream);
  if (run.exitCode !== 0)
    return done('FAILED', `modulemd-validator: ${firstLine(run.output) || describeFailure(run, 0)}`, log, stream);
  return done('PASSED', '', log, stream);
}

function nsvcMismatch(nsvc: string, stream: ModuleStreamV2): string | undefined {
  const expected = parseNsvc(nsvc);
  if (!expected.ok) return expected.error.message;
  const { name, stream: streamName, version, context } = expected.nsvc;
  const found = `${stream.name}:${stream.stream}:${stream.version ?? ''}:${stream.context ?? ''}`;
  const same =
    stream.name === name &&
    stream.stream === streamName &&
    String(stream.version ?? '') === version &&
    stream.context === context;
  return same ? undefined : `the modulemd names ${found}, not this build`;
}
