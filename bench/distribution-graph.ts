// A distribution-shaped dependency graph, seeded, as a modulemd index `cascade import index` reads:
// shaped like Debian's package graph (63,000 packages, 264,000 edges, libc6 reaching ~49,000
// packages transitively in ~35 tiers, zlib ~39,000): a few hubs whose closures cover most of the
// distribution, chains deep enough for 30+ tiers, dependency cycles, and a long tail of streams
// nothing (or almost nothing) depends on. Benches and tests import it; nothing in the product does.
//
// How the shape is held: each stream draws the set of hubs it reaches (its "mask", closed under the
// hubs' own dependencies) and depends only on streams whose mask is a subset of its own, with at
// least one dependency carrying each of its hubs. So a hub's transitive dependents are exactly the
// streams whose mask holds it, and the closure sizes follow the drawn fractions whatever the seed.
// Depth comes from levels: a stream of level L depends on one of level L-1 (its chain parent).
import { seededRandom } from '../domain/seeded-random';

export interface DistributionGraphOptions {
  /** Module streams in the index, hubs included (60,000 is Debian-sized). */
  streams: number;
  seed?: number;
}

export interface DistributionStream {
  name: string;
  stream: string;
  /** "name:stream" of the streams this one buildrequires. */
  buildrequires: string[];
  requires: string[];
  components: string[];
}

export interface HubSummary {
  node: string;
  /** Streams that depend on the hub transitively (the hub not counted). */
  closure: number;
  /** Rebuild tiers of a change to the hub: tier 0 is the hub (and its cycle mates). */
  tiers: number;
}

export interface DistributionGraphSummary {
  streams: number;
  /** Relationship rows: one per buildrequires and one per requires. */
  edges: number;
  /** Every hub, largest closure first. */
  hubs: HubSummary[];
  /** Dependency cycles built in (pairs and triangles, plus perl and perl-modules). */
  cycles: number;
  /** Streams nothing depends on. */
  leaves: number;
  /** Streams that depend on nothing. */
  roots: number;
}

export interface DistributionGraph {
  /** Multi-document modulemd v2 YAML. */
  text: string;
  streams: DistributionStream[];
  summary: DistributionGraphSummary;
}

interface HubSpec {
  node: string;
  /** The hubs it depends on itself (by index), closing the masks of its dependents. */
  needs: number[];
  /** Probability that a stream reaching glibc reaches this hub (before closing the mask). */
  share: number;
  /** Hubs that share one bit: a cycle (perl and perl-modules). */
  bit: number;
}

// Fractions tuned so that glibc reaches ~80% of the streams, gcc-libs ~70% and zlib ~64%.
const HUBS: HubSpec[] = [
  { node: 'glibc:2.36', needs: [], share: 1, bit: 0 },
  { node: 'gcc-libs:12', needs: [0], share: 0.8, bit: 1 },
  { node: 'zlib:1.2', needs: [0], share: 0.62, bit: 2 },
  { node: 'openssl:3.0', needs: [0, 2], share: 0.22, bit: 3 },
  { node: 'perl:5.36', needs: [0, 2], share: 0.14, bit: 4 },
  { node: 'perl-modules:5.36', needs: [4], share: 0, bit: 4 },
  { node: 'python3:3.11', needs: [0, 1, 2, 3], share: 0.2, bit: 5 },
  { node: 'glib2:2.74', needs: [0, 1, 2], share: 0.16, bit: 6 },
  { node: 'systemd:252', needs: [0, 1, 2, 3], share: 0.06, bit: 7 },
  { node: 'qt5:5.15', needs: [0, 1, 2, 6], share: 0.04, bit: 8 },
];
const REACHES_GLIBC = 0.8;
const LEVELS = 40;
const STREAM_NAMES = ['1', '2', '3.0', 'stable', 'main', 'latest'];
const LICENSES = ['MIT', 'GPLv2+', 'LGPLv2+', 'ASL 2.0', 'BSD'];

type Relation = 'buildrequires' | 'requires';

