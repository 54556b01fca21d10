// `make start`: the whole stack on embedded defaults, in the foreground — the Temporal dev server
// (a child process, persisting to <data>/temporal.db), the database on PGlite under <data>/pglite,
// one worker and the API. PGlite is a single in-process connection, so the worker and the API share
// this process and its Prisma client. Ctrl-C stops everything in order.
import fs from 'node:fs';
import path from 'node:path';
import { ensureInitialReleaseEngineer } from '../api/identity/tokens';
import { loadConfig } from '../platform/config';
import { prepareLocalDistGit } from '../platform/dist-git-setup';
import { openDatabase } from '../platform/database';
import { createLogger } from '../platform/logger';
import { findTemporalCli } from '../platform/temporal-cli';
import { connectClient, connectWorkerConnection } from '../platform/temporal-connection';
import { startDevServer } from '../platform/temporal-dev-server';
import { apiDependencies, startApiServer } from './api-server';
import { startOutboxPublisher } from './outbox-publisher';
import { startPushConsumer } from './push-consumer';
import { createCascadeWorker, installTemporalRuntime } from './worker-runtime';

const projectRoot = path.join(__dirname, '..');

async function main(): Promise<void> {
  const config = loadConfig();
  const root = createLogger(config.logLevel, { pretty: true });
  const log = root.child({ component: 'stack' });
  installTemporalRuntime(root);

  const cliPath = findTemporalCli(config.temporal.cliPath, projectRoot, config.systemPath);
  if (!cliPath)
    throw new Error("no Temporal CLI found (TEMPORAL_CLI, PATH, .tools/bin/temporal): run 'make bootstrap'");
  const [host, portText] = config.temporal.address.split(':');
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new Error(
      `make start runs its own Temporal dev server on loopback; TEMPORAL_ADDRESS is ${config.temporal.address}. Use 'npm run worker' and 'npm run api' against a remote server.`,
    );
  }
  const temporalLog = root.child({ component: 'temporal' });
  const dbFile = path.join(config.dataDir, 'temporal.db');
  log.info({ cliPath, dbFile }, 'starting the Temporal dev server');
  const server = await startDevServer({
    cliPath,
    port: Number(portText ?? 7233),
    uiPort: config.temporal.uiPort,
    dbFile,
    namespace: config.temporal.namespace,
    onLine: (line) => temporalLog.info(line),
  });
  process.once('exit', () => server.process.kill('SIGKILL'));
  log.info(`Temporal UI: http://127.0.0.1:${config.temporal.uiPort}`);

  const db = await openDatabase(config.database);
  await prepareLocalDistGit(config);
  const initial = await ensureInitialReleaseEngineer(db.prisma);
  if (initial) announceInitialToken(initial.token, config.dataDir, log);

  const connection = await connectWorkerConnection(config.temporal);
  const worker = await createCascadeWorker({ config, prisma: db.prisma, connection });
  const workerRun = worker.run();
  root.child({ component: 'worker' }).info({ taskQueue: config.temporal.taskQueue }, 'worker polling');

  const temporal = await connectClient(config.temporal);
  const apiLog = root.child({ component: 'api' });
  const api = await startApiServer(
    { ...apiDependencies(config, db.prisma, temporal, apiLog), storeDump: db.dumpStore },
    config.api.host,
    config.api.port,
  );
  apiLog.info(`API listening on ${api.url} (try ${api.url}/healthz)`);

  let stopping = false;
  const pushConsumer = await startPushConsumer(config, temporal, apiLog);
  const eventLog = root.child({ component: 'events' });
  const publisher = config.events.amqp
    ? startOutboxPublisher({ prisma: db.prisma, logger: eventLog, ...config.events.amqp })
    : undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping the API, the worker, the database and Temporal`);
    await pushConsumer?.stop();
    await publisher?.stop();
    await api.close();
    worker.shutdown();
    await workerRun.catch((err) => log.error({ err }, 'worker stopped with an error'));
    await temporal.connection.close();
    await connection.close();
    await db.close();
    await server.stop();
    log.info('stopped; all state is kept in ' + config.dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function announceInitialToken(token: string, dataDir: string, log: ReturnType<typeof createLogger>): void {
  const file = path.join(dataDir, 'initial-admin-token');
  fs.writeFileSync(file, token + '\n', { mode: 0o600 });
  log.warn(
    [
      'first start: created the release engineer "admin". Its token, shown once:',
      '',
      `    ${token}`,
      '',
      `It is also in ${file} (mode 600); the CLI uses it when CASCADE_TOKEN is unset. Make other tokens with`,
      "'bin/cascade token create --user NAME --role maintainer' and delete that file once you have stored the token.",
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error('cascade: ' + (err instanceof Error ? err.message : String(err)));
  process.exit(1);
});
