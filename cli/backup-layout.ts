// What a backup of the embedded mode holds, and where each piece lives in a data directory. Shared by
// `cascade backup` and `cascade restore`; the manifest's format is versioned here.
import path from 'node:path';
import type { CascadeConfig } from '../platform/config';
import type { FileEntry } from './backup-files';

export const MANIFEST = 'manifest.json';
export const MANIFEST_FORMAT = 'cascade-backup/1';
export const STORE_TARBALL = 'pglite.tar.gz';
export const TEMPORAL_DB = 'temporal.db';

/** Trees copied as they are, in the order they are taken: each later one at least as new as those before. */
export const TREES = ['koji', 'composes', 'mirror', 'distgit'] as const;
export type TreeName = (typeof TREES)[number];

/** Small files kept with their modes: the secrets (0600) and the migrations' stamp. */
export const LOOSE_FILES = ['webhook-secret', 'notify-webhook-secret', 'initial-admin-token', '.migrations.sha256'];

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  startedAt: string;
  finishedAt: string;
  source: string;
  /** how the store was copied: by the running stack (API) or by this command (stack stopped) */
  storeCopiedBy: 'running-stack' | 'offline';
  versions: Record<string, string>;
  /** pieces in the order they were taken, with when each was done */
  pieces: { name: string; finishedAt: string }[];
  files: Record<string, FileEntry>;
}

/** Where each tree is in this configuration; restore and backup refuse settings that move them. */
export function treeRoots(config: CascadeConfig): Record<TreeName, string> {
  if (config.distGit.kind !== 'local')
    throw new Error('CASCADE_DISTGIT_URL is set: backup and restore are for the embedded dist-git (README, Backups)');
  return {
    koji: config.builds.kojiRoot,
    composes: config.composes.topdir,
    mirror: config.composes.mirrorRoot,
    distgit: config.distGit.root,
  };
}

export function embeddedStoreDir(config: CascadeConfig): string {
  if (config.database.kind !== 'pglite')
    throw new Error(
      'DATABASE_URL is set: back up PostgreSQL with pg_dump or continuous archiving (README, Backups); this command is for the embedded store',
    );
  return config.database.dataDir;
}

/** The loose files' places: the secrets follow their variables, the rest the data directory. */
export function looseFilePaths(config: CascadeConfig): Record<string, string> {
  return {
    'webhook-secret': config.webhookSecretFile,
    'notify-webhook-secret': config.notify.webhook?.secretFile ?? path.join(config.dataDir, 'notify-webhook-secret'),
    'initial-admin-token': path.join(config.dataDir, 'initial-admin-token'),
    '.migrations.sha256': path.join(config.dataDir, '.migrations.sha256'),
  };
}