/** Candidate pools: streams by mask, in generation order (earlier = more basic = more wanted). */
class MaskPools {
  private readonly byMask = new Map<number, number[]>();
  /** Matching lists per (allowed, needBit): the set of masks seldom grows, the lists do. */
  private readonly matching = new Map<number, number[][]>();

  add(mask: number, id: number): void {
    const list = this.byMask.get(mask);
    if (list) return void list.push(id);
    this.byMask.set(mask, [id]);
    this.matching.clear();
  }

  /** A stream whose mask is within `allowed` and holds `needBit` (when given); skew > 1 favours early ones. */
  pick(allowed: number, needBit: number, skew: number, random: () => number): number | undefined {
    const lists = this.listsFor(allowed, needBit);
    let total = 0;
    for (const list of lists) total += list.length;
    if (total === 0) return undefined;
    let at = Math.floor(random() * total);
    for (const list of lists) {
      if (at < list.length) return list[Math.floor(list.length * random() ** skew)];
      at -= list.length;
    }
    return undefined;
  }

  private listsFor(allowed: number, needBit: number): number[][] {
    const key = allowed * 32 + needBit + 1;
    const known = this.matching.get(key);
    if (known) return known;
    const lists: number[][] = [];
    for (const [mask, list] of this.byMask) {
      if ((mask & ~allowed) !== 0 || (needBit >= 0 && (mask & (1 << needBit)) === 0)) continue;
      lists.push(list);
    }
    this.matching.set(key, lists);
    return lists;
  }
}

export function generateDistributionGraph(options: DistributionGraphOptions): DistributionGraph {
  const random = seededRandom(options.seed ?? 15);
  const count = Math.max(options.streams, HUBS.length + 1);
  const nodes: string[] = [];
  const masks: number[] = [];
  const deps: Map<number, Relation[]>[] = [];
  const hubMask = closedHubMasks();

  HUBS.forEach((hub, i) => {
    nodes.push(hub.node);
    masks.push(hubMask[i]!);
    deps.push(new Map(hub.needs.map((h) => [h, ['buildrequires', 'requires']])));
  });
  // perl <-> perl-modules: the classic cycle (each requires the other).
  deps[4]!.set(5, ['requires']);

  const levelOf = drawLevels(count - HUBS.length, random);
  const all = new MaskPools();
  const byLevel: MaskPools[] = Array.from({ length: LEVELS + 1 }, () => new MaskPools());
  HUBS.forEach((_, i) => {
    all.add(masks[i]!, i);
    byLevel[0]!.add(masks[i]!, i);
  });
  const hubOfBit = (bit: number) => HUBS.findIndex((h) => h.bit === bit && h.share > 0);

  for (const level of levelOf) {
    const id = nodes.length;
    const mask = drawMask(random, hubMask);
    const own = new Map<number, Relation[]>();
    const relation = (): Relation[] => {
      const r = random();
      if (r < 0.6) return ['buildrequires'];
      return r < 0.78 ? ['requires'] : ['buildrequires', 'requires'];
    };
    let carried = 0;
    const take = (target: number | undefined) => {
      if (target === undefined || target === id || own.has(target)) return;
      own.set(target, relation());
      carried |= masks[target]!;
    };
    // The chain parent gives depth; then a carrier for each hub not yet reached; then extras.
    take(byLevel[level - 1]!.pick(mask, chainBit(mask), 1, random));
    for (let bit = 0; bit < 16; bit += 1) {
      if ((mask & (1 << bit)) === 0 || (carried & (1 << bit)) !== 0) continue;
      if (random() < 0.45) {
        const hub = hubOfBit(bit);
        take(hub);
        carried |= 1 << bit;
      } else take(all.pick(mask, bit, 2, random) ?? hubOfBit(bit));
    }
    const extras = mask === 0 ? (random() < 0.3 ? 1 : 0) : Math.floor(-Math.log(1 - random()) * 2.9);
    for (let e = 0; e < extras; e += 1) take(all.pick(mask, -1, 3, random));
    nodes.push(`${nameOf(id, level, mask)}:${STREAM_NAMES[Math.floor(random() * STREAM_NAMES.length)]}`);
    masks.push(mask);
    deps.push(own);
    all.add(mask, id);
    byLevel[level]!.add(mask, id);
  }
  const cycles = 1 + addCycles(deps, masks, random);
  const streams = toStreams(nodes, deps, random);
  return { text: modulemdIndex(streams, random), streams, summary: summarize(nodes, deps, cycles) };
}

