// Component builds as an activity: look the build up by its natural key first, export the
// component's source at the exact commit from dist-git, submit to the builder, and watch it while
// heartbeating (called directly, as the local module builder does, without). Run twice (a retry, a
// restarted worker), it finds the same task or the finished build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { DistGit } from '../distgit';
import type { BuildRecord, Builder } from './builder';

export interface ComponentBuildInput {
  component: string;
  commit: string;
  buildrootHash: string;
  buildrootRepos: string[];
  macros: Record<string, string>;
  timeoutMs: number;
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
  const sourceDir = fs.mkdtempSync(path.join(os.tmpdir(), `cascade-src-${input.component}-`));
  let taskId: string;
  try {
    const repo = { namespace: 'rpms' as const, name: input.component };
    await distGit.refresh?.(repo);
    await distGit.exportTree(repo, input.commit, sourceDir);
    taskId = (await builder.submit({ ...input, sourceDir })).taskId;
  } finally {
    fs.rmSync(sourceDir, { recursive: true, force: true });
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

export function createKojiActivities(deps: { builder: Builder; distGit: DistGit }) {
  const { builder } = deps;
  return {
    async buildComponent(input: ComponentBuildInput): Promise<ComponentBuildOutput> {
      const ctx = Context.current();
      return buildComponentOnce(deps, input, {
        onProgress: (progress) => ctx.heartbeat(progress),
        cancelled: ctx.cancelled.then(() => undefined as never),
      });
    },

    async componentBuildLog(taskId: string): Promise<string> {
      return builder.taskLog(taskId);
    },
  };
}
