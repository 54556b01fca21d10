// LocalModuleCi: the embedded CI. It checks one ready module build on this machine, in order:
//   modulemd.valid        the final modulemd parses, names this build, and modulemd-validator accepts it
//   rpm.digests           rpm -K on every RPM of the build's repository
//   dnf.install           the binary RPMs install into an empty installroot (with the dependencies' repos)
//   module.tests.<file>   each executable file under tests/ in the module's dist-git at the build's commit
// The module tests run only when dnf.install passed: without an installroot they would only repeat its failure.
// A run's results and the build's ciOutcome are stored together, keyed by the run key; running a key
// again answers the stored verdict without running anything. A build that is not ready gets a FAILED
// verdict with one result (module.ready) rather than an exception, so a caller handles it like any
// other failed CI; an NSVC that names no build is a caller's bug and fails the activity for good.
// Work files live under <workDir>/<run key>/ and are kept when the run did not pass, for a person to look at.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { ApplicationFailure } from '@temporalio/activity';
import { findModuleBuildForCi, noteOf, readCiRun, recordCiRun, type StoredCiRunResult } from '../../store/ci-results';
import type { DistGit } from '../distgit';
import { moduleRepoDir } from '../module-build/module-build-plan';
import { CI_PATH } from './ci-process';
import { checkDnfInstall } from './dnf-install-check';
import {
  summarizeResults,
  type CheckResult,
  type CiRequest,
  type CiResultOutcome,
  type CiRunOptions,
  type CiVerdict,
  type ModuleCi,
} from './module-ci';
import { resolveModuleDependencies } from './module-dependencies';
import { checkModulemd } from './modulemd-check';
import { runModuleTests } from './module-tests';
import type { CiResultSink } from './resultsdb-sink';
import { checkRpmDigests } from './rpm-digest-check';

export interface LocalModuleCiOptions {
  prisma: PrismaClient;
  distGit: DistGit;
  kojiRoot: string;
  /** config.ci.workDir */
  workDir: string;
  /** time limit of each module test */
  testTimeoutMs: number;
  /** where results go besides the store (an external ResultsDB), when configured */
  resultSink?: CiResultSink;
}

type BuildUnderTest = NonNullable<Awaited<ReturnType<typeof findModuleBuildForCi>>>;

const fail = (message: string, type: string) => ApplicationFailure.nonRetryable(message, type);

/** The run's directory: the run key when it is a plain file name, else a readable form of it plus a hash. */
export function ciRunDir(workDir: string, runKey: string): string {
  const plain = runKey.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  const exact = plain === runKey && !/^\.+$/.test(runKey);
  const hash = crypto.createHash('sha256').update(runKey).digest('hex').slice(0, 12);
  return path.join(workDir, exact ? runKey : `${plain}-${hash}`);
}

export class LocalModuleCi implements ModuleCi {
  constructor(private readonly options: LocalModuleCiOptions) {}

  async runChecks(request: CiRequest, options: CiRunOptions = {}): Promise<CiVerdict> {
    const { prisma } = this.options;
    const { nsvc, runKey } = checkRequest(request);
    const earlier = await readCiRun(prisma, runKey);
    if (earlier.length > 0) {
      const verdict = verdictOf(runKey, nsvc, earlier);
      await this.forward(request, earlier);
      return verdict;
    }
    const build = await findModuleBuildForCi(prisma, nsvc);
    if (!build) throw fail(`module build ${nsvc} does not exist`, 'ModuleBuildNotFound');

    const runDir = ciRunDir(this.options.workDir, runKey);
    const results = build.state === 'ready' ? await this.checkBuild(build, runDir, options) : [notReady(build)];
    if (options.signal?.aborted) throw options.signal.reason ?? new Error(`CI run ${runKey} was cancelled`);
    const stored = await recordCiRun(prisma, {
      runKey,
      nsvc,
      moduleBuildId: build.id,
      campaignId: request.campaignId,
      results: results.map((r) => ({ ...r, data: { ...r.data, note: r.note } })),
    });
    const verdict = verdictOf(runKey, nsvc, stored);
    await this.forward(request, stored);
    if (verdict.outcome === 'PASSED') fs.rmSync(runDir, { recursive: true, force: true });
    return verdict;
  }

