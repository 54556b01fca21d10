// libmodulemd's semantic checks of a module stream v2 (modulemd_module_stream_v2_validate and friends):
// what a well-formed document can still get wrong. Paths are relative to the document (data.…).
import type { ModuleStreamV2, StreamRequirements } from './module-stream';
import type { FieldPath } from './yaml-source';

export interface RuleViolation {
  code: string;
  path: FieldPath;
  message: string;
}

const MAX_STATIC_CONTEXT_LENGTH = 13;

export function checkStreamV2Rules(stream: ModuleStreamV2): RuleViolation[] {
  return [
    ...checkMandatoryText(stream),
    ...checkStaticContext(stream),
    ...checkDependencies(stream),
    ...checkBuildOrdering(stream),
    ...checkComponentArches(stream),
    ...checkArtifacts(stream),
  ];
}

function checkArtifacts(stream: ModuleStreamV2): RuleViolation[] {
  return stream.artifacts.rpms
    .map((nevra, index) => ({ nevra, index }))
    .filter(({ nevra }) => !isNevra(nevra))
    .map(({ nevra, index }) => ({
      code: 'invalid-artifact',
      path: ['data', 'artifacts', 'rpms', index],
      message: `artifact '${nevra}' is not in N-E:V-R.A form`,
    }));
}

/**
 * modulemd_validate_nevra, read from the end: an arch after the last '.', a release after the '-' before
 * it, a version after a ':' with no '-' in it, and an epoch that starts with a digit after the '-' before
 * that. The name may be anything, even empty.
 */
export function isNevra(nevra: string): boolean {
  const dot = nevra.lastIndexOf('.');
  if (dot < 0) return false;
  const releaseDash = nevra.lastIndexOf('-', dot);
  if (releaseDash < 1) return false;
  const colon = nevra.lastIndexOf(':', releaseDash - 1);
  if (colon < 0 || nevra.slice(colon, releaseDash).includes('-')) return false;
  const epochDash = nevra.lastIndexOf('-', colon);
  return epochDash >= 0 && /^\d/.test(nevra.slice(epochDash + 1, colon));
}

function checkMandatoryText(stream: ModuleStreamV2): RuleViolation[] {
  // summary and description must be there, even empty: the schemas check that, on the text.
  const violations: RuleViolation[] = [];
  if (stream.license.module.length === 0) {
    violations.push({
      code: 'missing-field',
      path: ['data', 'license', 'module'],
      message: 'module license is missing',
    });
  }
  return violations;
}

/** A static context names a build configuration, so it is short and plain; a generated one is not checked. */
function checkStaticContext(stream: ModuleStreamV2): RuleViolation[] {
  if (!stream.staticContext || stream.context === undefined) return [];
  const path = ['data', 'context'];
  if (stream.context.length > MAX_STATIC_CONTEXT_LENGTH) {
    return [
      {
        code: 'invalid-context',
        path,
        message: `stream context '${stream.context}' exceeds maximum length (${MAX_STATIC_CONTEXT_LENGTH})`,
      },
    ];
  }
  if (!/^[a-zA-Z0-9_]*$/.test(stream.context)) {
    return [
      {
        code: 'invalid-context',
        path,
        message: `stream context '${stream.context}' can only contain [a-zA-Z0-9_] characters`,
      },
    ];
  }
  return [];
}

/** A module's stream list either names streams or excludes them (`-f27`), never both. */
function checkDependencies(stream: ModuleStreamV2): RuleViolation[] {
  return stream.dependencies.flatMap((dependency, index) => [
    ...checkStreamSigns(dependency.buildrequires, ['data', 'dependencies', index, 'buildrequires']),
    ...checkStreamSigns(dependency.requires, ['data', 'dependencies', index, 'requires']),
  ]);
}

function checkStreamSigns(requirements: StreamRequirements, path: FieldPath): RuleViolation[] {
  return Object.entries(requirements).flatMap(([module, streams]) => {
    const excluded = streams.filter((stream) => stream.startsWith('-')).length;
    if (excluded === 0 || excluded === streams.length) return [];
    return [
      {
        code: 'mismatched-dependency',
        path: [...path, module],
        message: `dependency ${module} contains a mix of positive and negative stream entries`,
      },
    ];
  });
}

/** buildorder (batches) and buildafter (a graph) are two ways to order a stream's components: pick one. */
function checkBuildOrdering(stream: ModuleStreamV2): RuleViolation[] {
  const rpms = Object.entries(stream.components.rpms);
  const violations: RuleViolation[] = [];
  for (const [key, component] of rpms) {
    const path = ['data', 'components', 'rpms', key, 'buildafter'];
    if (component.buildafter.length > 0 && component.buildorder !== undefined && component.buildorder !== 0) {
      violations.push({
        code: 'mixed-build-ordering',
        path,
        message: 'cannot mix buildorder and buildafter in the same component',
      });
    }
    for (const [index, dependency] of component.buildafter.entries()) {
      if (stream.components.rpms[dependency]) continue;
      violations.push({
        code: 'unknown-buildafter',
        path: [...path, index],
        message: `buildafter '${dependency}' not found in components list`,
      });
    }
  }
  if (violations.length > 0) return violations;
  const usesBuildafter = rpms.find(([, component]) => component.buildafter.length > 0);
  const usesBuildorder = rpms.find(([, component]) => (component.buildorder ?? 0) !== 0);
  if (usesBuildafter && usesBuildorder) {
    violations.push({
      code: 'mixed-build-ordering',
      path: ['data', 'components', 'rpms', usesBuildafter[0], 'buildafter'],
      message: `cannot mix buildorder and buildafter in the same stream (component '${usesBuildorder[0]}' has a buildorder)`,
    });
  }
  return violations;
}

/** A component may narrow the module's arches, not widen them. */
function checkComponentArches(stream: ModuleStreamV2): RuleViolation[] {
  const moduleArches = new Set(stream.buildopts.arches);
  if (moduleArches.size === 0) return [];
  return Object.entries(stream.components.rpms).flatMap(([key, component]) =>
    component.arches
      .map((arch, index) => ({ arch, index }))
      .filter(({ arch }) => !moduleArches.has(arch))
      .map(({ arch, index }) => ({
        code: 'invalid-arches',
        path: ['data', 'components', 'rpms', key, 'arches', index],
        message: `component rpm '${key}' arch '${arch}' not in module buildopts.arches`,
      })),
  );
}
