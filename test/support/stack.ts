// A worker and the API, in this test process, against the real Temporal dev server and a fresh
// database of the given kind, on a task queue of their own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { workflowIds } from '../../domain/workflow-ids';
import { LocalDistGit, writeHookConfig } from '../../activities/distgit';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { ensureInitialReleaseEngineer } from '../../api/identity/tokens';
import { loadConfig, type CascadeConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { apiDependencies, startApiServer, type RunningApi } from '../../workers/api-server';
import { createCascadeWorker, installTemporalRuntime } from '../../workers/worker-runtime';
import { freshDatabase, type DatabaseKind, type TestDatabase } from './databases';
import { testEnvironment } from './environment';

export interface TestStack {
  config: CascadeConfig;
  distGit: LocalDistGit;
  webhookSecret: string;
  db: TestDatabase;
  api: RunningApi;
  temporal: Client;
  adminToken: string;
  worker: Worker | undefined;
  home: string;
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ): Promise<{
    status: number; // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies are checked field by field in the tests
    body: any;
  }>;
  stop(): Promise<void>;
}

export async function startTestStack(
  kind: DatabaseKind,
  options: { worker?: boolean; env?: Record<string, string> } = {},
): Promise<TestStack> {
  const logger = createLogger('warn');
  installTemporalRuntime(logger);
  const db = await freshDatabase(kind);
  const home = path.join(testEnvironment.scratch(), `stack-${crypto.randomBytes(4).toString('hex')}`);
  const config = loadConfig({
    CASCADE_DISTGIT_ROOT: path.join(home, 'distgit'),
    CASCADE_WEBHOOK_SECRET_FILE: path.join(home, 'webhook-secret'),
    CASCADE_KOJI_ROOT: path.join(home, 'koji'),
    // Each stack's own: compose ids restart at respin 0 with each fresh database.
    CASCADE_COMPOSE_ROOT: path.join(home, 'composes'),
    CASCADE_MIRROR_ROOT: path.join(home, 'mirror'),
    CASCADE_BUILD_TIMEOUT_SECONDS: '300',
    // the compose reaper's schedule only where a test asks for it (env below)
    CASCADE_COMPOSE_REAP_SECONDS: '0',
    TEMPORAL_ADDRESS: testEnvironment.temporalAddress(),
    CASCADE_TASK_QUEUE: `test-${crypto.randomBytes(4).toString('hex')}`,
    CASCADE_DATA_DIR: testEnvironment.scratch(),
    ...(db.target.kind === 'postgres' ? { DATABASE_URL: db.target.url } : {}),
    ...options.env,
  });
  const initial = await ensureInitialReleaseEngineer(db.prisma);
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  // Tests that run the worker as a process of its own (to kill it) start none here.
  const worker =
    options.worker === false
      ? undefined
      : await createCascadeWorker({ config, prisma: db.prisma, connection: nativeConnection });
  const workerRun = worker?.run();
  const connection = await Connection.connect({ address: config.temporal.address });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const api = await startApiServer(apiDependencies(config, db.prisma, temporal, logger), '127.0.0.1', 0);
  // The API's port is known only now: point the dist-git hooks at it.
  const distGitRoot = path.join(home, 'distgit');
  await writeHookConfig(distGitRoot, {
    url: `${api.url}/api/v1/events/dist-git`,
    secretFile: config.webhookSecretFile,
  });
  const distGit = new LocalDistGit({ root: distGitRoot, httpBaseUrl: api.url });
  return {
    config,
    db,
    distGit,
    webhookSecret: fs.readFileSync(config.webhookSecretFile, 'utf8').trim(),
    api,
    temporal,
    worker,
    home,
    adminToken: initial!.token,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const res = await fetch(api.url + path, {
        method,
        headers,
        body:
          options.body === undefined
            ? undefined
            : typeof options.body === 'string'
              ? options.body
              : JSON.stringify(options.body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await api.close();
      worker?.shutdown();
      await workerRun;
      // The Temporal server is shared by every test file: a workflow this stack left running (no worker
      // will ever serve its task queue again) would hold its id against a later stack's start.
      await terminateLeftovers(temporal, config.temporal.taskQueue);
      if (config.composes.reapEverySeconds)
        await temporal.schedule
          .getHandle(workflowIds.composeReaperSchedule(config.temporal.taskQueue))
          .delete()
          .catch(() => undefined);
      await nativeConnection.close();
      await connection.close();
      await db.close();
      await db.drop();
    },
  };
}

async function terminateLeftovers(temporal: Client, taskQueue: string): Promise<void> {
  const running = temporal.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` });
  for await (const w of running)
    await temporal.workflow
      .getHandle(w.workflowId, w.runId)
      .terminate('the test stack that ran it has stopped')
      .catch(() => undefined);
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
