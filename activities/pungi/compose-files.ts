// Where things live in a compose directory (Pungi's layout) and how the phases write them: every file
// under a temporary name renamed into place, so a killed phase leaves the old file or the new one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const composeLayout = (composeDir: string) => ({
  statusFile: path.join(composeDir, 'STATUS'),
  composeIdFile: path.join(composeDir, 'COMPOSE_ID'),
  compose: path.join(composeDir, 'compose'),
  metadata: path.join(composeDir, 'compose', 'metadata'),
  request: path.join(composeDir, 'work', 'global', 'compose-request.json'),
  variantDir: (uid: string) => path.join(composeDir, 'compose', uid),
  osTree: (uid: string, arch: string) => path.join(composeDir, 'compose', uid, arch, 'os'),
  isoDir: (uid: string, arch: string) => path.join(composeDir, 'compose', uid, arch, 'iso'),
  imagesDir: (uid: string, arch: string) => path.join(composeDir, 'compose', uid, arch, 'images'),
  sourceTree: (uid: string) => path.join(composeDir, 'compose', uid, 'source', 'tree'),
  gatherList: (uid: string, arch: string) => path.join(composeDir, 'work', arch, 'gather', `${uid}.json`),
  repoRecord: (uid: string, arch: string) => path.join(composeDir, 'work', arch, 'createrepo', `${uid}.json`),
  imageRecord: (uid: string, arch: string) => path.join(composeDir, 'work', arch, 'images', `${uid}.json`),
  testRecord: (uid: string) => path.join(composeDir, 'work', 'global', 'test', `${uid}.json`),
  /** per arch, the digest of what the variant's repoclosure and installs ran on */
  testInputs: (uid: string) => path.join(composeDir, 'work', 'global', 'test', `${uid}.inputs.json`),
  excluded: (uid: string) => path.join(composeDir, 'work', 'excluded', uid),
  scratch: (name: string) => path.join(composeDir, 'work', 'scratch', name),
  log: (arch: string, name: string) => path.join(composeDir, 'logs', arch, name),
  changes: path.join(composeDir, 'work', 'global', 'changes.json'),
});

export function writeFileAtomic(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJsonFile<T>(file: string, what: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${what} is missing: ${file} (did the phase before run?)`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${what} is not valid JSON: ${file}: ${(err as Error).message}`);
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sha256Text(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** A hard link where the file system allows one, else a copy; an existing target is left alone. */
export function linkOrCopy(source: string, target: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  try {
    fs.linkSync(source, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EXDEV' && code !== 'EPERM') throw err;
    fs.copyFileSync(source, target);
  }
}

/** Replaces `target` with the finished directory `staging` (the old one, if any, goes first). */
export function replaceDirectory(staging: string, target: string): void {
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.renameSync(staging, target);
}

/** Pungi's Packages/<first letter>/ split, lower-cased. */
export function packageSubdir(fileName: string): string {
  return fileName[0]!.toLowerCase();
}

/** The machine's arch as rpm names it. */
export function hostRpmArch(): string {
  return (
    { x64: 'x86_64', arm64: 'aarch64', ppc64: 'ppc64le', s390x: 's390x', ia32: 'i686' }[process.arch as string] ??
    process.arch
  );
}
