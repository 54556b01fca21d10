// Builds the builder (Koji's job) and the module CI (Taskotron's job) from config, as
// dist-git-setup.ts and notifier-setup.ts build theirs: the one place that chooses an
// implementation, so workers and the API never construct one by hand.
import fs from 'node:fs';
import type { PrismaClient } from '@prisma/client';
import { LocalModuleCi, ResultsDbSink, type ModuleCi } from '../activities/ci';
import type { DistGit } from '../activities/distgit';
import { KojiHubBuilder, KojiHubClient, LocalKoji, type Builder } from '../activities/koji';
import { ConfigError, type CascadeConfig, type KojiHubSettings } from './config';

/** LocalKoji (rpmbuild under the Koji root), or a Koji hub when CASCADE_BUILDER=koji. */
export function createBuilder(config: CascadeConfig): Builder {
  const koji = config.builds.koji;
  if (!koji) return new LocalKoji({ root: config.builds.kojiRoot });
  return new KojiHubBuilder({
    client: createKojiHubClient(koji),
    topUrl: koji.topUrl,
    cacheRoot: config.builds.kojiRoot,
    serverCa: koji.serverCaFile ? readConfigFile(koji.serverCaFile, 'CASCADE_KOJI_SERVERCA') : undefined,
    arches: koji.arches,
    buildGroup: koji.buildGroup,
    platformTag: koji.platformTag,
  });
}

function readConfigFile(file: string, variable: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new ConfigError(`invalid configuration: ${variable}: ${file} cannot be read (${(err as Error).message})`);
  }
}

export function createKojiHubClient(koji: KojiHubSettings): KojiHubClient {
  const auth =
    koji.auth.kind === 'ssl'
      ? koji.auth
      : {
          kind: 'password' as const,
          user: koji.auth.user,
          password: readConfigFile(koji.auth.passwordFile, 'CASCADE_KOJI_PASSWORD_FILE').toString('utf8').trim(),
        };
  if (auth.kind === 'ssl') readConfigFile(auth.certFile, 'CASCADE_KOJI_CERT');
  return new KojiHubClient({ hubUrl: koji.hubUrl, auth, serverCaFile: koji.serverCaFile });
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
