// domain/compose: the pure rules of a compose, as Pungi 4 and productmd define them: compose ids and
// their respins (compose-id.ts), statuses, phases and types (vocabulary.ts), the request and the ready
// module builds a compose is made from (compose-request.ts), the module defaults a variant's repository
// carries (module-defaults.ts), productmd's metadata documents (productmd-metadata.ts), rpm's version
// comparison (rpm-version.ts) and "what changed" between two composes (compose-diff.ts).
// No I/O: importable from workflows, activities, api and cli alike.
export type { ComposeId, ComposeIdError, ComposeIdResult } from './compose-id';
export {
  RELEASE_SHORT_PATTERN,
  RELEASE_VERSION_PATTERN,
  checkComposeId,
  compareComposeIds,
  composeDate,
  formatComposeId,
  nextComposeId,
  parseComposeId,
} from './compose-id';
export type { ComposePhase, ComposeStatus, ComposeType, VariantType } from './vocabulary';
export {
  COMPOSE_PHASES,
  COMPOSE_STATUSES,
  COMPOSE_TYPES,
  COMPOSE_TYPE_SUFFIX,
  FINAL_COMPOSE_STATUSES,
  PUBLISHABLE_COMPOSE_STATUSES,
  VARIANT_TYPES,
  isComposeStatus,
} from './vocabulary';
export type {
  ComposeRequest,
  ComposeRequestError,
  ComposeRequestResult,
  ComposeVariant,
  ModuleStreamSpec,
  ReadyModuleBuild,
} from './compose-request';
export { formatModuleStreamSpec, parseComposeRequest, parseModuleStreamSpec } from './compose-request';
export { variantModuleDefaults } from './module-defaults';
export type { Evr, Nevra } from './rpm-version';
export { compareEvr, formatEvr, formatNevra, parseNevra, rpmVersionCompare } from './rpm-version';
export type {
  ChangeSet,
  ComposeContent,
  ComposeDiff,
  ComposeDiffSummary,
  VariantChangeCounts,
  VariantChanges,
  VersionChange,
} from './compose-diff';
export { diffComposes, summarizeComposeDiff } from './compose-diff';
export type { ImageEntry, ModuleEntry, ProductmdDocument, ProductmdKind, RpmEntry } from './productmd-metadata';
export {
  PRODUCTMD_VERSION,
  composeInfoDocument,
  imagesDocument,
  modulesDocument,
  productmdJson,
  rpmsDocument,
  variantPaths,
} from './productmd-metadata';
