// Zero-cost builds for the chaos harness, kept on disk so they outlive the processes it kills:
// ZeroCostKoji keeps LocalKoji's task records (tasks/<id>/status.json with its attempt, build.log with
// one "$ rpmbuild" line per run) and build records, but "builds" in a moment, the task recorded whole; ZeroCostModuleCi stores
// one passing result per CI run through the store, as LocalModuleCi does. The harness then judges
// duplicates from the same records it would read after real builds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import type { CiRequest, CiVerdict, ModuleCi } from '../activities/ci';
import { LocalKoji, taskIdFor, type BuildRecord, type BuildRequest, type TaskStatus } from '../activities/koji';
import { readStatus, taskPaths, writeJsonAtomically } from '../activities/koji/task-files';
import { findModuleBuildForCi, readCiRun, recordCiRun } from '../store/ci-results';

export { writeNoModuleRepo } from '../bench/instant-adapters';

/** The testcase every zero-cost CI run records. */
export const ZERO_COST_TESTCASE = 'chaos.zero-cost';

export class ZeroCostKoji extends LocalKoji {
  override async submit(request: BuildRequest): Promise<TaskStatus> {
    const taskId = taskIdFor(request);
    const dir = path.join(this.root, 'tasks', taskId);
    const previous = readStatus(dir);
    if (previous?.state === 'complete') return previous;
    const attempt = (previous?.attempt ?? 0) + 1;
    const nvr = `${request.component}-1.0-1.chaos${taskId.slice(0, 10)}`;
    const buildDir = path.join(this.root, 'packages', nvr);
    const now = new Date().toISOString();
    const record: BuildRecord = {
      nvr,
      component: request.component,
      commit: request.commit,
      buildrootHash: request.buildrootHash,
      taskId,
      rpms: [`${nvr}.noarch.rpm`],
      srpm: `${nvr}.src.rpm`,
      dir: buildDir,
      completedAt: now,
    };
    fs.mkdirSync(buildDir, { recursive: true });
    writeJsonAtomically(path.join(buildDir, 'build.json'), record);
    // A real task runs in a process of its own, which a worker's death does not interrupt; this one
    // runs inside the worker, so its run and its result appear together (staged, then renamed into
    // place) or not at all. Recorded step by step, a worker killed between the "$ rpmbuild" line and
    // the status made the retry run it again (found by the chaos harness).
    const staging = `${dir}.staging-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    fs.writeFileSync(
      taskPaths(staging).log,
      `$ rpmbuild -ba ${request.component}.spec (zero-cost, attempt ${attempt})\n`,
    );
    const status: TaskStatus = { taskId, state: 'complete', attempt, nvr, startedAt: now, finishedAt: now };
    writeJsonAtomically(taskPaths(staging).status, status);
    this.publishTask(staging, dir);
    return status;
  }

  /** Puts a staged task in place: one rename (a task left by an earlier, failed attempt goes first). */
  protected publishTask(staging: string, dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  }
}

export class ZeroCostModuleCi implements ModuleCi {
  /** `failing`: modules whose build fails its first CI run (a flaky test a maintainer retries) */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly failing: ReadonlySet<string> = new Set(),
  ) {}

  /** A failing module's build fails the first of its CI runs and passes any later one. */
  private async outcomeFor(build: { id: string; name: string }): Promise<'PASSED' | 'FAILED'> {
    if (!this.failing.has(build.name)) return 'PASSED';
    const earlier = await this.prisma.ciResult.count({ where: { moduleBuildId: build.id } });
    return earlier === 0 ? 'FAILED' : 'PASSED';
  }

  async runChecks(request: CiRequest): Promise<CiVerdict> {
    const earlier = await readCiRun(this.prisma, request.runKey);
    const build = earlier.length > 0 ? undefined : await findModuleBuildForCi(this.prisma, request.nsvc);
    if (earlier.length === 0 && !build) throw new Error(`module build ${request.nsvc} does not exist`);
    const stored =
      earlier.length > 0
        ? earlier
        : await recordCiRun(this.prisma, {
            runKey: request.runKey,
            nsvc: request.nsvc,
            moduleBuildId: build!.id,
            campaignId: request.campaignId,
            results: [
              {
                testcase: ZERO_COST_TESTCASE,
                outcome: await this.outcomeFor(build!),
                durationMs: 0,
                log: `run ${crypto.randomUUID()}\n`,
                data: { note: '' },
              },
            ],
          });
    return {
      runKey: request.runKey,
      nsvc: request.nsvc,
      outcome: stored.every((r) => r.outcome === 'PASSED') ? 'PASSED' : 'FAILED',
      results: stored.map((r) => ({
        testcase: r.testcase,
        outcome: r.outcome === 'PASSED' ? ('PASSED' as const) : ('FAILED' as const),
        durationMs: r.durationMs ?? 0,
      })),
      summary: `${request.nsvc}: zero-cost check (chaos harness)`,
    };
  }
}
