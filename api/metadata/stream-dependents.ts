// What depends on name:stream, counting modules that accept any stream of `name` (modulemd's empty
// stream list, stored as name:*): they depend on every stream of it.
import { ANY_STREAM } from '../../domain/pdc';
import { moduleStreamKey, type DependencyIndex, type RelationFilter } from '../../domain/dependencies';

export interface StreamDependent {
  node: string;
  tier: number | null;
  path: string[];
}

export function streamDependents(
  index: DependencyIndex,
  name: string,
  stream: string,
  q: { relation: RelationFilter; transitive: boolean; tiers: boolean },
): StreamDependent[] | undefined {
  const node = moduleStreamKey(name, stream);
  const anyNode = moduleStreamKey(name, ANY_STREAM);
  const roots = stream === ANY_STREAM ? [node] : [node, anyNode];
  // Paths from name:* start at the queried stream, which is what the person asked about.
  const paths = new Map<string, string[]>();
  const depth = q.tiers ? true : q.transitive;
  for (const root of roots) {
    for (const d of index.dependents(root, { relation: q.relation, transitive: depth })) {
      const path = [node, ...d.path.slice(1)];
      const known = paths.get(d.node);
      if (!known || path.length < known.length) paths.set(d.node, path);
    }
  }
  if (paths.size === 0 && !index.modules().includes(node)) return undefined;
  if (!q.tiers) {
    return [...paths]
      .map(([n, path]) => ({ node: n, tier: null, path }))
      .sort((a, b) => a.path.length - b.path.length || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  }
  return index
    .tiers(roots, q.relation)
    .members.filter((m) => !m.changed)
    .map((m) => ({ node: m.node, tier: m.tier, path: paths.get(m.node) ?? [node, m.node] }));
}
