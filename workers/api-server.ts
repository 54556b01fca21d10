// Starts the HTTP server for the API and closes it on request.
import type { Server } from 'node:http';
import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import { createApp, type ApiDependencies } from '../api/app';
import { createAppServer } from '../api/app-server';
import { changeListenerFor } from '../api/metadata/change-notifications';
import { MetadataService } from '../api/metadata/metadata-service';
import { LocalDistGit } from '../activities/distgit';
import { createComposeClient, ensureComposeReaperSchedule } from '../clients/compose-client';
import { createBuilder } from '../platform/build-setup';
import { campaignSettings, type CascadeConfig } from '../platform/config';
import { createDistGit, ensureWebhookSecret } from '../platform/dist-git-setup';
import type { Logger } from '../platform/logger';
import { replaySpooledPushes, replaySpooledPushesEvery } from './spooled-pushes';

export interface RunningApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(deps: ApiDependencies, host: string, port: number): Promise<RunningApi> {
  await deps.metadata.load();
  if (deps.distGitRoot) {
    const replayed = await replaySpooledPushes(deps.distGitRoot, deps.temporal, deps.taskQueue, deps.logger);
    if (replayed) deps.logger.info({ replayed }, 'replayed push events spooled while the API was down');
  }
  const stopReplays = deps.distGitRoot
    ? replaySpooledPushesEvery(deps.distGitRoot, deps.temporal, deps.taskQueue, deps.logger)
    : async () => undefined;
  if (deps.composeReapEverySeconds)
    await ensureComposeReaperSchedule(deps.temporal, deps.taskQueue, deps.composeReapEverySeconds);
  const app = createApp(deps);
  const server = createAppServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    url: `http://${host}:${actualPort}`,
    close: async () => {
      await stopReplays();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await deps.metadata.close();
    },
  };
}

/** The API's dependencies as both the production entry point and the embedded stack build them. */
export function apiDependencies(
  config: CascadeConfig,
  prisma: PrismaClient,
  temporal: Client,
  logger: Logger,
): ApiDependencies {
  const distGit = createDistGit(config);
  return {
    prisma,
    temporal,
    taskQueue: config.temporal.taskQueue,
    databaseKind: config.database.kind,
    readsRequireAuth: config.api.readsRequireAuth,
    logger,
    metadata: new MetadataService(prisma, {
      onError: (error) => logger.warn({ err: error }, 'metadata catch-up failed'),
      listener: changeListenerFor(config.database, prisma),
      onListenerLost: (error) => logger.warn({ err: error }, 'metadata change listener lost; looking at the feed'),
    }),
    webhookSecret: ensureWebhookSecret(config.webhookSecretFile),
    webhookWindowSeconds: config.webhookWindowSeconds,
    distGit,
    builder: createBuilder(config),
    builds: config.builds,
    campaignSettings: campaignSettings(config),
    distGitRoot: config.distGit.kind === 'local' ? config.distGit.root : undefined,
    localDistGit: distGit instanceof LocalDistGit ? distGit : undefined,
    composes: createComposeClient({
      prisma,
      temporal,
      taskQueue: config.temporal.taskQueue,
      build: { ...campaignSettings(config).build, strategy: 'changed-and-after' },
    }),
    mirrorRoot: config.composes.mirrorRoot,
    publicUrl: config.api.explicitPublicUrl,
    odcsSecondsToLive: config.composes.odcsSecondsToLive,
    composeReapEverySeconds: config.composes.reapEverySeconds,
    temporalUi: {
      explicitUrl: config.temporal.explicitUiUrl,
      port: config.temporal.uiPort,
      namespace: config.temporal.namespace,
    },
  };
}
