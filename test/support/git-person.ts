// Test support: a person working with plain git (clone, commit, push) in temp directories, and the
// tiny HTTP servers the tests need (one that records requests, one that serves files statically).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export async function makeTempDir(prefix: string): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), `cascade-${prefix}-`));
}

/**
 * A person's git environment, built from scratch so nothing of the test runner's environment leaks in;
 * node's directory is on PATH because the post-receive hook runs the notifier with tsx.
 */
export function personEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Alice Packager',
    GIT_AUTHOR_EMAIL: 'alice@example.org',
    GIT_COMMITTER_NAME: 'Alice Packager',
    GIT_COMMITTER_EMAIL: 'alice@example.org',
    GL_USER: 'alice',
    ...extra,
  };
}

export interface GitOutput {
  stdout: string;
  stderr: string;
}

export function git(args: string[], cwd: string, env: Record<string, string>): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve({ stdout, stderr });
    });
  });
}

export class GitPerson {
  constructor(
    readonly workDir: string,
    readonly env: Record<string, string>,
  ) {}

  static async clone(url: string, parentDir: string, env: Record<string, string>): Promise<GitPerson> {
    const workDir = path.join(parentDir, `work-${randomBytes(4).toString('hex')}`);
    await git(['clone', '--quiet', url, workDir], parentDir, env);
    return new GitPerson(workDir, env);
  }

  run(args: string[], extraEnv: Record<string, string> = {}): Promise<GitOutput> {
    return git(args, this.workDir, { ...this.env, ...extraEnv });
  }

  /** Switches to branch (creating it from the current commit when new), writes files, commits; returns the hash. */
  async commit(branch: string, files: Record<string, string>, message: string, unixTime?: number): Promise<string> {
    const exists = await this.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).then(
      () => true,
      () => false,
    );
    await this.run(exists ? ['checkout', '--quiet', branch] : ['checkout', '--quiet', '-b', branch]);
    for (const [file, content] of Object.entries(files)) {
      await fsp.mkdir(path.dirname(path.join(this.workDir, file)), { recursive: true });
      // A script (#!) is committed executable, as its author would chmod +x it.
      await fsp.writeFile(path.join(this.workDir, file), content);
      if (content.startsWith('#!')) await fsp.chmod(path.join(this.workDir, file), 0o755);
    }
    await this.run(['add', '--', ...Object.keys(files)]);
    const date: Record<string, string> =
      unixTime === undefined ? {} : { GIT_AUTHOR_DATE: `@${unixTime} +0000`, GIT_COMMITTER_DATE: `@${unixTime} +0000` };
    await this.run(['commit', '--quiet', '-m', message], date);
    return (await this.run(['rev-parse', 'HEAD'])).stdout.trim();
  }

  push(...branches: string[]): Promise<GitOutput> {
    return this.run(['push', '--quiet', 'origin', ...branches]);
  }
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface TestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Records every request and answers `status`. */
export async function startRecordingServer(status = 202): Promise<TestServer & { requests: RecordedRequest[] }> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return Object.assign(await listen(server), { requests });
}

/** Serves files under root read-only (GET only): all git's dumb HTTP protocol needs. */
export async function startStaticServer(root: string): Promise<TestServer & { paths: string[] }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    paths.push(urlPath);
    const file = path.resolve(root, `.${urlPath}`);
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (!file.startsWith(`${root}${path.sep}`)) return void res.writeHead(403).end();
    fs.stat(file, (error, stat) => {
      if (error || !stat.isFile()) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': stat.size });
      fs.createReadStream(file).pipe(res);
    });
  });
  return Object.assign(await listen(server), { paths });
}

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
export async function closedPort(): Promise<number> {
  const server = await listen(http.createServer());
  await server.close();
  return server.port;
}

async function listen(server: http.Server): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
