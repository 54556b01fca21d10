// The vocabulary of the dependency graph: module-stream keys, the two relations and a
// locale-free name order (answers must be identical on every machine and in workflow replays).

export const DEPENDENCY_RELATIONS = ['buildrequires', 'requires'] as const;
export type DependencyRelation = (typeof DEPENDENCY_RELATIONS)[number];
/** Which edges a query follows: one relation, or the union of both. */
export type RelationFilter = DependencyRelation | 'all';

/** The module streams one module stream depends on, keyed "name:stream". */
export interface ModuleDependencies {
  buildrequires: readonly string[];
  requires: readonly string[];
}

export const NO_DEPENDENCIES: ModuleDependencies = Object.freeze({
  buildrequires: Object.freeze([]) as readonly string[],
  requires: Object.freeze([]) as readonly string[],
});

/** Streams are strings even when they look like numbers ("1.10" is not "1.1"), so the key is plain text. */
export function moduleStreamKey(name: string, stream: string): string {
  return `${name}:${stream}`;
}

/** The inverse of moduleStreamKey: names hold no ':', streams may, so the first ':' splits. */
export function splitModuleStreamKey(node: string): { name: string; stream: string } {
  const at = node.indexOf(':');
  return at < 0 ? { name: node, stream: '' } : { name: node.slice(0, at), stream: node.slice(at + 1) };
}

/** Code-unit order: unlike localeCompare it does not depend on the ICU data of the process. */
export function compareNodeNames(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareNodeNames);
}

export function relationsOf(filter: RelationFilter): readonly DependencyRelation[] {
  return filter === 'all' ? DEPENDENCY_RELATIONS : [filter];
}
