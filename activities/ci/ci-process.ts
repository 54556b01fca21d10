// Running one program for a check: in a process group of its own (so a time limit or a cancellation
// kills everything it started, not just the first process), with a minimal environment, and the
// combined output kept up to a cap (the end of it, where failures are).
import { spawn } from 'node:child_process';

/** The only PATH checks and module tests get: nothing of the worker's environment leaks in. */
export const CI_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const LOG_LIMIT_BYTES = 64 * 1024;

export interface CiProcessRequest {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface CiProcessRun {
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** why the program could not be started at all (ENOENT, EACCES…): an infrastructure problem */
  spawnError?: string;
  /** stdout and stderr interleaved, the last LOG_LIMIT_BYTES of it */
  output: string;
  durationMs: number;
}

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** Keeps the last `limit` bytes of a stream of chunks without holding all of it. */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;
  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size > 2 * this.limit) this.compact();
  }

  private compact(): void {
    const all = Buffer.concat(this.chunks);
    const keep = all.subarray(all.length - this.limit);
    this.dropped += all.length - keep.length;
    this.chunks = [keep];
    this.size = keep.length;
  }

  text(): string {
    if (this.size > this.limit) this.compact();
    // PostgreSQL text cannot hold NUL characters.
    const text = Buffer.concat(this.chunks).toString('utf8').replaceAll('\u0000', '');
    return this.dropped > 0 ? `[… ${this.dropped} earlier bytes left out]\n${text}` : text;
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

export function runCiProcess(request: CiProcessRequest): Promise<CiProcessRun> {
  const started = performance.now();
  const tail = new OutputTail(LOG_LIMIT_BYTES);
  return new Promise((resolve) => {
    let timedOut = false;
    let aborted = false;
    let settled = false;
    const child = spawn(request.command, request.args, {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const finish = (result: Omit<CiProcessRun, 'output' | 'durationMs' | 'timedOut' | 'aborted'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      resolve({
        ...result,
        timedOut,
        aborted,
        output: tail.text(),
        durationMs: Math.round(performance.now() - started),
      });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, request.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killGroup(child.pid);
    };
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener('abort', onAbort);
    child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
    child.on('error', (err) =>
      finish({ exitCode: null, exitSignal: null, spawnError: `${request.command}: ${err.message}` }),
    );
    // Whatever the program left running in its group (a daemon, a `sleep &`) would hold the output
    // pipes open: it goes when the program exits.
    child.on('exit', () => killGroup(child.pid));
    child.on('close', (code, exitSignal) => finish({ exitCode: code, exitSignal }));
  });
}

/** The first line a person needs when a program did not succeed. */
export function describeFailure(run: CiProcessRun, timeoutMs: number): string {
  if (run.spawnError) return run.spawnError;
  if (run.timedOut) return `timed out after ${formatSeconds(timeoutMs)}`;
  if (run.aborted) return 'cancelled';
  if (run.exitSignal) return `killed by ${run.exitSignal}`;
  return `exit status ${run.exitCode}`;
}
