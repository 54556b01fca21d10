// Breadth-first walk of the reverse-dependency graph that keeps, for every dependent found,
// the chain that explains it: what an operator needs to believe a rebuild is necessary.

import { compareNodeNames } from './graph-model';

/** Direct dependents of a node, sorted by name (the sort order is what makes the tie-break deterministic). */
export type SortedDependentsLookup = (node: string) => readonly string[];

export interface Dependent {
  node: string;
  /** Number of edges between the queried node and this one (1 = direct dependent). */
  depth: number;
  /** From the queried node to `node`, each element depending on the previous one. */
  path: readonly string[];
}

/**
 * Shortest explanation for each dependent; among shortest paths the lexicographically smallest one
 * (compared node by node from the root). A layer is visited in the order of its paths and each
 * node's dependents by name, so the first discovery of a node is its smallest shortest path.
 * Answers are ordered by depth, then name, so they can be paginated.
 */
export function findDependents(root: string, dependentsOf: SortedDependentsLookup, transitive: boolean): Dependent[] {
  const paths = new Map<string, readonly string[]>([[root, [root]]]);
  const found: Dependent[] = [];
  let layer = [root];
  let depth = 0;
  while (layer.length > 0 && (transitive || depth === 0)) {
    depth += 1;
    const next: string[] = [];
    for (const parent of layer) {
      const parentPath = paths.get(parent) ?? [parent];
      for (const child of dependentsOf(parent)) {
        if (paths.has(child)) continue;
        const path = [...parentPath, child];
        paths.set(child, path);
        next.push(child);
        found.push({ node: child, depth, path });
      }
    }
    layer = next;
  }
  return found.sort((a, b) => a.depth - b.depth || compareNodeNames(a.node, b.node));
}
