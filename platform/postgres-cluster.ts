// A private PostgreSQL cluster from Debian's postgresql package, in its own data directory on a
// loopback port: for tests (when TEST_DATABASE_URL is not given) and benchmarks. As root, the
// server runs as the 'postgres' system user, since PostgreSQL refuses to run as root.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PostgresCluster {
  url: (database?: string) => string;
  port: number;
  stop(): Promise<void>;
}

export function findPostgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

function asPostgresUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

/** `settings`: more server settings (`-c name=value`), e.g. a bench's pg_stat_statements. */
export async function startPostgresCluster(
  port: number,
  settings: Record<string, string> = {},
): Promise<PostgresCluster> {
  const bin = findPostgresBinDir();
  if (!bin) throw new Error("PostgreSQL is not installed (Debian package 'postgresql'): run 'make bootstrap'");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-pg-'));
  const dataDir = path.join(dir, 'data');
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  const [initCmd, initArgs] = asPostgresUser(path.join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const [cmd, args] = asPostgresUser(path.join(bin, 'postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    dir,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ]);
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      execFileSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'], {
        stdio: 'pipe',
      });
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`PostgreSQL did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    port,
    url: (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    stop: async () => {
      if (child.exitCode === null) {
        // runuser does not pass signals on, so ask pg_ctl for a fast shutdown
        const [stopCmd, stopArgs] = asPostgresUser(path.join(bin, 'pg_ctl'), [
          'stop',
          '-D',
          dataDir,
          '-m',
          'fast',
          '-s',
        ]);
        try {
          execFileSync(stopCmd, stopArgs, { stdio: 'pipe' });
        } catch {
          child.kill('SIGKILL');
        }
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
