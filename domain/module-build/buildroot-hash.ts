// The buildroot hash: a digest of everything a component build sees besides its own source, so that a component
// whose source commit and buildroot hash both match an earlier successful build can take that build's RPMs over
// instead of being rebuilt (DESIGN.md, "reuse"). MBS decides the same question with a chain of comparisons
// (get_reusable_component in module_build_service/scheduler/reuse.py: same buildrequired module builds, same
// macros, same earlier batches); Cascade folds those inputs into one SHA-256 it can store and look up.
//
// The digest is SHA-256 (hex) of the canonical JSON (keys sorted, no whitespace) of
//   { "buildopts": <buildopts>, "buildrequires": [...], "earlierBatchArtifacts": [...], "macros": "...",
//     "scheme": "cascade-buildroot-v1" }
// where both lists are sorted by code point and deduplicated (a buildroot is a set: the order in which the
// inputs arrive does not change what is installed), and "scheme" names this layout so that a future change of
// it cannot collide with digests already stored.
import { canonicalJson } from './canonical-json';
import { sha256Hex } from './digest';
import type { ModuleBuildResult } from './module-build-error';
import { compareCodePoints } from './python-json';

export const BUILDROOT_HASH_SCHEME = 'cascade-buildroot-v1';

export interface BuildrootInputs {
  /** NSVCs of the module builds in the buildroot, as resolved for this build */
  buildrequires: readonly string[];
  /** NVRs of the builds the earlier batches of this module build produced (or reused) */
  earlierBatchArtifacts: readonly string[];
  /** the module's buildopts.rpms.macros text, "" when none */
  macros: string;
  /** the module's buildopts, as JSON data */
  buildopts: unknown;
}

export type BuildrootHashResult = ModuleBuildResult<{ hash: string }>;

function sortedSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareCodePoints);
}

/** The buildroot hash of the inputs; an error value only when buildopts holds something JSON cannot carry. */
export function computeBuildrootHash(inputs: BuildrootInputs): BuildrootHashResult {
  const serialized = canonicalJson({
    buildopts: inputs.buildopts ?? null,
    buildrequires: sortedSet(inputs.buildrequires),
    earlierBatchArtifacts: sortedSet(inputs.earlierBatchArtifacts),
    macros: inputs.macros,
    scheme: BUILDROOT_HASH_SCHEME,
  });
  if (!serialized.ok) return serialized;
  return { ok: true, hash: sha256Hex(serialized.text) };
}