  /** The stored results to the sink; also on a rerun, since an earlier attempt may have stopped halfway. */
  private async forward(request: CiRequest, stored: StoredCiRunResult[]): Promise<void> {
    const sink = this.options.resultSink;
    if (!sink) return;
    await sink.publish(
      stored.map((r) => {
        const data = r.data && typeof r.data === 'object' && !Array.isArray(r.data) ? r.data : {};
        return {
          resultKey: `${request.runKey}/${r.testcase}`,
          testcase: r.testcase,
          outcome: r.outcome,
          note: noteOf(r.data),
          item: r.item,
          itemType: 'module',
          runKey: request.runKey,
          campaignId: request.campaignId ?? null,
          durationMs: r.durationMs,
          data: data as Record<string, unknown>,
          logPath: `/api/v1/ci/results/${r.id}/log`,
        };
      }),
    );
  }

  private async checkBuild(build: BuildUnderTest, runDir: string, options: CiRunOptions): Promise<CheckResult[]> {
    const { signal } = options;
    // A retried run starts from nothing: whatever an earlier attempt left is not trusted.
    fs.rmSync(runDir, { recursive: true, force: true });
    for (const dir of ['home', 'tmp']) fs.mkdirSync(path.join(runDir, dir), { recursive: true });
    const env = { PATH: CI_PATH, LC_ALL: 'C', HOME: path.join(runDir, 'home'), TMPDIR: path.join(runDir, 'tmp') };
    const repoDir = moduleRepoDir(this.options.kojiRoot, build.nsvc);
    const installroot = path.join(runDir, 'installroot');

    options.onCheck?.('modulemd.valid');
    const modulemd = await checkModulemd({ nsvc: build.nsvc, modulemd: build.modulemd, runDir, env, signal });
    options.onCheck?.('rpm.digests');
    const digests = await checkRpmDigests({ repoDir, env, signal });
    options.onCheck?.('dnf.install');
    const dependencies = modulemd.stream
      ? await resolveModuleDependencies(this.options.prisma, this.options.kojiRoot, modulemd.stream)
      : undefined;
    const install = await checkDnfInstall({
      nsvc: build.nsvc,
      stream: modulemd.stream,
      repoDir,
      dependencies,
      installroot,
      cacheDir: path.join(runDir, 'dnf-cache'),
      env,
      signal,
    });
    const tests =
      install.outcome === 'PASSED'
        ? await runModuleTests({
            distGit: this.options.distGit,
            module: build.name,
            commit: build.commitHash,
            nsvc: build.nsvc,
            sourceDir: path.join(runDir, 'source'),
            installroot,
            repoDir,
            env,
            timeoutMs: this.options.testTimeoutMs,
            onTest: options.onCheck,
            signal,
          })
        : [];
    return [modulemd.result, digests, install, ...tests];
  }
}

function checkRequest(request: CiRequest): CiRequest {
  if (typeof request?.nsvc !== 'string' || request.nsvc.split(':').length !== 4)
    throw fail(`nsvc: ${JSON.stringify(request?.nsvc)} is not name:stream:version:context`, 'InvalidCiRequest');
  if (typeof request.runKey !== 'string' || request.runKey.length === 0 || request.runKey.length > 300)
    throw fail(`runKey: must be 1-300 characters, got ${JSON.stringify(request.runKey)}`, 'InvalidCiRequest');
  return request;
}

function notReady(build: BuildUnderTest): CheckResult {
  return {
    testcase: 'module.ready',
    outcome: 'FAILED',
    durationMs: 0,
    note: `the module build is ${build.state}, not ready: there is nothing to check`,
    log: '',
    data: { state: build.state },
  };
}

const outcomes: readonly string[] = ['PASSED', 'FAILED', 'ERROR'];

function verdictOf(runKey: string, nsvc: string, stored: StoredCiRunResult[]): CiVerdict {
  const other = stored.find((r) => r.item !== nsvc);
  if (other) throw fail(`runKey ${runKey} already holds the CI results of ${other.item}, not ${nsvc}`, 'CiRunKeyTaken');
  const results = stored.map((r) => ({
    testcase: r.testcase,
    outcome: (outcomes.includes(r.outcome) ? r.outcome : 'ERROR') as CiResultOutcome,
    durationMs: r.durationMs ?? 0,
    note: noteOf(r.data),
  }));
  return {
    runKey,
    nsvc,
    outcome: results.every((r) => r.outcome === 'PASSED') ? 'PASSED' : 'FAILED',
    results: results.map(({ testcase, outcome, durationMs }) => ({ testcase, outcome, durationMs })),
    summary: summarizeResults(nsvc, results),
  };
}
