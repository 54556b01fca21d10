// Builds the builder (Koji's job) and the module CI (Taskotron's job) from config, as
// dist-git-setup.ts and notifier-setup.ts build theirs: the one place that chooses an
// implementation, so workers and the API never construct one by hand.
import type { PrismaClient } from '@prisma/client';
import { LocalModuleCi, ResultsDbSink, type ModuleCi } from '../activities/ci';
import type { DistGit } from '../activities/distgit';
import { LocalKoji, type Builder } from '../activities/koji';
import type { CascadeConfig } from './config';

/** The embedded builder (rpmbuild under the Koji root) is the only one Cascade has so far. */
export function createBuilder(config: CascadeConfig): Builder {
  return new LocalKoji({ root: config.builds.kojiRoot });
}

/** The embedded CI (dnf install checks, rpm digests, the module's own tests) is the only one so far. */
export function createModuleCi(config: CascadeConfig, deps: { prisma: PrismaClient; distGit: DistGit }): ModuleCi {
  return new LocalModuleCi({
    prisma: deps.prisma,
    distGit: deps.distGit,
    kojiRoot: config.builds.kojiRoot,
    workDir: config.ci.workDir,
    testTimeoutMs: config.ci.testTimeoutMs,
    resultSink: config.ci.resultsDbUrl
      ? new ResultsDbSink({ url: config.ci.resultsDbUrl, publicUrl: config.api.publicUrl })
      : undefined,
  });
}
