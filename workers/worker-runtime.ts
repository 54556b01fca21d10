/**
 * workers/: process entry points. They build the dependencies from config once (through platform/'s
 * *-setup.ts) and register the workflows and activities on the task queue (worker.ts), serve the API
 * (api.ts), consume the message bus (push-consumer.ts), deliver a dist-git hook's push
 * (dist-git-hook.ts), or run the whole embedded stack in one command (stack.ts). This file holds
 * what those entry points share. Nothing imports workers/ but the tests and benchmarks.
 */
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import type { NativeConnection } from '@temporalio/worker';
import { DefaultLogger, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities';
import { createBuilder, createModuleCi } from '../platform/build-setup';
import { campaignSettings, type CascadeConfig } from '../platform/config';
import { createDistGit } from '../platform/dist-git-setup';
import { createNotifierFromConfig } from '../platform/notifier-setup';
import type { Logger } from '../platform/logger';

let runtimeInstalled = false;

/** Routes the Temporal SDK's own log lines into our logger (once per process). */
export function installTemporalRuntime(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const sdk = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => {
      const level = entry.level.toLowerCase() as Lowercase<LogLevel>;
      const method =
        level === 'trace'
          ? 'trace'
          : level === 'debug'
            ? 'debug'
            : level === 'info'
              ? 'info'
              : level === 'warn'
                ? 'warn'
                : 'error';
      sdk[method](entry.meta ?? {}, entry.message);
    }),
    // Cascade's processes shut their workers down themselves, in order.
    shutdownSignals: [],
  });
}

export async function createCascadeWorker(deps: {
  config: CascadeConfig;
  prisma: PrismaClient;
  connection: NativeConnection;
  /** the chaos harness's zero-cost builds (chaos/zero-cost-builds.ts) and a prebuilt workflow bundle */
  replace?: Partial<Pick<ActivityDependencies, 'builder' | 'ci' | 'writeModuleRepo'>> & { workflowBundlePath?: string };
}): Promise<Worker> {
  const distGit = createDistGit(deps.config);
  const { workflowBundlePath: bundlePath, ...replaced } = deps.replace ?? {};
  return Worker.create({
    connection: deps.connection,
    namespace: deps.config.temporal.namespace,
    taskQueue: deps.config.temporal.taskQueue,
    ...(bundlePath
      ? { workflowBundle: { codePath: bundlePath } }
      : { workflowsPath: path.join(__dirname, '..', 'workflows', 'index.ts') }),
    activities: createActivities({
      prisma: deps.prisma,
      distGit,
      builder: createBuilder(deps.config),
      kojiRoot: deps.config.builds.kojiRoot,
      campaigns: {
        settings: campaignSettings(deps.config),
        pushBranches: deps.config.campaigns.pushBranches,
        taskQueue: deps.config.temporal.taskQueue,
      },
      notifier: createNotifierFromConfig(deps.config.notify, deps.prisma),
      ci: createModuleCi(deps.config, { prisma: deps.prisma, distGit }),
      composes: deps.config.composes,
      ...replaced,
    }),
  });
}
