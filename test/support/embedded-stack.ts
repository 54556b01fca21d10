// Test support: `make start`'s process (workers/stack.ts) as a child of the test, on its own data
// directory and ports, with the CLI run against it as a person runs bin/cascade.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../platform/temporal-dev-server';
import { testEnvironment } from './environment';
import { eventually } from './stack';

const projectRoot = path.join(__dirname, '..', '..');

export interface EmbeddedStack {
  api: string;
  env: Record<string, string>;
  output: string[];
  /** Ctrl-C, as a person stops `make start`; resolves with the exit code */
  stop(): Promise<number | null>;
}

/** The variables that put a stack on `dataDir` with ports of its own. */
export async function embeddedEnv(dataDir: string): Promise<Record<string, string>> {
  const apiPort = await freePort();
  return {
    CASCADE_DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    TEMPORAL_UI_PORT: String(await freePort()),
    CASCADE_API_PORT: String(apiPort),
    CASCADE_URL: `http://127.0.0.1:${apiPort}`,
    TEMPORAL_CLI: testEnvironment.temporalCli(),
  };
}

export interface HardStoppableStack extends EmbeddedStack {
  /** SIGKILL to the whole process group: the stack and its Temporal dev server die at once */
  killHard(): Promise<void>;
}

/**
 * Starts the stack and waits until its API answers /healthz. `detached`: in a process group of its own,
 * as `make start` runs in a terminal, so that killHard() can take the Temporal dev server down with it.
 */
export async function startEmbeddedStack(
  env: Record<string, string>,
  running: ChildProcess[],
  options: { detached?: boolean } = {},
): Promise<HardStoppableStack> {
  const output: string[] = [];
  // node with tsx's loader rather than the tsx command: the command relays Ctrl-C and, when the child
  // does not confirm it within 30 ms (a loaded machine), SIGKILLs it and exits 130.
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/stack.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  running.push(child);
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const api = `http://127.0.0.1:${env.CASCADE_API_PORT}`;
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`the stack exited:\n${output.join('')}`);
    const res = await fetch(`${api}/healthz`).catch(() => undefined);
    return res?.status === 200 ? true : undefined;
  }, 120_000);
  return {
    api,
    env,
    output,
    stop: async () => (child.kill('SIGINT'), exited),
    killHard: async () => {
      if (!options.detached) throw new Error('killHard needs a stack started detached');
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
      // the group's other members (the Temporal dev server) are gone once its port is free again
      await eventually(async () => {
        const open = await fetch(`http://${env.TEMPORAL_ADDRESS}`).then(
          () => true,
          () => false,
        );
        return open ? undefined : true;
      }, 10_000);
    },
  };
}

/** Runs `bin/cascade`'s sources with the given variables; resolves with its exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(projectRoot, 'node_modules', '.bin', 'tsx'),
      [path.join(projectRoot, 'cli', 'main.ts'), ...args],
      { cwd: projectRoot, env: { ...process.env, ...env }, timeout: 180_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
