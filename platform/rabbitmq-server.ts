// A private RabbitMQ node from Debian's rabbitmq-server package, for tests of the AMQP push consumer:
// its own directory under the system's temporary directory (config, Erlang cookie, Mnesia, logs),
// AMQP and Erlang distribution on loopback only, a unique node name and its own epmd port, so it
// neither sees nor disturbs a system RabbitMQ. As root it runs as the 'rabbitmq' system user when
// that user exists (the node writes its files as that user, like the system service does).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';

export interface RabbitMqServer {
  /** `amqp://guest:guest@127.0.0.1:<port>` (guest may log in from loopback). */
  url: string;
  port: number;
  nodeName: string;
  /** How long the node took from spawn to the first successful AMQP connection. */
  startMs: number;
  stop(): Promise<void>;
}

export class RabbitMqServerError extends Error {
  constructor(
    readonly code: 'rabbitmq_not_installed' | 'rabbitmq_start_failed',
    message: string,
  ) {
    super(message);
    this.name = 'RabbitMqServerError';
  }
}

const rabbitBinDir = '/usr/lib/rabbitmq/bin';
// The child's environment is built from scratch; these are where Debian puts erl, epmd and sh.
const childPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const startTimeoutMs = 60_000;
const outputLimit = 20_000;

export async function startRabbitMq(port: number): Promise<RabbitMqServer> {
  const serverScript = path.join(rabbitBinDir, 'rabbitmq-server');
  if (!fs.existsSync(serverScript)) {
    throw new RabbitMqServerError(
      'rabbitmq_not_installed',
      `RabbitMQ is not installed (${serverScript} is missing): install the Debian package 'rabbitmq-server'`,
    );
  }
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-rabbitmq-'));
  const runAs = rabbitmqUser();
  const nodeName = `cascade-test-${crypto.randomBytes(6).toString('hex')}@localhost`;
  const [distPort, epmdPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const env = nodeEnvironment(dir, nodeName, distPort, epmdPort);
  writeNodeFiles(dir, port);
  if (runAs) execFileSync('chown', ['-R', `${runAs}:${runAs}`, dir]);

  const [cmd, args] = asUser(runAs, env, serverScript, []);
  // Its own process group, so stop() can signal the wrapper, the script and the VM together.
  const child: ChildProcess = spawn(cmd, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => (output = (output + String(d)).slice(-outputLimit));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = `amqp://guest:guest@127.0.0.1:${port}`;
  const stop = async () => {
    await stopNode(child, exited);
    // epmd daemonises and outlives the node; this one is ours alone (private port), so end it.
    try {
      execFileSync('epmd', ['-port', String(epmdPort), '-kill'], { env, stdio: 'pipe' });
    } catch {
      // not running: nothing to end
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitForAmqp(url, child, started);
  } catch (error) {
    const log = readLogTail(dir);
    await stop();
    const why = error instanceof Error ? error.message : String(error);
    throw new RabbitMqServerError(
      'rabbitmq_start_failed',
      `RabbitMQ node ${nodeName} did not accept AMQP connections on 127.0.0.1:${port}: ${why}\n` +
        `--- server output ---\n${output}\n--- log ---\n${log}`,
    );
  }
  return { url, port, nodeName, startMs: Date.now() - started, stop };
}

function rabbitmqUser(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    execFileSync('id', ['-u', 'rabbitmq'], { stdio: 'pipe' });
    return 'rabbitmq';
  } catch {
    return undefined;
  }
}

/**
 * runuser resets HOME to the user's home (/var/lib/rabbitmq, which holds the system node's Erlang
 * cookie), so the environment is handed over explicitly through env(1).
 */
function asUser(user: string | undefined, env: Record<string, string>, command: string, args: string[]) {
  if (!user) return [command, args] as const;
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return ['runuser', ['-u', user, '--', 'env', '-i', ...assignments, command, ...args]] as const;
}

function nodeEnvironment(dir: string, nodeName: string, distPort: number, epmdPort: number): Record<string, string> {
  const loopbackDistribution = '-kernel inet_dist_use_interface {127,0,0,1}';
  return {
    PATH: childPath,
    // The Erlang cookie is read from $HOME/.erlang.cookie: ours, not the system node's.
    HOME: dir,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_PID_FILE: path.join(dir, 'rabbitmq.pid'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: loopbackDistribution,
    RABBITMQ_CTL_ERL_ARGS: loopbackDistribution,
  };
}

function writeNodeFiles(dir: string, port: number): void {
  fs.writeFileSync(path.join(dir, 'rabbitmq-env.conf'), '');
  fs.writeFileSync(
    path.join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${port}`,
      // A test node on a small disk must not block publishers with a disk alarm.
      'disk_free_limit.absolute = 1MB',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'enabled_plugins'), '[].\n');
  fs.writeFileSync(path.join(dir, '.erlang.cookie'), crypto.randomBytes(20).toString('hex').toUpperCase(), {
    mode: 0o400,
  });
  fs.mkdirSync(path.join(dir, 'mnesia'));
  fs.mkdirSync(path.join(dir, 'log'));
}

async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port assigned');
  return address.port;
}

async function waitForAmqp(url: string, child: ChildProcess, started: number): Promise<void> {
  for (;;) {
    try {
      // The timeout covers the AMQP handshake too: something else on the port may accept and stay mute.
      const connection = await amqp.connect(url, { timeout: 2_000 });
      await connection.close();
      return;
    } catch (error) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the server exited (${child.exitCode ?? child.signalCode})`, { cause: error });
      }
      if (Date.now() - started > startTimeoutMs) {
        throw new Error(`no connection within ${startTimeoutMs / 1000} s (last error: ${String(error)})`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** SIGTERM to the group (the script stops the VM cleanly), SIGKILL if it is still there after 15 s. */
async function stopNode(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const group = -child.pid;
  signalGroup(group, 'SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signalGroup(group, 'SIGKILL');
    await exited;
  }
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(group, signal);
  } catch {
    // already gone
  }
}

function readLogTail(dir: string): string {
  try {
    const logDir = path.join(dir, 'log');
    return fs
      .readdirSync(logDir)
      .map((f) => fs.readFileSync(path.join(logDir, f), 'utf8').slice(-outputLimit / 2))
      .join('\n');
  } catch {
    return '(no log)';
  }
}
