// `cascade restore DIR`: a backup made by `cascade backup` laid out as a data directory again, at
// CASCADE_DATA_DIR. Loaded only by that command (it opens PGlite). The backup is checked against its
// manifest first; the data directory is built beside the target and renamed onto it when complete,
// so a failed restore leaves nothing half-written.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { CascadeConfig } from '../platform/config';
import {
  copyFile,
  copyTree,
  isEmptyOrAbsent,
  isGitObject,
  processesHolding,
  sha256File,
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

export interface RestoreRequest {
  config: CascadeConfig;
  source: string;
  force: boolean;
  say: (line: string) => void;
}

export async function restoreBackup(request: RestoreRequest): Promise<Manifest> {
  const { config, say } = request;
  const source = path.resolve(request.source);
  const target = config.dataDir;
  requireDefaultLayout(config);
  const manifest = readManifest(source);
  verifyFiles(source, manifest);
  say(`checked    ${Object.keys(manifest.files).length} files against ${MANIFEST} (taken ${manifest.finishedAt})`);

  if (!isEmptyOrAbsent(target) && !request.force)
    throw new Error(`${target} is not empty: restore into a new CASCADE_DATA_DIR, or give --force to replace it`);
  const holders = processesHolding(target);
  if (holders.length > 0)
    throw new Error(`process ${holders.join(', ')} has files under ${target} open: stop the stack first`);

  const staging = stagingBeside(target, 'restoring');
  try {
    copyFile(path.join(source, TEMPORAL_DB), path.join(staging, TEMPORAL_DB));
    await loadStore(path.join(source, STORE_TARBALL), path.join(staging, 'pglite'));
    say(`store      pglite/ from ${STORE_TARBALL}`);
    const trees = TREES.filter((name) => fs.existsSync(path.join(source, name)));
    for (const name of trees) {
      copyTree(path.join(source, name), path.join(staging, name), {
        immutable: name === 'distgit' ? isGitObject : undefined,
      });
    }
    for (const name of LOOSE_FILES) {
      if (!manifest.files[name]) continue;
      copyFile(path.join(source, name), path.join(staging, name));
      fs.chmodSync(path.join(staging, name), parseInt(manifest.files[name].mode, 8));
    }
    say(
      `files      ${[TEMPORAL_DB, ...trees.map((t) => `${t}/`), ...LOOSE_FILES.filter((n) => manifest.files[n])].join(', ')}`,
    );
    replaceDirectory(staging, target);
    return manifest;
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Restore writes the default layout under CASCADE_DATA_DIR; a variable that moves a piece elsewhere is named. */
function requireDefaultLayout(config: CascadeConfig): void {
  const storeDir = embeddedStoreDir(config);
  const expected: [string, string, string][] = [
    ['the store', storeDir, path.join(config.dataDir, 'pglite')],
    ['CASCADE_KOJI_ROOT', treeRoots(config).koji, path.join(config.dataDir, 'koji')],
    ['CASCADE_COMPOSE_ROOT', treeRoots(config).composes, path.join(config.dataDir, 'composes')],
    ['CASCADE_MIRROR_ROOT', treeRoots(config).mirror, path.join(config.dataDir, 'mirror')],
    ['CASCADE_DISTGIT_ROOT', treeRoots(config).distgit, path.join(config.dataDir, 'distgit')],
    [
      'CASCADE_WEBHOOK_SECRET_FILE',
      looseFilePaths(config)['webhook-secret']!,
      path.join(config.dataDir, 'webhook-secret'),
    ],
    [
      'CASCADE_NOTIFY_WEBHOOK_SECRET_FILE',
      looseFilePaths(config)['notify-webhook-secret']!,
      path.join(config.dataDir, 'notify-webhook-secret'),
    ],
  ];
  const moved = expected.filter(([, actual, wanted]) => path.resolve(actual) !== wanted).map(([name]) => name);
  if (moved.length > 0)
    throw new Error(`restore lays out the default data directory: unset ${moved.join(', ')} (or move them afterwards)`);
}

function readManifest(source: string): Manifest {
  const file = path.join(source, MANIFEST);
  if (!fs.existsSync(file))
    throw new Error(`${file} does not exist: ${source} is not a backup made by 'cascade backup'`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (err) {
    throw new Error(`${file} is not JSON: ${(err as Error).message}`);
  }
  if (manifest.format !== MANIFEST_FORMAT)
    throw new Error(`${file}: format is ${JSON.stringify(manifest.format)}, expected ${MANIFEST_FORMAT}`);
  for (const required of [STORE_TARBALL, TEMPORAL_DB])
    if (!manifest.files?.[required]) throw new Error(`${file}: files has no ${required}`);
  return manifest;
}

/** Every file the manifest lists is there with its checksum; a missing or changed one is named. */
function verifyFiles(source: string, manifest: Manifest): void {
  for (const [rel, entry] of Object.entries(manifest.files)) {
    const file = path.join(source, rel);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing from the backup`);
    if (sha256File(file) !== entry.sha256) throw new Error(`${file} does not match its checksum in ${MANIFEST}`);
  }
}

/** PGlite unpacks its own tarball and starts once on it (recovering from the WAL the copy holds), then stops cleanly. */
async function loadStore(tarball: string, dataDir: string): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pglite = await PGlite.create({ dataDir, loadDataDir: new Blob([fs.readFileSync(tarball)]) });
  await pglite.query('SELECT 1');
  await pglite.close();
}

/** Renames the complete staging directory onto the target; an existing target (--force) goes only after. */
function replaceDirectory(staging: string, target: string): void {
  if (!fs.existsSync(target)) return fs.renameSync(staging, target);
  if (isEmptyOrAbsent(target)) {
    fs.rmdirSync(target);
    return fs.renameSync(staging, target);
  }
  const old = `${target}.replaced-${path.basename(staging).split('-').pop()}`;
  fs.renameSync(target, old);
  fs.renameSync(staging, target);
  fs.rmSync(old, { recursive: true, force: true });
}
