// What the post-receive notifier and Cascade share: the notifier's config file (`<root>/hook.json`),
// the body signature (platform/body-signature.ts; the API verifies with the same function), and the
// spool (`<root>/spool/`) where undeliverable push events wait for the API's workers to replay them.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DistGitError, DistGitInputError } from './dist-git';

// The signature is the API's to verify too: one definition, in platform/.
export { signatureHeader, signBody, verifySignature } from '../../platform/body-signature';

export interface HookConfig {
  /** e.g. `http://127.0.0.1:8080/api/v1/events/dist-git` */
  url: string;
  /** Absolute path of the file holding the shared secret. */
  secretFile: string;
}

export interface SpooledEvent {
  file: string;
  body: string;
}

export function hookConfigPath(root: string): string {
  return path.join(root, 'hook.json');
}

export function spoolDir(root: string): string {
  return path.join(root, 'spool');
}

function checkHookConfig(value: unknown, where: string): HookConfig {
  const config = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { url, secretFile } = config;
  if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url)) {
    throw new DistGitInputError('url', `${where}: must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (typeof secretFile !== 'string' || !path.isAbsolute(secretFile)) {
    throw new DistGitInputError('secretFile', `${where}: must be an absolute path, got ${JSON.stringify(secretFile)}`);
  }
  return { url, secretFile };
}

export async function writeHookConfig(root: string, config: HookConfig): Promise<void> {
  const valid = checkHookConfig(config, 'hook config');
  await fs.mkdir(root, { recursive: true });
  await writeAtomically(hookConfigPath(root), `${JSON.stringify(valid, null, 2)}\n`);
}

/** The notifier's config, or undefined when `<root>/hook.json` does not exist (events are then spooled). */
export async function readHookConfig(root: string): Promise<HookConfig | undefined> {
  const file = hookConfigPath(root);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DistGitError('hook_config_invalid', `${file} is not valid JSON; rewrite it with writeHookConfig`);
  }
  return checkHookConfig(parsed, file);
}

/** The secret is the file's content without surrounding whitespace (so `echo secret > file` works). */
export async function readHookSecret(secretFile: string): Promise<string> {
  const secret = (await fs.readFile(secretFile, 'utf8')).trim();
  if (secret === '') throw new DistGitError('hook_config_invalid', `secret file ${secretFile} is empty`);
  return secret;
}

/** The X-Cascade-Signature header value for a body: `sha256=<hex HMAC-SHA256(secret, raw body bytes)>`. */
/** Saves an undeliverable body as `<root>/spool/<ISO time>-<random>.json`; returns the file's path. */
export async function writeSpooled(root: string, body: string, now = new Date()): Promise<string> {
  const dir = spoolDir(root);
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${now.toISOString()}-${randomBytes(4).toString('hex')}.json`);
  await writeAtomically(file, body);
  return file;
}

/** Spooled events, oldest first (file names start with the ISO time). Half-written temp files are skipped. */
export async function readSpool(root: string): Promise<SpooledEvent[]> {
  const dir = spoolDir(root);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
  const files = names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .sort()
    .map((n) => path.join(dir, n));
  const events: SpooledEvent[] = [];
  for (const file of files) {
    const body = await fs.readFile(file, 'utf8').catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined; // replayed and removed meanwhile
      throw error;
    });
    if (body !== undefined) events.push({ file, body });
  }
  return events;
}

/** Removes a replayed event; removing one that is already gone is fine (replays may race). */
export async function removeSpooled(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  await fs.writeFile(temp, content);
  await fs.rename(temp, file);
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
