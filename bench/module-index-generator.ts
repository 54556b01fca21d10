// A synthetic module index (multi-document modulemd v2 YAML) of any size: platform:f29 first, then
// streams of made-up modules, each building on and running on the platform and on a few earlier
// streams, with 1–15 RPM components (ref, buildorder, rationale). The YAML is written as text (the
// serializer's generic writer is several times slower at this size); bench/import-index.ts checks
// a sample of it with the real parser.
import { seededRandom } from '../domain/seeded-random';

export interface ModuleIndexStats {
  streams: number;
  moduleNames: number;
  edges: number;
  components: number;
  distinctComponents: number;
}

const STREAMS = ['master', '1.10', '1.1', '2', '3.6', 'f29', 'rolling', 'stable', '4', 'latest'];
const LICENSES = ['MIT', 'GPLv2+', 'LGPLv2+', 'ASL 2.0', 'BSD'];
const COMPONENT_POOL = 150_000;

const quote = (s: string) => JSON.stringify(s);

function requirementLines(deps: Map<string, string>): string {
  let out = '';
  for (const [name, stream] of deps) out += `      ${name}: [${quote(stream)}]\n`;
  return out;
}

/** Calls `write` with chunks of YAML text (many documents each); returns what it generated. */
export function generateModuleIndex(seed: number, count: number, write: (chunk: string) => void): ModuleIndexStats {
  const random = seededRandom(seed);
  const below = (limit: number) => Math.floor(random() * limit);
  const nodes: { name: string; stream: string }[] = [{ name: 'platform', stream: 'f29' }];
  const stats: ModuleIndexStats = { streams: 0, moduleNames: 1, edges: 0, components: 0, distinctComponents: 0 };
  const seen = new Set<number>();
  let chunk =
    '---\ndocument: modulemd\nversion: 2\ndata:\n  name: platform\n  stream: "f29"\n  version: 29\n  context: "00000000"\n' +
    '  summary: Fedora 29 traditional base\n  description: >-\n    Fedora 29 traditional base\n' +
    '  license:\n    module:\n    - MIT\n...\n';
  stats.streams = 1;
  let nameIndex = 0;
  let streamsLeftForName = 0;
  let streamsOfName: string[] = [];
  for (let i = 1; i < count; i += 1) {
    if (streamsLeftForName === 0) {
      nameIndex += 1;
      stats.moduleNames += 1;
      streamsLeftForName = 1 + below(3);
      streamsOfName = [...STREAMS].sort(() => random() - 0.5);
    }
    streamsLeftForName -= 1;
    const name = `mod${nameIndex}`;
    const stream = streamsOfName.pop() ?? `s${i}`;
    // u^3 pulls dependencies towards early (basic) streams; one stream per module name.
    const buildrequires = new Map([['platform', 'f29']]);
    const requires = new Map([['platform', 'f29']]);
    const wanted = below(7);
    for (let d = 0; d < wanted && nodes.length > 1; d += 1) {
      const target = nodes[1 + Math.floor((nodes.length - 1) * random() ** 3)]!;
      if (target.name === name || buildrequires.has(target.name)) continue;
      buildrequires.set(target.name, target.stream);
      if (random() < 0.5) requires.set(target.name, target.stream);
    }
    stats.edges += buildrequires.size + requires.size;
    nodes.push({ name, stream });
    let doc =
      `---\ndocument: modulemd\nversion: 2\ndata:\n  name: ${name}\n  stream: ${quote(stream)}\n` +
      `  version: ${2920180000000000 + i}\n  context: "${Math.floor(random() * 0xffffffff)
        .toString(16)
        .padStart(8, '0')}"\n` +
      `  summary: The ${name} module, stream ${stream}\n  description: >-\n` +
      `    A synthetic module for benchmarks: ${name} in stream ${stream}, built for Fedora 29.\n` +
      `  license:\n    module:\n    - ${LICENSES[below(LICENSES.length)]}\n` +
      `  dependencies:\n  - buildrequires:\n${requirementLines(buildrequires)}` +
      `    requires:\n${requirementLines(requires)}` +
      '  components:\n    rpms:\n';
    const componentCount = 1 + below(15);
    const used = new Set<number>();
    for (let c = 0; c < componentCount; c += 1) {
      const id = Math.floor(COMPONENT_POOL * random() ** 2);
      if (used.has(id)) continue;
      used.add(id);
      seen.add(id);
      doc +=
        `      pkg-${id}:\n        rationale: Part of ${name}.\n` +
        `        ref: ${quote(`${stream}-${(id % 4096).toString(16)}`)}\n        buildorder: ${10 * below(4)}\n`;
    }
    stats.components += used.size;
    chunk += `${doc}...\n`;
    stats.streams += 1;
    if (chunk.length > 1 << 20) {
      write(chunk);
      chunk = '';
    }
  }
  write(chunk);
  stats.distinctComponents = seen.size;
  return stats;
}
