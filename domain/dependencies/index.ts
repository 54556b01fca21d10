// domain/dependencies: the metadata service's dependency index — module streams ("name:stream"),
// their buildrequires/requires edges in both directions, their components, "what depends on X"
// with explaining paths, and rebuild tiers (`computeTiers`, also for several changed nodes at once).
// Pure and deterministic, no I/O: workflows, activities, the API and benchmarks may import it.

export { DependencyIndex, type DependencyIndexOptions, type DependentsQuery } from './dependency-index';
export { findDependents, type Dependent, type SortedDependentsLookup } from './dependents-with-paths';
export {
  DEPENDENCY_RELATIONS,
  compareNodeNames,
  moduleStreamKey,
  splitModuleStreamKey,
  type DependencyRelation,
  type ModuleDependencies,
  type RelationFilter,
} from './graph-model';
export {
  computeTiers,
  dependentsLookupFromEdges,
  type DependencyEdge,
  type DependentsOf,
  type RebuildTiers,
  type TierMember,
} from './tiers';
