// The store side of a module build as activities: states, component outcomes, reuse, and finishing
// (the module repository, tags, the final modulemd). Each is safe to run twice.
import type { PrismaClient } from '@prisma/client';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { kojiTagName } from '../../domain/module-build';
import { parseNsvc } from '../../domain/module-build';
import {
  findReusableComponentBuild,
  recordedComponentBuild,
  setComponentBuildState,
  setModuleBuildState,
  type ComponentOutcome,
} from '../../store/module-builds';
import {
  componentBuildOrReuse,
  type ComponentResult,
  type ComponentStepRequest,
} from '../../domain/module-build/run-module-build';
import type { DistGit } from '../distgit';
import type { Builder } from '../koji';
import { buildComponentHeartbeating } from '../koji/koji-activities';
import { writeModuleRepo, type ModuleRepoInput, type ModuleRepoOutput } from '../koji/module-repo';
import { moduleRepoDir } from './module-build-plan';
import { heartbeatWhile } from './step-heartbeats';

export interface ModuleBuildActivityDependencies {
  prisma: PrismaClient;
  builder: Builder;
  distGit: DistGit;
  kojiRoot: string;
  /** writes the finished module's repository; createrepo_c and modulemd-validator unless replaced (bench/campaign.ts) */
  writeModuleRepo?: (input: ModuleRepoInput) => Promise<ModuleRepoOutput>;
}

export function createModuleBuildActivities(deps: ModuleBuildActivityDependencies) {
  const { prisma, builder } = deps;
  const writeRepo = deps.writeModuleRepo ?? writeModuleRepo;
  const activities = {
    async setModuleBuildState(
      nsvc: string,
      state: 'wait' | 'build' | 'done' | 'ready' | 'failed',
      reason?: string,
    ): Promise<void> {
      await setModuleBuildState(prisma, nsvc, state, { reason: reason ?? null });
    },

    async recordComponentOutcome(nsvc: string, name: string, outcome: ComponentOutcome): Promise<void> {
      await setComponentBuildState(prisma, nsvc, name, outcome);
    },

    /** Takes over a successful build of the same source in the same buildroot, recording where it came from. */
    async reuseComponentBuild(input: {
      nsvc: string;
      name: string;
      commit: string;
      buildrootHash: string;
    }): Promise<{ nvr: string; dir: string } | undefined> {
      const earlier = await findReusableComponentBuild(
        prisma,
        input.name,
        input.commit,
        input.buildrootHash,
        input.nsvc,
      );
      if (!earlier?.nvr) return undefined;
      const build = await builder.getBuild(earlier.nvr);
      if (!build) return undefined;
      await setComponentBuildState(prisma, input.nsvc, input.name, {
        state: 'reused',
        buildrootHash: input.buildrootHash,
        nvr: earlier.nvr,
        taskId: earlier.taskId,
        reusedFromId: earlier.id,
      });
      return { nvr: build.nvr, dir: build.dir };
    },

    /**
     * One component as one activity (the ModuleBuild workflow's since the patch
     * 'module-build-steps-in-activities'): taken over, or recorded, built and recorded, as
     * componentBuildOrReuse does. A build that fails for good is recorded failed and answered; anything
     * else (the store or a hub out of reach) fails the activity, whose retry finds what was done.
     */
    async buildModuleComponent(request: ComponentStepRequest): Promise<ComponentResult> {
      // A retry after this step recorded its build (the worker died before reporting it) answers that
      // build; a first attempt has nothing of its own to find, and asks nothing more than the steps do.
      if (Context.current().info.attempt > 1) {
        const recorded = await recordedComponentBuild(prisma, request.nsvc, request.name);
        if (recorded?.nvr && recorded.buildrootHash === request.buildrootHash) {
          const build = await builder.getBuild(recorded.nvr);
          if (build) return { nvr: build.nvr, dir: build.dir, reused: recorded.state === 'reused' };
        }
      }
      return componentBuildOrReuse(
        {
          reuseComponentBuild: (input) => activities.reuseComponentBuild(input),
          recordComponentOutcome: (nsvc, name, outcome) => setComponentBuildState(prisma, nsvc, name, outcome),
          buildComponent: (input) => buildComponentHeartbeating(deps, input),
          isFinal: (err) => err instanceof ApplicationFailure && err.nonRetryable === true,
        },
        request,
      );
    },

    /** The module repository with the final modulemd, the builds tagged, the module ready (and done first, when asked). */
    async finishModuleBuild(input: {
      nsvc: string;
      modulemd: string;
      buildDirs: string[];
      nvrs: string[];
      markDone?: boolean;
    }): Promise<{ repoDir: string; artifacts: number }> {
      if (input.markDone) await setModuleBuildState(prisma, input.nsvc, 'done');
      return heartbeatWhile(async () => {
        const repo = await writeRepo({
          dir: moduleRepoDir(deps.kojiRoot, input.nsvc),
          modulemd: input.modulemd,
          buildDirs: input.buildDirs,
        });
        const n = parseNsvc(input.nsvc);
        if (n.ok) {
          const tag = kojiTagName(n.nsvc.name, n.nsvc.stream, n.nsvc.version, n.nsvc.context);
          for (const nvr of input.nvrs) await builder.tag(tag, nvr);
        }
        await setModuleBuildState(prisma, input.nsvc, 'ready', { modulemd: repo.modulemd });
        return { repoDir: repo.dir, artifacts: repo.artifacts.length };
      });
    },
  };
  return activities;
}
