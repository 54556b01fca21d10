// The processes the chaos harness runs and kills, each a child process it controls: PostgreSQL on a
// data directory it keeps, the Temporal dev server on a SQLite file it keeps (as `make start` runs
// it), a worker, the API, and the whole embedded stack. start() waits until the process serves;
// kill() is SIGKILL, nothing gentler, and waits until the process is gone.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { findPostgresBinDir } from '../platform/postgres-cluster';
import { devServerArgs, waitUntilServing } from '../platform/temporal-dev-server';

const projectRoot = path.join(__dirname, '..');

export type ProcessKind = 'worker' | 'api' | 'temporal' | 'postgres' | 'stack';

export interface ManagedProcess {
  kind: ProcessKind;
  name: string;
  start(): Promise<void>;
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after a while: for the end of a run */
  stop(): Promise<void>;
  alive(): boolean;
}

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/** A node program of this checkout, ready when it prints a line matching `readyLine`. */
export function nodeProcess(options: {
  kind: ProcessKind;
  name: string;
  script: string;
  args?: string[];
  env: Record<string, string>;
  readyLine: RegExp;
  /** its own process group, killed whole (the embedded stack and its Temporal child) */
  group?: boolean;
  logFile: string;
}): ManagedProcess {
  let child: ChildProcess | undefined;
  const signal = (sig: NodeJS.Signals) => {
    if (!child?.pid) return;
    try {
      if (options.group) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // already gone
    }
  };
  return {
    kind: options.kind,
    name: options.name,
    alive: () => Boolean(child && child.exitCode === null && child.signalCode === null),
    async start() {
      const log = fs.openSync(options.logFile, 'a');
      // node itself, not the tsx wrapper: SIGKILL must hit the process that holds the work.
      const started = spawn(process.execPath, ['--import', 'tsx', options.script, ...(options.args ?? [])], {
        cwd: projectRoot,
        env: options.env,
        detached: options.group ?? false,
        stdio: ['ignore', 'pipe', log],
      });
      fs.closeSync(log);
      child = started;
      let ready = false;
      readline.createInterface({ input: started.stdout! }).on('line', (line) => {
        fs.appendFileSync(options.logFile, line + '\n');
        if (options.readyLine.test(line)) ready = true;
      });
      await until(`${options.name} did not start (see ${options.logFile})`, 120_000, () => {
        if (started.exitCode !== null)
          throw new Error(`${options.name} exited ${started.exitCode} (see ${options.logFile})`);
        return ready;
      });
    },
    async kill() {
      if (!child) return;
      signal('SIGKILL');
      await exitOf(child);
      if (options.group && child.pid)
        await until(`${options.name}'s group did not end`, 10_000, () => !groupAlive(child!.pid!));
    },
    async stop() {
      if (!child) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 20_000);
      await exitOf(child);
      clearTimeout(timer);
      if (options.group && child.pid) signal('SIGKILL');
    },
  };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The Temporal dev server persisting to `dbFile`, as `make start` runs it. */
export function temporalProcess(options: {
  cliPath: string;
  port: number;
  dbFile: string;
  logFile: string;
}): ManagedProcess {
  let child: ChildProcess | undefined;
  const address = `127.0.0.1:${options.port}`;
  return {
    kind: 'temporal',
    name: 'temporal',
    alive: () => Boolean(child && child.exitCode === null && child.signalCode === null),
    async start() {
      fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
      const log = fs.openSync(options.logFile, 'a');
      child = spawn(
        options.cliPath,
        devServerArgs({ cliPath: options.cliPath, port: options.port, dbFile: options.dbFile }),
        {
          stdio: ['ignore', log, log],
        },
      );
      fs.closeSync(log);
      const started = child;
      if (!(await waitUntilServing(address, 60_000)) || started.exitCode !== null)
        throw new Error(`the Temporal dev server did not start on ${address} (see ${options.logFile})`);
    },
    async kill() {
      if (!child) return;
      child.kill('SIGKILL');
      await exitOf(child);
    },
    async stop() {
      if (!child) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 10_000);
      await exitOf(child);
      clearTimeout(timer);
    },
  };
}

function asPostgresUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

/** PostgreSQL on a data directory made once and kept: killed, it restarts on the same data. */
export function postgresProcess(options: { dir: string; port: number; logFile: string }): ManagedProcess & {
  url(database: string): string;
} {
  const bin = findPostgresBinDir();
  if (!bin) throw new Error("PostgreSQL is not installed (Debian package 'postgresql')");
  const dataDir = path.join(options.dir, 'data');
  let child: ChildProcess | undefined;
  const postmasterPid = () => {
    try {
      return Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
  };
  const isReady = () => {
    try {
      execFileSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(options.port), '-U', 'postgres'], {
        stdio: 'pipe',
      });
      return true;
    } catch {
      return false;
    }
  };
  const spawnServer = () => {
    const log = fs.openSync(options.logFile, 'a');
    const [cmd, args] = asPostgresUser(path.join(bin, 'postgres'), [
      '-D',
      dataDir,
      '-p',
      String(options.port),
      '-h',
      '127.0.0.1',
      '-k',
      options.dir,
      '-c',
      'max_connections=300',
      '-c',
      'fsync=off',
    ]);
    child = spawn(cmd, args, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
  };
  return {
    kind: 'postgres',
    name: 'postgres',
    url: (database) => `postgresql://postgres@127.0.0.1:${options.port}/${database}`,
    alive: () => Boolean(child && child.exitCode === null && child.signalCode === null),
    async start() {
      if (!fs.existsSync(dataDir)) {
        fs.mkdirSync(options.dir, { recursive: true });
        if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', options.dir]);
        const [cmd, args] = asPostgresUser(path.join(bin, 'initdb'), [
          '-D',
          dataDir,
          '-U',
          'postgres',
          '--auth=trust',
          '-E',
          'UTF8',
        ]);
        execFileSync(cmd, args, { stdio: 'pipe' });
      }
      // After a SIGKILL the old backends may hold the shared memory a moment longer: start again until it takes.
      const deadline = Date.now() + 60_000;
      for (;;) {
        spawnServer();
        const started = child!;
        await until('PostgreSQL did not answer', 30_000, () => isReady() || started.exitCode !== null).catch(
          () => undefined,
        );
        if (started.exitCode === null && isReady()) return;
        started.kill('SIGKILL');
        await exitOf(started);
        if (Date.now() > deadline) throw new Error(`PostgreSQL did not start again (see ${options.logFile})`);
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    async kill() {
      // The postmaster itself (runuser does not pass signals on), as the kernel's OOM killer would.
      const pid = postmasterPid();
      if (pid) process.kill(pid, 'SIGKILL');
      if (child) await exitOf(child);
    },
    async stop() {
      const [cmd, args] = asPostgresUser(path.join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-s']);
      try {
        execFileSync(cmd, args, { stdio: 'pipe' });
      } catch {
        const pid = postmasterPid();
        if (pid) process.kill(pid, 'SIGKILL');
      }
      if (child) await exitOf(child);
    },
  };
}
