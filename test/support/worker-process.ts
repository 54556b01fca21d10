// A Cascade worker as a process of its own against a test stack, for the tests that kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestStack } from './stack';

const projectRoot = path.join(__dirname, '..', '..');

export function startWorkerProcess(stack: TestStack, extraEnv: Record<string, string> = {}): ChildProcess {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: stack.home,
    DATABASE_URL: stack.db.target.kind === 'postgres' ? stack.db.target.url : '',
    TEMPORAL_ADDRESS: stack.config.temporal.address,
    CASCADE_TASK_QUEUE: stack.config.temporal.taskQueue,
    CASCADE_DATA_DIR: stack.config.dataDir,
    CASCADE_DISTGIT_ROOT: stack.distGit.root,
    CASCADE_WEBHOOK_SECRET_FILE: stack.config.webhookSecretFile,
    CASCADE_KOJI_ROOT: stack.config.builds.kojiRoot,
    CASCADE_COMPOSE_ROOT: stack.config.composes.topdir,
    CASCADE_MIRROR_ROOT: stack.config.composes.mirrorRoot,
    CASCADE_LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  // node itself, not the tsx wrapper: SIGKILL must hit the worker, not a parent that outlives it.
  return spawn(process.execPath, ['--import', 'tsx', 'workers/worker.ts'], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
