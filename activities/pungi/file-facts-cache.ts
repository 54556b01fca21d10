// What gather learns about an RPM file — its sha256 and its header — kept in memory by the file's
// identity (device, inode, size, mtime), so an unchanged module build's RPMs are not read again by
// the next compose in the same worker (a module repository's files are hard links, never rewritten
// in place). A file changed in any of those is read afresh. Used by gather only: checks that verify a
// copy or an image always read the bytes.
import fs from 'node:fs';
import { sha256File } from './compose-files';

export interface CachedRpmHeader {
  name: string;
  epoch: string;
  version: string;
  release: string;
  arch: string;
  sourceRpm: string | null;
}

interface FileFacts {
  sha256?: string;
  header?: CachedRpmHeader;
}

/** Enough for a large distribution's RPMs; past it the cache starts over rather than grow. */
const LIMIT = 500_000;
const facts = new Map<string, FileFacts>();

function identity(file: string): string {
  const s = fs.statSync(file, { bigint: true });
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
}

function factsOf(file: string): FileFacts {
  const key = identity(file);
  let found = facts.get(key);
  if (!found) {
    if (facts.size >= LIMIT) facts.clear();
    found = {};
    facts.set(key, found);
  }
  return found;
}

export async function cachedSha256File(file: string): Promise<string> {
  const f = factsOf(file);
  f.sha256 ??= await sha256File(file);
  return f.sha256;
}

export function cachedRpmHeader(file: string): CachedRpmHeader | undefined {
  return factsOf(file).header;
}

export function rememberRpmHeader(file: string, header: CachedRpmHeader): void {
  factsOf(file).header = header;
}
