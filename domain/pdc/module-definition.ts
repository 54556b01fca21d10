/**
 * domain/pdc/: what the PDC store records about a module stream — its dependency relationships and
 * its components — derived from modulemd, and the diff between what is recorded and what a new
 * definition says. Pure; the store activities (activities/pdc/) apply the diff.
 */
import type { ModuleStreamV2 } from '../modulemd';

export type Relation = 'BUILDREQUIRES' | 'REQUIRES';

export interface RelationshipEdge {
  type: Relation;
  toName: string;
  toStream: string;
}

export interface ComponentEntry {
  name: string;
  ref: string | null;
  buildorder: number;
  rationale: string | null;
}

export interface ModuleDefinition {
  name: string;
  stream: string;
  /** the platform stream the module is built for (its buildrequired platform), when it names exactly one */
  release: string | null;
  edges: RelationshipEdge[];
  components: ComponentEntry[];
}

/** Any stream of the module: modulemd's empty stream list. */
export const ANY_STREAM = '*';

function edgesOf(type: Relation, requirements: Record<string, string[]>): RelationshipEdge[] {
  const edges: RelationshipEdge[] = [];
  for (const [toName, streams] of Object.entries(requirements)) {
    const named = streams.filter((s) => !s.startsWith('-'));
    // An empty list, or exclusions only, accepts every stream of the module.
    if (named.length === 0) edges.push({ type, toName, toStream: ANY_STREAM });
    for (const toStream of named) edges.push({ type, toName, toStream });
  }
  return edges;
}

export function edgeKey(e: RelationshipEdge): string {
  return `${e.type} ${e.toName}:${e.toStream}`;
}

/** The relationships and components a modulemd stream declares, deduplicated and sorted. */
export function moduleDefinitionFromStream(stream: ModuleStreamV2, name: string, streamName: string): ModuleDefinition {
  const edges = new Map<string, RelationshipEdge>();
  for (const deps of stream.dependencies) {
    for (const e of [...edgesOf('BUILDREQUIRES', deps.buildrequires), ...edgesOf('REQUIRES', deps.requires)])
      edges.set(edgeKey(e), e);
  }
  const platforms = [...edges.values()].filter(
    (e) => e.type === 'BUILDREQUIRES' && e.toName === 'platform' && e.toStream !== ANY_STREAM,
  );
  const components = Object.entries(stream.components.rpms).map(([key, c]) => ({
    name: c.name ?? key,
    ref: c.ref ?? null,
    buildorder: c.buildorder ?? 0,
    rationale: c.rationale ?? null,
  }));
  components.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    name,
    stream: streamName,
    release: platforms.length === 1 ? platforms[0]!.toStream : null,
    edges: [...edges.values()].sort((a, b) => (edgeKey(a) < edgeKey(b) ? -1 : 1)),
    components,
  };
}

export interface DefinitionDiff<T> {
  added: T[];
  removed: T[];
}

/** What changes between the recorded items and the desired ones, by key. */
export function diffByKey<T>(recorded: T[], desired: T[], key: (item: T) => string): DefinitionDiff<T> {
  const have = new Map(recorded.map((r) => [key(r), r]));
  const want = new Map(desired.map((d) => [key(d), d]));
  return {
    added: [...want].filter(([k]) => !have.has(k)).map(([, v]) => v),
    removed: [...have].filter(([k]) => !want.has(k)).map(([, v]) => v),
  };
}

/** A component changes when its ref, buildorder or rationale changes: close the old row, open a new one. */
export function componentKey(c: ComponentEntry): string {
  return `${c.name} ${c.ref ?? ''} ${c.buildorder} ${c.rationale ?? ''}`;
}
