// image: per variant and arch, two real images — a root filesystem tarball (`container`, tar.xz)
// installed with dnf from the compose's own repos (the variant's and its parent's) with the variant's
// module profiles, and an ISO of the variant's os tree (`dvd`, made with xorriso). Files go to
// compose/<Variant>/<arch>/{images,iso}/ under temporary names first; what was made is recorded in
// work/<arch>/images/<Variant>.json for image_checksum and metadata. Reuse: the record keeps the
// digest of the images' inputs (the repos' createrepo digests, the profiles, the platform, the volume
// id); when the previous compose's images had the same digest they are hard-linked under this
// compose's names instead of installing and packing them again.
import fs from 'node:fs';
import path from 'node:path';
import { formatModuleStreamSpec } from '../../domain/compose';
import {
  composeLayout,
  hostRpmArch,
  linkOrCopy,
  readJsonFile,
  sha256Text,
  writeFileAtomic,
  writeJsonAtomic,
} from './compose-files';
import { dnfArgs, dnfReason } from './dnf-command';
import { assertComposeOpen, findVariant, readComposeId, readComposeRequest } from './init-phase';
import { runTool, runToolOrThrow } from './run-tool';

export interface ImagePhaseInput {
  composeDir: string;
  variant: string;
  arch: string;
  /** dnf's cache directory (metadata of the compose's own repos) */
  cacheDir: string;
  /** an earlier compose of the release whose images may be reused */
  previousComposeDir?: string;
}

interface ImageSetRecord {
  images: ImageRecord[];
  skipped: string[];
  /** absent when a repo had no createrepo record: such images are never reused */
  inputsDigest?: string;
  reusedFrom?: string;
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
    const done = readJsonFile<ImageSetRecord>(recordFile, 'image record');
    return summary(variant.uid, input.arch, done.images, done.skipped);
  }

  const base = `${composeId}-${variant.uid}-${input.arch}`;
  const volumeId = `${request.release.short}-${request.release.version}-${variant.uid}-${input.arch}`.slice(0, 32);
  const specs = variant.modules.map(formatModuleStreamSpec);
  const repoUids = [variant.uid, ...(variant.parent ? [variant.parent] : [])];
  const inputsDigest = imageInputsDigest(layout, repoUids, input.arch, { specs, volumeId, request });
  const reused = input.previousComposeDir
    ? reuseImages(input.previousComposeDir, input.composeDir, variant.uid, input.arch, inputsDigest)
    : undefined;
  if (reused) {
    writeJsonAtomic(recordFile, reused);
    return summary(variant.uid, input.arch, reused.images, reused.skipped);
  }

  const records: ImageRecord[] = [];
  const skipped: string[] = [];
  const isoFile = path.join(layout.isoDir(variant.uid, input.arch), `${base}-dvd.iso`);
  await makeIso(layout.osTree(variant.uid, input.arch), isoFile, volumeId);
  records.push(record(layout.compose, isoFile, 'dvd', 'iso', volumeId));

  if (input.arch !== hostRpmArch() && input.arch !== 'noarch')
    skipped.push(`rootfs: this machine installs ${hostRpmArch()}, not ${input.arch}`);
  else if (specs.length === 0) skipped.push('rootfs: the variant has no module profiles to install');
  else {
    const tarball = path.join(layout.imagesDir(variant.uid, input.arch), `${base}-rootfs.tar.xz`);
    const repos = repoUids.map((uid) => layout.osTree(uid, input.arch));
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
  const made: ImageSetRecord = { images: records, skipped, ...(inputsDigest ? { inputsDigest } : {}) };
  writeJsonAtomic(recordFile, made);
  return summary(variant.uid, input.arch, records, skipped);
}

/** What the images are made from; undefined when a repo's content is not known by its digest. */
function imageInputsDigest(
  layout: ReturnType<typeof composeLayout>,
  repoUids: string[],
  arch: string,
  o: { specs: string[]; volumeId: string; request: { platformStream: string } },
): string | undefined {
  const repos: string[] = [];
  for (const uid of repoUids) {
    const file = layout.repoRecord(uid, arch);
    if (!fs.existsSync(file)) return undefined;
    repos.push(readJsonFile<{ inputsDigest: string }>(file, 'repo record').inputsDigest);
  }
  return sha256Text(
    JSON.stringify({ repos, specs: o.specs, volumeId: o.volumeId, platform: o.request.platformStream, arch }),
  );
}

/**
 * The previous compose's images of this variant and arch, hard-linked under this compose's names,
 * when they were made from the same inputs and are all still there; undefined otherwise.
 */
function reuseImages(
  previousComposeDir: string,
  composeDir: string,
  uid: string,
  arch: string,
  inputsDigest: string | undefined,
): ImageSetRecord | undefined {
  if (!inputsDigest) return undefined;
  const previous = composeLayout(previousComposeDir);
  const recordFile = previous.imageRecord(uid, arch);
  if (!fs.existsSync(recordFile)) return undefined;
  const earlier = readJsonFile<ImageSetRecord>(recordFile, 'previous image record');
  if (earlier.inputsDigest !== inputsDigest) return undefined;
  if (!earlier.images.every((r) => fs.existsSync(path.join(previous.compose, r.path)))) return undefined;
  const layout = composeLayout(composeDir);
  const previousId = readComposeId(previousComposeDir);
  const composeId = readComposeId(composeDir);
  const images = earlier.images.map((r) => {
    const target = path.join(
      layout.compose,
      path.dirname(r.path),
      path.basename(r.path).replace(previousId, composeId),
    );
    const temp = `${target}.tmp`;
    fs.rmSync(temp, { force: true });
    linkOrCopy(path.join(previous.compose, r.path), temp);
    fs.renameSync(temp, target);
    const { sha256: _checksummedAgain, ...rest } = r;
    return {
      ...rest,
      path: path.relative(layout.compose, target),
      mtime: Math.floor(fs.statSync(target).mtimeMs / 1000),
    };
  });
  return { images, skipped: earlier.skipped, inputsDigest, reusedFrom: previousId };
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
