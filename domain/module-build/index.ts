// domain/module-build: the pure rules of one module build, as Fedora's Module Build Service (MBS 3.9) applies
// them with Koji: its version (module-version.ts) and context (module-context.ts), its component batches
// (build-batches.ts), the buildroot hash that decides reuse (buildroot-hash.ts), the rebuild strategies
// (rebuild-strategy.ts), and its names: NSVC, NVR, Koji tags and %dist (nsvc.ts, koji-naming.ts). SHA-1 and
// SHA-256 are implemented here (digest.ts) so that everything stays free of I/O and of Node built-ins:
// importable from workflows, activities, api and cli alike.
export type { ModuleBuildError, ModuleBuildResult } from './module-build-error';
export { sha1Hex, sha256Hex, utf8Bytes } from './digest';
export type { ModuleContexts, ResolvedBuildrequire } from './module-context';
export {
  DEFAULT_BASE_MODULE_NAMES,
  computeBuildContext,
  computeContexts,
  computeModuleContext,
  computeRuntimeContext,
} from './module-context';
export { computeModuleVersion, formatCommitTimeVersion, platformVersionPrefix } from './module-version';
export type { BatchesResult, BuildBatch, OrderedComponent } from './build-batches';
export { computeBatches } from './build-batches';
export type { BuildrootHashResult, BuildrootInputs } from './buildroot-hash';
export { BUILDROOT_HASH_SCHEME, computeBuildrootHash } from './buildroot-hash';
export type { CanonicalJsonResult } from './canonical-json';
export { canonicalJson } from './canonical-json';
export type { RebuildPlan, RebuildStrategy } from './rebuild-strategy';
export {
  DEFAULT_REBUILD_STRATEGY,
  REBUILD_STRATEGIES,
  REBUILD_STRATEGY_NAMES,
  parseRebuildStrategy,
  planRebuild,
} from './rebuild-strategy';
export type { Nsvc } from './nsvc';
export { formatNsvc, moduleKojiNvr, parseNsvc } from './nsvc';
export type { DisttagOptions, KojiTagOptions } from './koji-naming';
export {
  FEDORA_DIST_TAG_PREFIX,
  KOJI_TAG_MAX_LENGTH,
  derivedDisttagIndex,
  kojiBuildTagName,
  kojiTagName,
  moduleDisttag,
  moduleDisttagOf,
} from './koji-naming';
