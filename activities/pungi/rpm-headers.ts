// What the compose needs from RPM headers: NEVRA, arch, source RPM and whether it is a source package,
// read with `rpm -qp` in batches; a file whose header was read before (same inode, size and mtime)
// is not read again.
import { cachedRpmHeader, rememberRpmHeader } from './file-facts-cache';
import { runToolOrThrow } from './run-tool';

export interface RpmHeader {
  file: string;
  name: string;
  epoch: string;
  version: string;
  release: string;
  /** "src" for source packages */
  arch: string;
  /** the source RPM's file name, for binary packages */
  sourceRpm: string | null;
}

const BATCH = 400;
const FORMAT = '%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\t%{SOURCEPACKAGE}\\n';

export async function readRpmHeaders(files: string[]): Promise<RpmHeader[]> {
  const known = new Map<string, RpmHeader>();
  for (const file of files) {
    const header = cachedRpmHeader(file);
    if (header) known.set(file, { file, ...header });
  }
  const unread = files.filter((f) => !known.has(f));
  for (const header of await queryRpmHeaders(unread)) {
    const { file, ...rest } = header;
    rememberRpmHeader(file, rest);
    known.set(file, header);
  }
  return files.map((f) => known.get(f)!);
}

async function queryRpmHeaders(files: string[]): Promise<RpmHeader[]> {
  const headers: RpmHeader[] = [];
  for (let i = 0; i < files.length; i += BATCH) {
    const batch = files.slice(i, i + BATCH);
    const out = await runToolOrThrow('rpm', ['-qp', '--nosignature', '--nodigest', '--qf', FORMAT, ...batch]);
    const lines = out.split('\n').filter((l) => l.includes('\t'));
    if (lines.length !== batch.length)
      throw new Error(`rpm -qp read ${lines.length} headers from ${batch.length} files (first: ${batch[0]})`);
    lines.forEach((line, j) => {
      const [name, epoch, version, release, arch, sourceRpm, isSource] = line.split('\t');
      const source = isSource === '1';
      headers.push({
        file: batch[j]!,
        name: name!,
        epoch: epoch!,
        version: version!,
        release: release!,
        arch: source ? 'src' : arch!,
        sourceRpm: source || sourceRpm === '(none)' ? null : sourceRpm!,
      });
    });
  }
  return headers;
}

export const headerNevra = (h: RpmHeader) => `${h.name}-${h.epoch}:${h.version}-${h.release}.${h.arch}`;
