// domain/dependency-graph: the metadata service's distribution-scale dependency graph — streams
// interned as integer ids (CompactDependencyGraph), closures resolved once into typed arrays
// (Closure: paths, depth order, rebuild tiers with cycles flagged) and kept in a byte-bounded LRU
// that a graph change invalidates precisely (ResolutionCache), and the questions the API asks
// (StreamResolver). Pure, no I/O: the API, the store's loaders, benches and tests may import it.
export {
  CompactDependencyGraph,
  FILTER_INDEX,
  type EdgeColumns,
  type FilterIndex,
  type StreamDependencies,
} from './compact-graph';
export { Closure } from './closure';
export type { TierLayout } from './closure-tiers';
export { ResolutionCache, type ResolutionCacheStats } from './resolution-cache';
export {
  DEFAULT_CACHE_BYTES,
  StreamResolver,
  type DependentItem,
  type DependentsPage,
  type DependentsRequest,
  type Membership,
} from './stream-resolver';
