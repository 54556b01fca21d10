// Files for `cascade backup` and `restore`: a tree copied file by file (git's immutable objects
// hard-linked, after everything else), checksums for the manifest, and whether a process still has
// files of a directory open (the embedded stack's PGlite, which has no lock file of its own).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface CopyOptions {
  /** files (by path relative to the tree) whose content never changes: hard-linked, in a second pass */
  immutable?: (relative: string) => boolean;
}

/** Git's objects: content-addressed, written once and never changed in place. */
export const isGitObject = (relative: string) => /(^|\/)objects\//.test(relative);

const vanished = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Copies `from` to `to` (created). A file that vanishes during the walk was a temporary name or was
 * removed meanwhile and is skipped; an immutable file that vanishes is an error (a repack moved it:
 * the refs copied in the first pass may need it). Immutable files are copied after everything else,
 * so every ref copied first finds its objects.
 */
export function copyTree(from: string, to: string, options: CopyOptions = {}): { files: number } {
  const later: string[] = [];
  let files = 0;
  const walk = (relative: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(from, relative), { withFileTypes: true });
    } catch (err) {
      if (vanished(err)) return;
      throw err;
    }
    fs.mkdirSync(path.join(to, relative), { recursive: true, mode: modeOf(path.join(from, relative)) ?? 0o755 });
    for (const entry of entries) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(path.join(from, rel)), path.join(to, rel));
      else if (!entry.isFile())
        continue; // sockets, fifos: nothing to keep
      else if (options.immutable?.(rel)) later.push(rel);
      else files += copyFile(path.join(from, rel), path.join(to, rel)) ? 1 : 0;
    }
  };
  walk('');
  for (const rel of later) {
    try {
      linkOrCopy(path.join(from, rel), path.join(to, rel));
      files += 1;
    } catch (err) {
      if (vanished(err))
        throw new Error(`${path.join(from, rel)} vanished while it was copied (a repack?): run the command again`);
      throw err;
    }
  }
  return { files };
}

function modeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Copies one file with its mode; false when it vanished first. */
export function copyFile(from: string, to: string): boolean {
  try {
    const mode = fs.statSync(from).mode & 0o7777;
    fs.copyFileSync(from, to, fs.constants.COPYFILE_FICLONE);
    fs.chmodSync(to, mode);
    return true;
  } catch (err) {
    if (vanished(err)) return false;
    throw err;
  }
}

function linkOrCopy(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw err;
    fs.copyFileSync(from, to);
    fs.chmodSync(to, fs.statSync(from).mode & 0o7777);
  }
}

export interface FileEntry {
  sha256: string;
  size: number;
  mode: string;
}

/** Every regular file under `root` (relative path → checksum, size, octal mode); symlinks are listed as such. */
export function describeTree(root: string, skip: (relative: string) => boolean): Record<string, FileEntry> {
  const out: Record<string, FileEntry> = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip(rel)) continue;
      const full = path.join(root, rel);
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) {
        const stat = fs.statSync(full);
        out[rel] = { sha256: sha256File(full), size: stat.size, mode: (stat.mode & 0o7777).toString(8) };
      }
    }
  };
  walk('');
  return out;
}

export function sha256File(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Process ids (other than this one) holding a file under `dir` open, read from /proc (Linux). */
export function processesHolding(dir: string): number[] {
  const prefix = path.resolve(dir) + path.sep;
  const holders: number[] = [];
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return [];
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    const holds = fds.some((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(prefix);
      } catch {
        return false;
      }
    });
    if (holds) holders.push(Number(pid));
  }
  return holders;
}

/** A directory that is absent or holds nothing. */
export function isEmptyOrAbsent(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch (err) {
    if (vanished(err)) return true;
    throw err;
  }
}

/** A sibling of `target` for work in progress, renamed onto `target` when complete. */
export function stagingBeside(target: string, what: string): string {
  const staging = `${path.resolve(target)}.${what}-${crypto.randomBytes(4).toString('hex')}`;
  fs.mkdirSync(staging, { recursive: true, mode: 0o700 });
  return staging;
}
