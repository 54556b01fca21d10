// The context of a module build as MBS 3.9 computes it (ModuleBuild.contexts_from_mmd and the calculate_*
// static methods in module_build_service/common/models.py). MBS runs this on the modulemd after module stream
// expansion (MSE), so the buildrequires are the resolved streams recorded in xmd.mbs.buildrequires and the
// requires are those of the expanded stream. Reproducing MBS exactly lets Cascade import MBS-built streams and
// give a rebuild the same NSVC MBS would have given it.
import type { ModuleDependencies, ModuleStreamV2 } from '../modulemd';
// Straight from the file, not the folder's index, to keep the YAML parser out of workflow bundles.
import { readMbsBuildMetadata } from '../modulemd/mbs-build-metadata';
import { sha1Hex } from './digest';
import type { ModuleBuildResult } from './module-build-error';
import { moduleBuildError } from './module-build-error';
import { compareCodePoints, pythonJsonDumps, sortedByKey } from './python-json';

/** A buildrequired module as resolved for a build: one entry of xmd.mbs.buildrequires. */
export interface ResolvedBuildrequire {
  module: string;
  stream: string;
}

/** MBS's conf.base_module_names default: the modules that define a platform. */
export const DEFAULT_BASE_MODULE_NAMES: readonly string[] = ['platform'];

/**
 * SHA-1 (40 hex) of json.dumps of {module: stream} over the resolved buildrequires, keys sorted: MBS's
 * calculate_build_context. With excludeModules (MBS passes conf.base_module_names) it is build_context_no_bms,
 * which MBS uses to find builds of the same stream against other platform streams.
 */
export function computeBuildContext(
  buildrequires: readonly ResolvedBuildrequire[],
  options: { excludeModules?: readonly string[] } = {},
): string {
  const excluded = new Set(options.excludeModules ?? []);
  // A dict in MBS: a later entry for the same module replaces the earlier one.
  const streams = new Map<string, string>();
  for (const { module, stream } of buildrequires) if (!excluded.has(module)) streams.set(module, stream);
  return sha1Hex(pythonJsonDumps(sortedByKey(streams)));
}

/**
 * SHA-1 (40 hex) of json.dumps of {module: sorted streams} over the runtime requires of every dependency block,
 * streams of one module merged across blocks, keys sorted: MBS's calculate_runtime_context. An empty stream list
 * (any stream) is hashed as [].
 */
export function computeRuntimeContext(dependencies: readonly Pick<ModuleDependencies, 'requires'>[]): string {
  const streams = new Map<string, Set<string>>();
  for (const block of dependencies) {
    for (const [module, moduleStreams] of Object.entries(block.requires)) {
      const merged = streams.get(module) ?? new Set<string>();
      for (const stream of moduleStreams) merged.add(stream);
      streams.set(module, merged);
    }
  }
  const sortedStreams = [...streams].map(([module, set]) => [module, [...set].sort(compareCodePoints)] as const);
  return sha1Hex(pythonJsonDumps(sortedByKey(sortedStreams)));
}

/** The first 8 hex of SHA-1 of "<build context>:<runtime context>": MBS's calculate_module_context. */
export function computeModuleContext(buildContext: string, runtimeContext: string): string {
  return sha1Hex(`${buildContext}:${runtimeContext}`).slice(0, 8);
}

export interface ModuleContexts {
  buildContext: string;
  /** build_context_no_bms: the build context without the base modules */
  buildContextWithoutBaseModules: string;
  runtimeContext: string;
  context: string;
}

/**
 * All four hashes of an expanded, MBS-formatted stream, as contexts_from_mmd returns them. An error value when
 * the stream has no xmd.mbs (MBS raises there too: the stream was not formatted by MBS).
 */
export function computeContexts(
  stream: Pick<ModuleStreamV2, 'xmd' | 'dependencies'>,
  baseModuleNames: readonly string[] = DEFAULT_BASE_MODULE_NAMES,
): ModuleBuildResult<{ contexts: ModuleContexts }> {
  const metadata = readMbsBuildMetadata(stream);
  if (!metadata) {
    return {
      ok: false,
      error: moduleBuildError(
        'missing-mbs-metadata',
        'the stream has no xmd.mbs block: resolve its buildrequires (module stream expansion) before computing its context',
      ),
    };
  }
  const buildContext = computeBuildContext(metadata.buildrequires);
  const runtimeContext = computeRuntimeContext(stream.dependencies);
  return {
    ok: true,
    contexts: {
      buildContext,
      buildContextWithoutBaseModules: computeBuildContext(metadata.buildrequires, { excludeModules: baseModuleNames }),
      runtimeContext,
      context: computeModuleContext(buildContext, runtimeContext),
    },
  };
}
