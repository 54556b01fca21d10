// Runs the real `git` program: argument arrays (never a shell), a timeout on every call, and an
// environment built here instead of inherited, so a GIT_DIR or a credential prompt from whoever started
// the worker cannot redirect or hang a call. Injectable, so tests can prove bad input runs no git at all.
import { execFile, spawn } from 'node:child_process';
import { DistGitError } from './dist-git';

export interface GitRunOptions {
  /** The repository (bare or mirror) the command runs in; omitted for `clone`. */
  gitDir?: string;
  timeoutMs?: number;
  /** Exit codes that are answers rather than failures (e.g. 1 from `rev-parse --verify --quiet`). */
  okExitCodes?: number[];
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

export interface GitProgram {
  run(args: string[], options?: GitRunOptions): Promise<GitResult>;
  /** `git archive --format=tar <commit>` piped into `tar -x -C destDir`. */
  extractArchive(gitDir: string, commit: string, destDir: string, timeoutMs?: number): Promise<void>;
}

export interface GitProgramOptions {
  /** Path of git (default: `git` looked up on `env.PATH`). */
  gitPath?: string;
  /** Extra environment for git (e.g. HOME, proxies, credentials for a production mirror). */
  env?: Record<string, string>;
  defaultTimeoutMs?: number;
}

const defaultPath = '/usr/local/bin:/usr/bin:/bin';
const maxOutputBytes = 64 * 1024 * 1024;

export function createGitProgram(options: GitProgramOptions = {}): GitProgram {
  const gitPath = options.gitPath ?? 'git';
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 60_000;
  const env: Record<string, string> = {
    PATH: defaultPath,
    LC_ALL: 'C',
    ...options.env,
    // Never ask a person for a password in a worker: fail instead.
    GIT_TERMINAL_PROMPT: '0',
    // Paths after `--` are file names, not glob patterns.
    GIT_LITERAL_PATHSPECS: '1',
  };

  function run(args: string[], runOptions: GitRunOptions = {}): Promise<GitResult> {
    const timeoutMs = runOptions.timeoutMs ?? defaultTimeoutMs;
    const fullArgs = runOptions.gitDir ? [`--git-dir=${runOptions.gitDir}`, ...args] : args;
    return new Promise((resolve, reject) => {
      execFile(
        gitPath,
        fullArgs,
        { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: maxOutputBytes, encoding: 'buffer' },
        (error, stdout, stderr) => {
          const stderrText = stderr.toString('utf8');
          if (!error) return resolve({ stdout, stderr: stderrText, exitCode: 0 });
          const exitCode = typeof error.code === 'number' ? error.code : undefined;
          if (exitCode !== undefined && runOptions.okExitCodes?.includes(exitCode)) {
            return resolve({ stdout, stderr: stderrText, exitCode });
          }
          reject(gitFailure(args, error, exitCode, stderrText, timeoutMs));
        },
      );
    });
  }

  function extractArchive(gitDir: string, commit: string, destDir: string, timeoutMs = defaultTimeoutMs) {
    return new Promise<void>((resolve, reject) => {
      const archive = spawn(gitPath, [`--git-dir=${gitDir}`, 'archive', '--format=tar', commit], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // --no-same-owner: the files belong to the builder, whatever the archive says.
      const tar = spawn('tar', ['-x', '--no-same-owner', '-f', '-', '-C', destDir], {
        env,
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      archive.stdout.pipe(tar.stdin);
      let stderr = '';
      archive.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      tar.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        archive.kill('SIGKILL');
        tar.kill('SIGKILL');
      }, timeoutMs);
      tar.stdin.on('error', () => undefined); // EPIPE when tar dies first; reported by its exit code
      const exits = [archive, tar].map(
        (child) =>
          new Promise<number | null>((done) => {
            child.on('error', () => done(-1));
            child.on('close', (code) => done(code));
          }),
      );
      void Promise.all(exits).then(([archiveCode, tarCode]) => {
        clearTimeout(timer);
        if (timedOut) {
          return reject(new DistGitError('git_timeout', `exporting ${commit} took longer than ${timeoutMs} ms`));
        }
        if (archiveCode === 0 && tarCode === 0) return resolve();
        reject(
          new DistGitError(
            'export_failed',
            `could not export ${commit} into ${destDir} (git archive exit ${archiveCode}, tar exit ${tarCode}): ${stderr.trim()}`,
            { gitDir, commit, destDir },
          ),
        );
      });
    });
  }

  return { run, extractArchive };
}

function gitFailure(
  args: string[],
  error: Error & { killed?: boolean; signal?: NodeJS.Signals | null },
  exitCode: number | undefined,
  stderr: string,
  timeoutMs: number,
): DistGitError {
  const command = `git ${args.slice(0, 3).join(' ')}`;
  if (error.killed && error.signal === 'SIGKILL') {
    return new DistGitError('git_timeout', `${command} took longer than ${timeoutMs} ms and was stopped`, { args });
  }
  const why = stderr.trim() || error.message;
  return new DistGitError('git_failed', `${command} failed (exit ${exitCode ?? error.signal ?? '?'}): ${why}`, {
    args,
    exitCode,
  });
}
