// A module index (many builds of many streams) as one definition per name:stream: the latest
// version's builds, with the union of their contexts' relationships and components.
import { compareModuleVersions, type ModuleStreamV2 } from '../modulemd';
import { componentKey, edgeKey, moduleDefinitionFromStream, type ModuleDefinition } from './module-definition';

export interface IndexedDefinition {
  definition: ModuleDefinition;
  version: string | null;
  context: string | null;
}

export function definitionsFromIndex(streams: ModuleStreamV2[]): IndexedDefinition[] {
  const latest = new Map<string, ModuleStreamV2[]>();
  for (const s of streams) {
    if (!s.name || !s.stream) continue;
    const key = `${s.name}:${s.stream}`;
    const current = latest.get(key);
    const order =
      current?.[0]?.version && s.version ? compareModuleVersions(s.version, current[0].version) : current ? 0 : 1;
    if (!current || order > 0) latest.set(key, [s]);
    else if (order === 0) current.push(s);
  }
  return [...latest.values()].map((builds) => {
    const [first] = builds as [ModuleStreamV2, ...ModuleStreamV2[]];
    const definitions = builds.map((b) => moduleDefinitionFromStream(b, first.name!, first.stream!));
    const merged = definitions[0]!;
    for (const d of definitions.slice(1)) {
      const edges = new Map([...merged.edges, ...d.edges].map((e) => [edgeKey(e), e]));
      const components = new Map([...merged.components, ...d.components].map((c) => [componentKey(c), c]));
      merged.edges = [...edges.values()];
      merged.components = [...components.values()];
      if (merged.release !== d.release) merged.release = null;
    }
    return {
      definition: merged,
      version: first.version ?? null,
      context: builds.length === 1 ? (first.context ?? null) : null,
    };
  });
}
