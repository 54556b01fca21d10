// image: per variant and arch, two real images — a root filesystem tarball (`container`, tar.xz)
// installed with dnf from the compose's own repos (the variant's and its parent's) with the variant's
// module profiles, and an ISO of the variant's os tree (`dvd`, made with xorriso). Files go to
// compose/<Variant>/<arch>/{images,iso}/ under temporary names first; what was made is recorded in
// work/<arch>/images/<Variant>.json for image_checksum and metadata.
import fs from 'node:fs';
import path from 'node:path';
import { formatModuleStreamSpec } from '../../domain/compose';
import { composeLayout, hostRpmArch, readJsonFile, writeFileAtomic, writeJsonAtomic } from './compose-files';
import { dnfArgs, dnfReason } from './dnf-command';
import { assertComposeOpen, findVariant, readComposeId, readComposeRequest } from './init-phase';
import { runTool, runToolOrThrow } from './run-tool';

export interface ImagePhaseInput {
  composeDir: string;
  variant: string;
  arch: string;
  /** dnf's cache directory (metadata of the compose's own repos) */
  cacheDir: string;
}

/** One made image, before image_checksum adds its checksum. */
export interface ImageRecord {
  /** relative to compose/ */
  path: string;
  type: 'dvd' | 'container';
  format: 'iso' | 'tar.xz';
  volumeId: string | null;
  size: number;
  mtime: number;
  sha256?: string;
}

export interface ImagePhaseOutput {
  variant: string;
  arch: string;
  images: { path: string; type: string; size: number }[];
  /** why an image was not made (e.g. the rootfs for an arch this machine cannot install) */
  skipped: string[];
}

export async function imagePhase(input: ImagePhaseInput): Promise<ImagePhaseOutput> {
  const layout = composeLayout(input.composeDir);
  assertComposeOpen(input.composeDir);
  const request = readComposeRequest(input.composeDir);
  const variant = findVariant(request, input.variant);
  const composeId = readComposeId(input.composeDir);
  const recordFile = layout.imageRecord(variant.uid, input.arch);
  if (fs.existsSync(recordFile)) {
    const done = readJsonFile<{ images: ImageRecord[]; skipped: string[] }>(recordFile, 'image record');
    return summary(variant.uid, input.arch, done.images, done.skipped);
  }

  const records: ImageRecord[] = [];
  const skipped: string[] = [];
  const base = `${composeId}-${variant.uid}-${input.arch}`;
  const isoFile = path.join(layout.isoDir(variant.uid, input.arch), `${base}-dvd.iso`);
  const volumeId = `${request.release.short}-${request.release.version}-${variant.uid}-${input.arch}`.slice(0, 32);
  await makeIso(layout.osTree(variant.uid, input.arch), isoFile, volumeId);
  records.push(record(layout.compose, isoFile, 'dvd', 'iso', volumeId));

  const specs = variant.modules.map(formatModuleStreamSpec);
  if (input.arch !== hostRpmArch() && input.arch !== 'noarch')
    skipped.push(`rootfs: this machine installs ${hostRpmArch()}, not ${input.arch}`);
  else if (specs.length === 0) skipped.push('rootfs: the variant has no module profiles to install');
  else {
    const tarball = path.join(layout.imagesDir(variant.uid, input.arch), `${base}-rootfs.tar.xz`);
    const repos = [variant.uid, ...(variant.parent ? [variant.parent] : [])].map((uid) =>
      layout.osTree(uid, input.arch),
    );
    const failure = await makeRootfs({
      installroot: layout.scratch(`rootfs-${variant.uid}-${input.arch}`),
      cacheDir: input.cacheDir,
      platformStream: request.platformStream,
      repos,
      specs,
      tarball,
      logFile: layout.log(input.arch, `image-rootfs-${variant.uid}.log`),
    });
    if (failure) skipped.push(failure);
    else records.push(record(layout.compose, tarball, 'container', 'tar.xz', null));
  }
  writeJsonAtomic(recordFile, { images: records, skipped });
  return summary(variant.uid, input.arch, records, skipped);
}

async function makeIso(osTree: string, isoFile: string, volumeId: string): Promise<void> {
  fs.mkdirSync(path.dirname(isoFile), { recursive: true });
  const temp = `${isoFile}.tmp`;
  fs.rmSync(temp, { force: true });
  await runToolOrThrow('xorriso', ['-as', 'mkisofs', '-quiet', '-V', volumeId, '-J', '-R', '-o', temp, osTree]);
  fs.renameSync(temp, isoFile);
}

async function makeRootfs(o: {
  installroot: string;
  cacheDir: string;
  platformStream: string;
  repos: string[];
  specs: string[];
  tarball: string;
  logFile: string;
}): Promise<string | undefined> {
  fs.rmSync(o.installroot, { recursive: true, force: true });
  fs.mkdirSync(o.installroot, { recursive: true });
  const args = [...dnfArgs(o), 'module', 'install', ...o.specs];
  const run = await runTool('dnf', args);
  writeFileAtomic(o.logFile, `$ dnf ${args.join(' ')}\n${run.output}`);
  // Content that does not install is the test phase's finding, not a broken compose: no rootfs.
  if (run.exitCode !== 0) {
    fs.rmSync(o.installroot, { recursive: true, force: true });
    return `rootfs: dnf module install ${o.specs.join(' ')} failed: ${dnfReason(run.output)}`;
  }
  fs.rmSync(path.join(o.installroot, 'var', 'cache', 'dnf'), { recursive: true, force: true });
  fs.mkdirSync(path.dirname(o.tarball), { recursive: true });
  const temp = `${o.tarball}.tmp`;
  await runToolOrThrow('tar', [
    '--sort=name',
    '--numeric-owner',
    '--owner=0',
    '--group=0',
    '-C',
    o.installroot,
    '-cJf',
    temp,
    '.',
  ]);
  fs.renameSync(temp, o.tarball);
  fs.rmSync(o.installroot, { recursive: true, force: true });
  return undefined;
}

function record(
  composeRoot: string,
  file: string,
  type: ImageRecord['type'],
  format: ImageRecord['format'],
  volumeId: string | null,
): ImageRecord {
  const stat = fs.statSync(file);
  return {
    path: path.relative(composeRoot, file),
    type,
    format,
    volumeId,
    size: stat.size,
    mtime: Math.floor(stat.mtimeMs / 1000),
  };
}

function summary(variant: string, arch: string, records: ImageRecord[], skipped: string[]): ImagePhaseOutput {
  return { variant, arch, images: records.map((r) => ({ path: r.path, type: r.type, size: r.size })), skipped };
}
