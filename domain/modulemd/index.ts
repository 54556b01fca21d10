// domain/modulemd: the modulemd model (module streams v2, module defaults) and its reading, checking and
// writing. Pure and deterministic, like all of domain/: importable from workflows, activities, api and cli.
// Reading index files from disk is the CLI's (cli/module-index-file.ts).
export type {
  ModuleComponent,
  ModuleDefaults,
  ModuleDependencies,
  ModuleStreamV2,
  Profile,
  RpmComponent,
  RpmMapEntry,
  StreamRequirements,
} from './module-stream';
export { compareModuleVersions, formatNsvc } from './module-stream';
export type { ModulemdError } from './modulemd-error';
export { describeModulemdError } from './modulemd-error';
export type { ParseOptions, ParseResult, ScanResult } from './module-index-parser';
export { parseModuleIndex, parsePackagerV3, scanModuleIndex } from './module-index-parser';
export type { MbsBuildMetadata, MbsBuildrequire } from './mbs-build-metadata';
export { readMbsBuildMetadata } from './mbs-build-metadata';
export { serializeModuleDefaults, serializeModuleIndex, serializeModuleStream } from './stream-v2-serializer';
export type { JsonValue } from './yaml-source';
export type { DocumentTextType, DocumentValidation, StreamParseResult } from './document-validation';
export { parseModuleStream, validateDocumentText } from './document-validation';
