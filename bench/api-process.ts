// The API as a process of its own for the benches, as production runs it (`npm run api`, i.e.
// workers/api.ts through tsx; here `node --import tsx` so that the pid is the API's own, as the chaos
// runner and the worker tests do), with the bench's probe loaded beside it (bench/api-probe.ts).
// start waits until /healthz answers; stop sends SIGTERM (the API's own clean shutdown) and waits.
// Its CPU and memory are read from /proc: the bench's client and the API no longer share a process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ProbeCommand } from './api-probe';
import { keepAliveClient } from './http-client';

const ROOT = path.resolve(__dirname, '..');

export interface ApiProcess {
  url: string;
  pid: number;
  /** From spawn to the first 200 of /healthz (tsx's compile, connections, the index load). */
  readyMs: number;
  /** CPU time of the process so far in ms, every thread (JS, V8's GC helpers, libuv's pool), ns resolution. */
  cpuMs(): number;
  /** Resident memory of the process (VmRSS). */
  rssBytes(): number;
  probe<T>(command: ProbeCommand): Promise<T>;
  stop(): Promise<void>;
}

export interface ApiProcessOptions {
  port: number;
  /** the API's environment (DATABASE_URL, TEMPORAL_ADDRESS, CASCADE_*); PATH and the probe's socket are added */
  env: Record<string, string>;
  /** where its stdout and stderr go */
  logFile: string;
  probeSocket: string;
  /** node's own flags, before the entry point (experiments; production's are in package.json) */
  nodeArgs?: string[];
}

/** Sum of /proc/<pid>/task/<tid>/schedstat's first field (nanoseconds on a CPU) over the process's threads. */
export function processCpuMs(pid: number): number {
  let ns = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended while we looked
    }
  }
  return ns / 1e6;
}

export function processRssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

function probeCall<T>(socketPath: string, command: ProbeCommand): Promise<T> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += String(chunk);
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      socket.end();
      const reply = JSON.parse(buffered.slice(0, end)) as { ok?: T; error?: string };
      if (reply.error !== undefined) reject(new Error(`API probe ${command}: ${reply.error}`));
      else resolve(reply.ok as T);
    });
    socket.on('error', reject);
    socket.write(command + '\n');
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

function logTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '';
  }
}

async function healthzStatus(url: string): Promise<number | undefined> {
  const client = keepAliveClient(url);
  try {
    return (await client.request('GET', '/healthz')).status;
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}

export async function startApiProcess(options: ApiProcessOptions): Promise<ApiProcess> {
  fs.rmSync(options.probeSocket, { force: true });
  const log = fs.openSync(options.logFile, 'a');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', '--import', './bench/api-probe.ts', 'workers/api.ts'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ...options.env,
        CASCADE_API_HOST: '127.0.0.1',
        CASCADE_API_PORT: String(options.port),
        CASCADE_BENCH_PROBE: options.probeSocket,
      },
      stdio: ['ignore', log, log],
    },
  );
  fs.closeSync(log);
  // A bench that ends without stopping it (an uncaught error, process.exit) takes its API along.
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited(child);
    clearTimeout(killer);
    process.off('exit', orphaned);
  };
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the API process ended (${child.exitCode ?? child.signalCode}):\n${logTail(options.logFile)}`);
      if (performance.now() - started > 180_000)
        throw new Error(`the API did not answer /healthz within 180 s:\n${logTail(options.logFile)}`);
      if ((await healthzStatus(url)) === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const pid = child.pid!;
  return {
    url,
    pid,
    readyMs: performance.now() - started,
    cpuMs: () => processCpuMs(pid),
    rssBytes: () => processRssBytes(pid),
    probe: (command) => probeCall(options.probeSocket, command),
    stop,
  };
}
