// activities/pungi/: Pungi's compose phases as plain library code — no Temporal, no store, no API —
// called as activities by the Compose workflow (through createPungiActivities) and directly by
// `cascade compose --local`. Every phase takes paths and small records, writes into the compose
// directory under temporary names, answers ids, paths and counts, and may be run again after a kill.
//
//   allocateComposeId {topdir, request} -> the next free <short>-<version>-<date><suffix>.<respin>
//   initPhase        {topdir, composeId, request} -> {composeId, composeDir, created}
//                    <topdir>/<id>/{STATUS=STARTED, COMPOSE_ID, compose/metadata, logs, work/global/compose-request.json}
//   gatherPhase      {composeDir, variant, builds: ReadyModuleBuild[], nonModularRepos?} -> counts per arch
//                    work/<arch>/gather/<Variant>.json (modules and packages; shadowed non-modular RPMs left out)
//   createrepoPhase  {composeDir, variant, arch, compsPath?, previousComposeDir?} -> {repoDir, reused, inputsDigest, rpms, modules}
//                    compose/<Variant>/<arch>/os (Packages/<letter>/, repodata with group and modules), source/tree
//   imagePhase       {composeDir, variant, arch, cacheDir, previousComposeDir?} -> images made or reused (path, type, size), skipped ones
//                    compose/<Variant>/<arch>/iso/*-dvd.iso (xorriso), images/*-rootfs.tar.xz (dnf --installroot)
//   imageChecksumPhase {composeDir, variants} -> {images, checksumFiles}: SHA256SUM beside the images
//   testPhase        {composeDir, variant, cacheDir, previousComposeDir?} -> {passed, reason, results (ResultsDB-shaped), resultsFile}
//   metadataPhase    {composeDir, status, variants (shipped)} -> counts; compose/metadata/*.json, STATUS last
//   publishPhase     {composeDir, mirrorRoot, keep} -> {publishedDir, latestLink, removed}
//   diffPhase        {composeDir, previousComposeDir} -> {changesFile, summary}
// Imported by activities/index.ts, workers and cli; workflows import its types only.
import fs from 'node:fs';
import path from 'node:path';
import type { ComposeRequest } from '../../domain/compose';
import { createrepoPhase, type CreaterepoPhaseInput } from './createrepo-phase';
import { diffPhase } from './diff-phase';
import { gatherPhase } from './gather-phase';
import { imageChecksumPhase } from './image-checksum-phase';
import { imagePhase } from './image-phase';
import { allocateComposeId, initPhase, writeComposeStatus } from './init-phase';
import { metadataPhase, type MetadataPhaseInput } from './metadata-phase';
import { publishPhase } from './publish-phase';
import { testPhase } from './test-phase';

export {
  createrepoPhase,
  diffPhase,
  gatherPhase,
  imageChecksumPhase,
  imagePhase,
  initPhase,
  metadataPhase,
  publishPhase,
  testPhase,
};
export {
  allocateComposeId,
  readComposeId,
  readComposeRequest,
  readComposeStatus,
  writeComposeStatus,
} from './init-phase';
export { readComposeContent, readComposeDiff } from './diff-phase';
export { verifyChecksumFile, CHECKSUM_FILE } from './image-checksum-phase';
export {
  moduleBuildModulemdPath,
  variantCompsPath,
  writeModuleBuildModulemd,
  writeVariantComps,
} from './variant-inputs';
export type { InitPhaseInput, InitPhaseOutput } from './init-phase';
export type { GatherList, GatherPhaseInput, GatherPhaseOutput, GatheredModule, GatheredPackage } from './gather-phase';
export type { CreaterepoPhaseInput, CreaterepoPhaseOutput } from './createrepo-phase';
export type { ImagePhaseInput, ImagePhaseOutput, ImageRecord } from './image-phase';
export type { ImageChecksumPhaseInput, ImageChecksumPhaseOutput } from './image-checksum-phase';
export type { ComposeTestResult, TestPhaseInput, TestPhaseOutput } from './test-phase';
export type { MetadataPhaseInput, MetadataPhaseOutput } from './metadata-phase';
export type { PublishPhaseInput, PublishPhaseOutput } from './publish-phase';
export type { DiffPhaseInput, DiffPhaseOutput } from './diff-phase';

export interface PungiDeps {
  /** where composes are made: <topdir>/<COMPOSE_ID>/ */
  topdir: string;
  /** the mirror tree composes are published to */
  mirrorRoot: string;
  /** composes kept per release in the mirror */
  keep: number;
  /** dnf's cache for the compose's own repos */
  cacheDir: string;
}

/**
 * The phases as activities: the same functions with the compose directory named by compose id, so
 * payloads carry ids, not paths the caller must know. Heartbeating is the caller's business.
 */
export function createPungiActivities(deps: PungiDeps) {
  const dir = (composeId: string) => path.join(deps.topdir, composeId);
  const cacheDir = (composeId: string) => {
    const d = path.join(deps.cacheDir, composeId);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  const previous = (id: string | null | undefined) => (id ? dir(id) : undefined);
  return {
    async allocateComposeId(input: { request: ComposeRequest }) {
      return allocateComposeId({ topdir: deps.topdir, request: input.request });
    },
    async composeInit(input: { composeId: string; request: ComposeRequest }) {
      return initPhase({ topdir: deps.topdir, ...input });
    },
    async composeGather(input: Omit<Parameters<typeof gatherPhase>[0], 'composeDir'> & { composeId: string }) {
      return gatherPhase({ ...input, composeDir: dir(input.composeId) });
    },
    async composeCreaterepo(
      input: Omit<CreaterepoPhaseInput, 'composeDir' | 'previousComposeDir'> & {
        composeId: string;
        previousComposeId?: string | null;
      },
    ) {
      const { previousComposeId, ...rest } = input;
      return createrepoPhase({
        ...rest,
        composeDir: dir(input.composeId),
        previousComposeDir: previous(previousComposeId),
      });
    },
    async composeImage(input: { composeId: string; variant: string; arch: string; previousComposeId?: string | null }) {
      const { previousComposeId, ...rest } = input;
      return imagePhase({
        ...rest,
        composeDir: dir(input.composeId),
        cacheDir: cacheDir(input.composeId),
        previousComposeDir: previous(previousComposeId),
      });
    },
    async composeImageChecksum(input: { composeId: string; variants: string[] }) {
      return imageChecksumPhase({ composeDir: dir(input.composeId), variants: input.variants });
    },
    async composeTest(input: { composeId: string; variant: string; previousComposeId?: string | null }) {
      const { previousComposeId, ...rest } = input;
      return testPhase({
        ...rest,
        composeDir: dir(input.composeId),
        cacheDir: cacheDir(input.composeId),
        previousComposeDir: previous(previousComposeId),
      });
    },
    async composeMetadata(input: Omit<MetadataPhaseInput, 'composeDir'> & { composeId: string }) {
      return metadataPhase({ ...input, composeDir: dir(input.composeId) });
    },
    async composeStatus(input: { composeId: string; status: Parameters<typeof writeComposeStatus>[0]['status'] }) {
      return writeComposeStatus({ composeDir: dir(input.composeId), status: input.status });
    },
    async composePublish(input: { composeId: string }) {
      return publishPhase({ composeDir: dir(input.composeId), mirrorRoot: deps.mirrorRoot, keep: deps.keep });
    },
    async composeDiff(input: { composeId: string; previousComposeId: string | null }) {
      return diffPhase({
        composeDir: dir(input.composeId),
        previousComposeDir: previous(input.previousComposeId) ?? null,
      });
    },
  };
}
