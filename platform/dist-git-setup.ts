// Builds the dist-git adapter from config, and prepares the embedded dist-git: the shared secret of
// signed push events (created once, mode 600) and the hooks' hook.json pointing at this API.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LocalDistGit, RemoteDistGit, writeHookConfig, type DistGit } from '../activities/distgit';
import type { CascadeConfig } from './config';

export function createDistGit(config: CascadeConfig): DistGit {
  if (config.distGit.kind === 'remote')
    return new RemoteDistGit({ cacheDir: config.distGit.cacheDir, baseUrl: config.distGit.baseUrl });
  return new LocalDistGit({ root: config.distGit.root, httpBaseUrl: `${config.api.publicUrl}` });
}

export function ensureWebhookSecret(file: string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // wx: two processes starting at once cannot both write it
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** For the embedded dist-git: hooks post to this API, signed with the shared secret. */
export async function prepareLocalDistGit(config: CascadeConfig): Promise<void> {
  if (config.distGit.kind !== 'local') return;
  ensureWebhookSecret(config.webhookSecretFile);
  fs.mkdirSync(config.distGit.root, { recursive: true });
  await writeHookConfig(config.distGit.root, {
    url: `${config.api.publicUrl}/api/v1/events/dist-git`,
    secretFile: config.webhookSecretFile,
  });
}