/** The chain parent carries the biggest hub the stream reaches, so that hub's tiers run deep. */
function chainBit(mask: number): number {
  for (const hub of [2, 1, 0]) if ((mask & (1 << HUBS[hub]!.bit)) !== 0) return HUBS[hub]!.bit;
  return -1;
}

/** Each hub's mask: its own bit and those of every hub it needs, transitively. */
function closedHubMasks(): number[] {
  const masks: number[] = [];
  for (const hub of HUBS) {
    let mask = 1 << hub.bit;
    for (const need of hub.needs) mask |= masks[need] ?? 0;
    masks.push(mask);
  }
  return masks;
}

function drawMask(random: () => number, hubMask: number[]): number {
  if (random() >= REACHES_GLIBC) return 0;
  let mask = 1 << HUBS[0]!.bit;
  HUBS.forEach((hub, i) => {
    if (i > 0 && random() < hub.share) mask |= hubMask[i]!;
  });
  return mask;
}

/** Levels 1..LEVELS, most streams in the lower third, a thin tail up to the top; sorted ascending. */
function drawLevels(count: number, random: () => number): number[] {
  const levels = Array.from({ length: count }, () => 1 + Math.floor((LEVELS - 1) * random() ** 1.8));
  // Every level holds a few streams so that the chains run the whole height.
  for (let level = 1; level <= LEVELS && level <= count; level += 1) levels[level - 1] = level;
  return levels.sort((a, b) => a - b);
}

function nameOf(id: number, level: number, mask: number): string {
  if (mask === 0) return `data${id}`;
  return level < 12 ? `lib${id}` : `app${id}`;
}

/** Pairs and triangles among streams of equal mask (closures stay as drawn); returns how many. */
function addCycles(deps: Map<number, Relation[]>[], masks: number[], random: () => number): number {
  let cycles = 0;
  const wanted = Math.max(4, Math.floor(deps.length / 400));
  for (let tries = 0; cycles < wanted && tries < wanted * 50; tries += 1) {
    const from = HUBS.length + Math.floor(random() * (deps.length - HUBS.length));
    const to = [...deps[from]!.keys()].find((t) => t >= HUBS.length && masks[t] === masks[from]);
    if (to === undefined || deps[to]!.has(from)) continue;
    const third = [...deps[to]!.keys()].find((t) => t >= HUBS.length && masks[t] === masks[from] && t !== from);
    if (third !== undefined && random() < 0.3 && !deps[third]!.has(from)) deps[third]!.set(from, ['requires']);
    else deps[to]!.set(from, ['requires']);
    cycles += 1;
  }
  return cycles;
}

function toStreams(nodes: string[], deps: Map<number, Relation[]>[], random: () => number): DistributionStream[] {
  return nodes.map((node, id) => {
    const colon = node.indexOf(':');
    const name = node.slice(0, colon);
    const stream: DistributionStream = {
      name,
      stream: node.slice(colon + 1),
      buildrequires: [],
      requires: [],
      components: random() < 0.1 ? [name, `${name}-data`] : [name],
    };
    for (const [target, relations] of deps[id]!) for (const r of relations) stream[r].push(nodes[target]!);
    return stream;
  });
}

function summarize(nodes: string[], deps: Map<number, Relation[]>[], cycles: number): DistributionGraphSummary {
  const dependents: number[][] = nodes.map(() => []);
  let edges = 0;
  deps.forEach((own, from) => {
    for (const [target, relations] of own) {
      dependents[target]!.push(from);
      edges += relations.length;
    }
  });
  const hubs = HUBS.map((hub, id) => ({ node: hub.node, ...closureAndTiers(id, dependents, deps) })).sort(
    (a, b) => b.closure - a.closure,
  );
  return {
    streams: nodes.length,
    edges,
    hubs,
    cycles,
    leaves: dependents.filter((d) => d.length === 0).length,
    roots: deps.filter((d) => d.size === 0).length,
  };
}

