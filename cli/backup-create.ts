// `cascade backup DIR`: a consistent copy of the embedded mode's state, running or stopped. Loaded
// only by that command (its imports open PGlite and Prisma; the bundle loads them only then).
//
// Order matters, because the pieces are taken one after another while the stack runs: Temporal's
// file first, then the store, then LocalKoji's tree, the composes and the mirror, then dist-git.
// Each later piece is at least as new as the ones before it, so after a restore every workflow finds
// the rows and files its finished activities wrote; work done after Temporal's copy is done again by
// activities that are idempotent (a build found by its key, a row upserted). Dist-git comes last so
// every commit the store names is there (its refs are copied before its objects, see backup-files).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { CascadeConfig } from '../platform/config';
import { dumpPGlite } from '../platform/database';
import {
  copyFile,
  copyTree,
  describeTree,
  isEmptyOrAbsent,
  isGitObject,
  processesHolding,
  stagingBeside,
} from './backup-files';
import {
  embeddedStoreDir,
  LOOSE_FILES,
  looseFilePaths,
  MANIFEST,
  MANIFEST_FORMAT,
  STORE_TARBALL,
  TEMPORAL_DB,
  treeRoots,
  TREES,
  type Manifest,
} from './backup-layout';

export interface BackupRequest {
  config: CascadeConfig;
  dest: string;
  /** the running stack's API, asked for the store when it answers */
  url: string;
  token?: string;
  say: (line: string) => void;
}

export async function createBackup(request: BackupRequest): Promise<Manifest> {
  const { config, say } = request;
  const storeDir = embeddedStoreDir(config);
  const trees = treeRoots(config);
  const dest = path.resolve(request.dest);
  if (!isEmptyOrAbsent(dest)) throw new Error(`${dest} is not empty: give a new directory for the backup`);
  const temporalDb = path.join(config.dataDir, TEMPORAL_DB);
  if (!fs.existsSync(temporalDb)) throw new Error(`no Temporal database at ${temporalDb}: nothing to back up`);

  const staging = stagingBeside(dest, 'partial');
  try {
    const startedAt = new Date().toISOString();
    const pieces: Manifest['pieces'] = [];
    const done = (name: string, detail: string) => {
      pieces.push({ name, finishedAt: new Date().toISOString() });
      say(`${name.padEnd(10)} ${detail}`);
    };

    copySqlite(temporalDb, path.join(staging, TEMPORAL_DB));
    done('temporal', `${TEMPORAL_DB} (sqlite3 online backup)`);

    const store = await storeTarball(request, storeDir);
    fs.writeFileSync(path.join(staging, STORE_TARBALL), store.tarball, { mode: 0o600 });
    done(
      'store',
      `${STORE_TARBALL}, ${store.tarball.length} bytes, copied by the ${store.by === 'running-stack' ? 'running stack' : 'CLI (stack stopped)'}`,
    );

    for (const name of TREES) {
      if (!fs.existsSync(trees[name])) continue;
      const { files } = copyTree(trees[name], path.join(staging, name), {
        immutable: name === 'distgit' ? isGitObject : undefined,
      });
      if (name === 'distgit') checkRepositories(path.join(staging, name));
      done(name, `${files} files`);
    }

    const loose = looseFilePaths(config);
    for (const name of LOOSE_FILES) copyFile(loose[name]!, path.join(staging, name));
    done('secrets', LOOSE_FILES.filter((n) => fs.existsSync(path.join(staging, n))).join(', '));

    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      startedAt,
      finishedAt: new Date().toISOString(),
      source: config.dataDir,
      storeCopiedBy: store.by,
      versions: versions(config),
      pieces,
      files: describeTree(staging, (rel) => rel === MANIFEST),
    };
    fs.writeFileSync(path.join(staging, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    if (fs.existsSync(dest)) fs.rmdirSync(dest);
    fs.renameSync(staging, dest);
    return manifest;
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** SQLite's online backup: a consistent copy while the Temporal dev server writes (WAL readers see one snapshot). */
function copySqlite(from: string, to: string): void {
  try {
    execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 30000', from, `.backup "${to}"`], { stdio: 'pipe' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT')
      throw new Error("sqlite3 is not installed (Debian's sqlite3 package; 'make bootstrap' installs it)");
    throw new Error(`sqlite3 could not copy ${from}: ${e.stderr?.toString().trim() || e.message}`);
  }
}

/** The running stack copies the store when its API answers; otherwise this process opens PGlite itself. */
async function storeTarball(
  request: BackupRequest,
  storeDir: string,
): Promise<{ tarball: Buffer; by: Manifest['storeCopiedBy'] }> {
  const answer = await askRunningStack(request.url, request.token);
  if (answer) return { tarball: answer, by: 'running-stack' };
  const holders = processesHolding(storeDir);
  if (holders.length > 0)
    throw new Error(
      `process ${holders.join(', ')} has the store ${storeDir} open, but no API answers at ${request.url}: give the running stack's address with --url (or CASCADE_URL)`,
    );
  if (!fs.existsSync(storeDir)) throw new Error(`no PGlite store at ${storeDir}`);
  const pglite = await PGlite.create({ dataDir: storeDir });
  try {
    return { tarball: Buffer.from(await (await dumpPGlite(pglite)).arrayBuffer()), by: 'offline' };
  } finally {
    await pglite.close();
  }
}

/** The store's tarball from the running stack, or undefined when nothing listens at `url`. */
function askRunningStack(url: string, token: string | undefined): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const target = new URL('/api/v1/admin/store-dump', url);
    const req = (target.protocol === 'https:' ? https : http).request(
      target,
      { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if (res.statusCode === 200) return resolve(body);
          let message = body.toString('utf8');
          try {
            const parsed = JSON.parse(message) as { error?: { code: string; message: string } };
            if (parsed.error) message = `${parsed.error.code}: ${parsed.error.message}`;
          } catch {
            // not JSON: the text as it came
          }
          reject(new Error(`the API at ${url} refused the store's copy: ${res.statusCode} ${message}`));
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNREFUSED' ? resolve(undefined) : reject(new Error(`cannot reach ${url}: ${err.message}`)),
    );
    req.end();
  });
}

/** Every copied bare repository is whole: its refs reach only objects the copy holds. */
function checkRepositories(root: string): void {
  for (const repo of bareRepositories(root)) {
    try {
      execFileSync('git', ['--git-dir', repo, 'fsck', '--connectivity-only', '--no-dangling', '--no-progress'], {
        stdio: 'pipe',
      });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`the copy of ${path.relative(root, repo)} is incomplete: ${stderr ?? String(err)}`);
    }
  }
}

function bareRepositories(dir: string): string[] {
  if (fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects'))) return [dir];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => bareRepositories(path.join(dir, e.name)));
}

function versions(config: CascadeConfig): Record<string, string> {
  const read = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { stdio: 'pipe' }).toString().trim().split('\n')[0]!;
    } catch {
      return 'unknown';
    }
  };
  const projectRoot = path.join(__dirname, '..');
  const packageVersion = (file: string) => {
    try {
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    cascade: packageVersion(path.join(projectRoot, 'package.json')),
    commit: read('git', ['-C', projectRoot, 'rev-parse', 'HEAD']),
    pglite: packageVersion(path.join(projectRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json')),
    temporal: config.temporal.cliPath
      ? read(config.temporal.cliPath, ['--version'])
      : read(path.join(projectRoot, '.tools', 'bin', 'temporal'), ['--version']),
    sqlite3: read('sqlite3', ['--version']),
    node: process.version,
  };
}
