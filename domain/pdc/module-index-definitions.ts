// A module index (many builds of many streams) as one definition per name:stream: the latest
// version's builds, with the union of their contexts' relationships and components.
import { compareModuleVersions, type ModuleStreamV2 } from '../modulemd';
import { componentKey, edgeKey, moduleDefinitionFromStream, type ModuleDefinition } from './module-definition';

export interface IndexedDefinition {
  definition: ModuleDefinition;
  version: string | null;
  context: string | null;
}

interface LatestBuilds {
  /** The first build seen of the latest version: its version and context are the stream's. */
  version: string | undefined;
  context: string | undefined;
  builds: number;
  definition: ModuleDefinition;
}

/**
 * Takes the builds one at a time and keeps only each stream's merged definition, so that reading a
 * large index does not hold every build's whole modulemd.
 */
export class ModuleIndexDefinitions {
  private readonly latest = new Map<string, LatestBuilds>();

  add(stream: ModuleStreamV2): void {
    if (!stream.name || !stream.stream) return;
    const key = `${stream.name}:${stream.stream}`;
    const current = this.latest.get(key);
    const order =
      current?.version && stream.version ? compareModuleVersions(stream.version, current.version) : current ? 0 : 1;
    if (order < 0) return;
    const definition = moduleDefinitionFromStream(stream, stream.name, stream.stream);
    if (!current || order > 0) {
      this.latest.set(key, { version: stream.version, context: stream.context, builds: 1, definition });
      return;
    }
    const merged = current.definition;
    merged.edges = [...new Map([...merged.edges, ...definition.edges].map((e) => [edgeKey(e), e])).values()];
    merged.components = [
      ...new Map([...merged.components, ...definition.components].map((c) => [componentKey(c), c])).values(),
    ];
    if (merged.release !== definition.release) merged.release = null;
    current.builds += 1;
  }

  definitions(): IndexedDefinition[] {
    return [...this.latest.values()].map((latest) => ({
      definition: latest.definition,
      version: latest.version ?? null,
      context: latest.builds === 1 ? (latest.context ?? null) : null,
    }));
  }
}

export function definitionsFromIndex(streams: ModuleStreamV2[]): IndexedDefinition[] {
  const index = new ModuleIndexDefinitions();
  for (const stream of streams) index.add(stream);
  return index.definitions();
}
