// Component builds as an activity: look the build up by its natural key first, export the
// component's source at the exact commit from dist-git, submit to the builder, and watch it while
// heartbeating (called directly, as the local module builder does, without). Run twice (a retry, a
// restarted worker), it finds the same task or the finished build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { DistGit } from '../distgit';
import type { BuildRecord, Builder, ModuleBuildContext } from './builder';
import { KOJI_FAULT, KojiCallError } from './koji-hub-client';

export interface ComponentBuildInput {
  component: string;
  commit: string;
  buildrootHash: string;
  buildrootRepos: string[];
  macros: Record<string, string>;
  timeoutMs: number;
  module?: ModuleBuildContext;
}

export interface ComponentBuildOutput {
  nvr: string;
  taskId: string;
  rpms: string[];
  dir: string;
  /** true when the build already existed (from an earlier attempt or an earlier module build) */
  found: boolean;
}

const toOutput = (build: BuildRecord, found: boolean): ComponentBuildOutput => ({
  nvr: build.nvr,
  taskId: build.taskId,
  rpms: build.rpms,
  dir: build.dir,
  found,
});

/** How a component build is watched: progress (the activity heartbeats) and a way to stop waiting. */
export interface BuildWatch {
  onProgress?: (progress: { taskId: string; attempt: number; logBytes: number }) => void;
  /** settles when the caller gives up (the activity was cancelled); the build itself goes on */
  cancelled?: Promise<never>;
}

/**
 * One component build: found by its key, or exported from dist-git, submitted and watched to its end.
 * Plain library code: the activity below wraps it with a heartbeat, the local module builder calls it
 * directly. Throws a non-retryable ComponentBuildFailed when rpmbuild fails.
 */
export async function buildComponentOnce(
  deps: { builder: Builder; distGit: DistGit },
  input: ComponentBuildInput,
  watch: BuildWatch = {},
): Promise<ComponentBuildOutput> {
  const { builder, distGit } = deps;
  const existing = await builder.findBuild(input);
  if (existing) return toOutput(existing, true);
  // asynchronous: a source tree (tarballs included) is not removed on the event loop the activities share
  const sourceDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `cascade-src-${input.component}-`));
  let taskId: string;
  try {
    const repo = { namespace: 'rpms' as const, name: input.component };
    await distGit.refresh?.(repo);
    await distGit.exportTree(repo, input.commit, sourceDir);
    const scmUrl = `git+${distGit.cloneUrl(repo)}?#${input.commit}`;
    taskId = (await builder.submit({ ...input, sourceDir, scmUrl })).taskId;
  } finally {
    await fs.promises.rm(sourceDir, { recursive: true, force: true });
  }
  const watching = builder.watch(taskId, (status, logBytes) =>
    watch.onProgress?.({ taskId, attempt: status.attempt, logBytes }),
  );
  const done = await (watch.cancelled ? Promise.race([watching, watch.cancelled]) : watching);
  if (done.state !== 'complete' || !done.nvr) {
    throw ApplicationFailure.nonRetryable(
      `${input.component} at ${input.commit.slice(0, 12)}: ${done.reason ?? 'build failed'} (task ${taskId})`,
      'ComponentBuildFailed',
      { taskId },
    );
  }
  const build = await builder.getBuild(done.nvr);
  if (!build) throw new Error(`task ${taskId} completed ${done.nvr} but the build is not readable`);
  return toOutput(build, false);
}

/** Faults that say the hub is busy or the call may have happened: worth another attempt. */
const TRANSIENT_FAULTS = new Set<number>([1001, KOJI_FAULT.RetryError, KOJI_FAULT.ServerOffline]);

/**
 * A Koji hub's fault will not heal by retrying (a missing tag, a refused permission): the activity
 * fails for good, naming the method and the fault. A hub out of reach stays a plain, retried error.
 */
function finalOnFault(err: unknown): never {
  if (err instanceof KojiCallError && !TRANSIENT_FAULTS.has(err.faultCode))
    throw ApplicationFailure.nonRetryable(err.message, 'KojiFault', {
      method: err.method,
      faultCode: err.faultCode,
    });
  throw err;
}

/** buildComponentOnce as an activity's step: heartbeating while it submits and watches, stopping when cancelled. */
export async function buildComponentHeartbeating(
  deps: { builder: Builder; distGit: DistGit },
  input: ComponentBuildInput,
): Promise<ComponentBuildOutput> {
  const ctx = Context.current();
  // Before the watch heartbeats, submitting can wait on a hub (a Koji repo regenerated for the
  // buildroot takes minutes): the activity says it is alive meanwhile.
  let watching = false;
  const alive = setInterval(() => watching || ctx.heartbeat({ submitting: input.component }), 5000);
  // Raced against the watch once the task is submitted; until then (or if submitting fails) nothing
  // else listens, and a worker shutting down cancels the activity: without this handler that rejection
  // went unhandled and took the worker's process down (seen ending the 40,000-module bench).
  const cancelled = ctx.cancelled.then(() => undefined as never);
  cancelled.catch(() => undefined);
  try {
    return await buildComponentOnce(deps, input, {
      onProgress: (progress) => {
        watching = true;
        ctx.heartbeat(progress);
      },
      cancelled,
    });
  } catch (err) {
    return finalOnFault(err);
  } finally {
    clearInterval(alive);
  }
}

export function createKojiActivities(deps: { builder: Builder; distGit: DistGit }) {
  const { builder } = deps;
  return {
    async buildComponent(input: ComponentBuildInput): Promise<ComponentBuildOutput> {
      return buildComponentHeartbeating(deps, input);
    },

    async componentBuildLog(taskId: string): Promise<string> {
      return builder.taskLog(taskId).catch(finalOnFault);
    },
  };
}
