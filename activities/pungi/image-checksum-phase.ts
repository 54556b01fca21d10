// image_checksum: a SHA256SUM file in every directory holding images, in the BSD form Pungi writes
// (`SHA256 (<file>) = <hex>`), and each image's checksum added to its record for metadata.
import fs from 'node:fs';
import path from 'node:path';
import { composeLayout, readJsonFile, sha256File, writeFileAtomic, writeJsonAtomic } from './compose-files';
import type { ImageRecord } from './image-phase';
import { assertComposeOpen, findVariant, readComposeRequest } from './init-phase';

export interface ImageChecksumPhaseInput {
  composeDir: string;
  variants: string[];
}

export interface ImageChecksumPhaseOutput {
  images: number;
  checksumFiles: string[];
}

export const CHECKSUM_FILE = 'SHA256SUM';

export async function imageChecksumPhase(input: ImageChecksumPhaseInput): Promise<ImageChecksumPhaseOutput> {
  const layout = composeLayout(input.composeDir);
  assertComposeOpen(input.composeDir);
  const request = readComposeRequest(input.composeDir);
  const byDir = new Map<string, Map<string, string>>();
  let images = 0;
  for (const uid of input.variants) {
    for (const arch of findVariant(request, uid).arches) {
      const file = layout.imageRecord(uid, arch);
      if (!fs.existsSync(file)) continue;
      const recorded = readJsonFile<{ images: ImageRecord[]; skipped: string[] }>(
        file,
        `image record of ${uid}.${arch}`,
      );
      const records = recorded.images;
      for (const r of records) {
        const full = path.join(layout.compose, r.path);
        r.sha256 = await sha256File(full);
        const stat = fs.statSync(full);
        r.size = stat.size;
        r.mtime = Math.floor(stat.mtimeMs / 1000);
        const dir = path.dirname(full);
        if (!byDir.has(dir)) byDir.set(dir, new Map());
        byDir.get(dir)!.set(path.basename(full), r.sha256);
        images++;
      }
      writeJsonAtomic(file, recorded);
    }
  }
  const checksumFiles: string[] = [];
  for (const [dir, sums] of byDir) {
    const lines = [...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, hex]) => `SHA256 (${name}) = ${hex}\n`);
    const file = path.join(dir, CHECKSUM_FILE);
    writeFileAtomic(file, lines.join(''));
    checksumFiles.push(file);
  }
  return { images, checksumFiles: checksumFiles.sort() };
}

/** Checks every file a SHA256SUM names; answers the mismatches and missing files, empty when all agree. */
export async function verifyChecksumFile(file: string): Promise<string[]> {
  const problems: string[] = [];
  const dir = path.dirname(file);
  for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const match = /^SHA256 \((.+)\) = ([0-9a-f]{64})$/.exec(line);
    if (!match) {
      problems.push(`${file}: unreadable line '${line}'`);
      continue;
    }
    const target = path.join(dir, match[1]!);
    if (!fs.existsSync(target)) problems.push(`${target} is missing`);
    else if ((await sha256File(target)) !== match[2]) problems.push(`${target} does not match its SHA256SUM`);
  }
  return problems;
}