/**
 * Closure size and tier count of one hub, computed independently of the product's index (so a
 * bench or test can hold one against the other): tiers are longest paths over the closure with
 * each cycle condensed, as Kahn's algorithm over strongly connected components.
 */
function closureAndTiers(root: number, dependents: number[][], deps: Map<number, Relation[]>[]) {
  const inside = new Uint8Array(dependents.length);
  const queue = [root];
  inside[root] = 1;
  for (let head = 0; head < queue.length; head += 1) {
    for (const d of dependents[queue[head]!]!) {
      if (inside[d]) continue;
      inside[d] = 1;
      queue.push(d);
    }
  }
  const component = stronglyConnected(queue, dependents, inside);
  const tierOf = new Map<number, number>();
  let tiers = 0;
  // Components come out of Tarjan dependents-first; walking them backwards visits dependencies first.
  for (let c = component.order.length - 1; c >= 0; c -= 1) {
    let tier = 0;
    for (const member of component.order[c]!) {
      for (const target of deps[member]!.keys()) {
        if (!inside[target] || component.of.get(target) === c) continue;
        tier = Math.max(tier, (tierOf.get(component.of.get(target)!) ?? 0) + 1);
      }
    }
    tierOf.set(c, tier);
    tiers = Math.max(tiers, tier + 1);
  }
  return { closure: queue.length - 1, tiers };
}

function stronglyConnected(nodes: number[], dependents: number[][], inside: Uint8Array) {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const of = new Map<number, number>();
  const order: number[][] = [];
  let counter = 0;
  for (const start of nodes) {
    if (index.has(start)) continue;
    const frames: [number, number][] = [[start, 0]];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [v, i] = frame;
      const next = dependents[v]!;
      if (i < next.length) {
        frame[1] = i + 1;
        const w = next[i]!;
        if (!inside[w]) continue;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          frames.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(v)!));
      if (low.get(v) !== index.get(v)) continue;
      const members: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        of.set(w, order.length);
        members.push(w);
      } while (w !== v);
      order.push(members);
    }
  }
  return { of, order };
}

const quote = (s: string) => JSON.stringify(s);

function requirementBlock(targets: string[]): string {
  let out = '';
  for (const target of targets) {
    const colon = target.indexOf(':');
    out += `      ${target.slice(0, colon)}: [${quote(target.slice(colon + 1))}]\n`;
  }
  return out;
}

function modulemdIndex(streams: DistributionStream[], random: () => number): string {
  const chunks: string[] = [];
  streams.forEach((s, i) => {
    let doc =
      `---\ndocument: modulemd\nversion: 2\ndata:\n  name: ${s.name}\n  stream: ${quote(s.stream)}\n` +
      `  version: ${20230610000000 + i}\n  context: "${(Math.floor(random() * 0xffffffff) >>> 0).toString(16).padStart(8, '0')}"\n` +
      `  summary: ${s.name} from the generated distribution\n  description: >-\n` +
      `    Stream ${s.stream} of ${s.name}, generated for distribution-scale benches.\n` +
      `  license:\n    module:\n    - ${LICENSES[i % LICENSES.length]}\n`;
    if (s.buildrequires.length + s.requires.length > 0) {
      doc += '  dependencies:\n';
      let first = true;
      const entry = (key: Relation, targets: string[]) => {
        if (targets.length === 0) return;
        doc += `  ${first ? '-' : ' '} ${key}:\n${requirementBlock(targets)}`;
        first = false;
      };
      entry('buildrequires', s.buildrequires);
      entry('requires', s.requires);
    }
    doc += '  components:\n    rpms:\n';
    for (const component of s.components) {
      doc += `      ${component}:\n        rationale: Part of ${s.name}.\n        ref: ${quote(`${s.stream}-${i.toString(16)}`)}\n`;
    }
    chunks.push(`${doc}...\n`);
  });
  return chunks.join('');
}
