// In-process benchmark of the metadata service's dependency index on a synthetic, Fedora-sized
// distribution. `tsx bench/deps-index.ts` prints a table; `node --expose-gc --import tsx
// bench/deps-index.ts` adds exact heap figures. The generator is exported for the HTTP benchmark.

import { performance } from 'node:perf_hooks';
import { DependencyIndex, type RelationFilter } from '../domain/dependencies';
import { seededRandom } from '../domain/seeded-random';

export interface DistributionSizes {
  moduleStreams: number;
  components: number;
  edges: number;
  /** platform:f29 plus the base modules nearly everything buildrequires. */
  hubs: number;
}

export interface SyntheticModule {
  node: string;
  buildrequires: string[];
  requires: string[];
  components: string[];
}

export interface SyntheticDistribution {
  /** In generation order: a module only depends on modules before it, so the graph is acyclic. */
  modules: SyntheticModule[];
  edgeCount: number;
  componentCount: number;
}

const FEDORA_SIZES: DistributionSizes = { moduleStreams: 3_000, components: 25_000, edges: 100_000, hubs: 10 };
const BASE_MODULES = ['platform:f29', 'bootstrap:master', 'perl:5.26', 'python36:3.6', 'nodejs:10', 'ruby:2.5'];
const STREAMS = ['master', '1.10', '1.1', '2', '3.6', 'f29', 'rolling', 'stable'];

export { seededRandom };

export function generateSyntheticDistribution(
  seed: number,
  sizes: Partial<DistributionSizes> = {},
): SyntheticDistribution {
  const size = { ...FEDORA_SIZES, ...sizes };
  const random = seededRandom(seed);
  const below = (limit: number) => Math.floor(random() * limit);
  const modules: SyntheticModule[] = Array.from({ length: size.moduleStreams }, (_, i) => ({
    node: BASE_MODULES[i] ?? (i < size.hubs ? `base${i}:master` : `mod${i}:${STREAMS[below(STREAMS.length)]}`),
    buildrequires: [],
    requires: [],
    components: [],
  }));
  const declared = modules.map(() => ({ buildrequires: new Set<number>(), requires: new Set<number>() }));
  let edgeCount = 0;
  const link = (from: number, to: number, relation: 'buildrequires' | 'requires') => {
    const targets = declared[from]?.[relation];
    if (!targets || targets.has(to) || edgeCount >= size.edges) return;
    targets.add(to);
    edgeCount += 1;
  };
  // Every module builds on and runs on the platform; the base modules are wanted by many, less so
  // the further down the list: that gives the few thousand-dependent hubs of a real distribution.
  for (let i = 1; i < modules.length; i += 1) {
    link(i, 0, 'buildrequires');
    link(i, 0, 'requires');
    for (let hub = 1; hub < Math.min(size.hubs, i); hub += 1) if (random() < 0.7 / hub) link(i, hub, 'buildrequires');
  }
  // The rest is preferential: u^3 pulls targets towards early (older, more basic) modules.
  let attempts = 0;
  while (edgeCount < size.edges && attempts < size.edges * 20) {
    attempts += 1;
    const from = 2 + below(modules.length - 2);
    const to = Math.floor(from * random() ** 3);
    link(from, to, random() < 0.6 ? 'buildrequires' : 'requires');
  }
  modules.forEach((module, i) => {
    module.buildrequires = [...(declared[i]?.buildrequires ?? [])].map((t) => modules[t]?.node ?? '');
    module.requires = [...(declared[i]?.requires ?? [])].map((t) => modules[t]?.node ?? '');
  });
  // Components: base modules are the big ones; some RPMs ship in two streams (perl in 5.24 and 5.26).
  for (let c = 0; c < size.components; c += 1) {
    const name = `rpm-${c.toString().padStart(5, '0')}`;
    const holder = 1 + Math.floor((modules.length - 1) * random() ** 2);
    modules[holder]?.components.push(name);
    if (random() < 0.15) modules[1 + below(modules.length - 1)]?.components.push(name);
  }
  return { modules, edgeCount, componentCount: size.components };
}

export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface DependencyIndexBenchOptions {
  seed?: number;
  sizes?: Partial<DistributionSizes>;
  sampleSize?: number;
  relation?: RelationFilter;
}

export interface DependencyIndexBenchReport {
  modules: number;
  edges: number;
  components: number;
  buildMs: number;
  /** undefined unless the process runs with --expose-gc (a heap figure without gc is noise). */
  indexHeapBytes?: number;
  heapAfterQueriesBytes: number;
  gcExposed: boolean;
  cache: { entries: number; members: number };
  latency: Record<'dependentsCold' | 'dependentsWarm' | 'tiersCold' | 'tiersWarm' | 'update', LatencySummary>;
  hub: { node: string; dependents: number; tiers: number; dependentsColdMs: number; tiersColdMs: number };
}

export function loadDistribution(index: DependencyIndex, distribution: SyntheticDistribution): void {
  for (const module of distribution.modules) {
    index.setModuleDependencies(module.node, module);
    index.setModuleComponents(module.node, module.components);
  }
}

export async function runDependencyIndexBench(
  options: DependencyIndexBenchOptions = {},
): Promise<DependencyIndexBenchReport> {
  const seed = options.seed ?? 29;
  const relation = options.relation ?? 'all';
  const distribution = generateSyntheticDistribution(seed, options.sizes);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const buildStart = performance.now();
  const index = new DependencyIndex();
  loadDistribution(index, distribution);
  const buildMs = performance.now() - buildStart;
  gc?.();
  const indexHeapBytes = gc ? process.memoryUsage().heapUsed - heapBefore : undefined;

  const samples = sampleNodes(distribution, options.sampleSize ?? 1_000, seed + 1);
  const timings = { dependentsCold: [], dependentsWarm: [], tiersCold: [], tiersWarm: [], update: [] } as Record<
    keyof DependencyIndexBenchReport['latency'],
    number[]
  >;
  const time = (into: number[], run: () => unknown) => {
    const start = performance.now();
    run();
    into.push(performance.now() - start);
  };
  for (const { node, laterNode } of samples) {
    // Cold means "first query after a change that can alter the answer": toggling an edge from a
    // later module to this one invalidates exactly such answers (and the update is timed too).
    const toggle = () => toggleBuildrequire(index, laterNode, node);
    if (laterNode) time(timings.update, toggle);
    else index.clearCachedAnswers();
    time(timings.dependentsCold, () => index.dependents(node, { relation, transitive: true }));
    time(timings.dependentsWarm, () => index.dependents(node, { relation, transitive: true }));
    time(timings.tiersCold, () => index.tiers(node, relation));
    time(timings.tiersWarm, () => index.tiers(node, relation));
    if (laterNode) time(timings.update, toggle);
  }
  // The hub last: by now the JIT and the sorted-dependents memos are warm, as in a running service.
  index.clearCachedAnswers();
  const hub = distribution.modules[0]?.node ?? '';
  const hubDependentsStart = performance.now();
  const hubDependents = index.dependents(hub, { relation, transitive: true }).length;
  const dependentsColdMs = performance.now() - hubDependentsStart;
  const hubTiersStart = performance.now();
  const hubTiers = index.tiers(hub, relation).tiers.length;
  const tiersColdMs = performance.now() - hubTiersStart;

  // Heap with a warm cache: every sampled node's answers held at once.
  for (const { node } of samples) {
    index.dependents(node, { relation, transitive: true });
    index.tiers(node, relation);
  }
  gc?.();
  const latency = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, summarize(v)]));
  return {
    modules: distribution.modules.length,
    edges: distribution.edgeCount,
    components: distribution.componentCount,
    buildMs,
    indexHeapBytes,
    heapAfterQueriesBytes: process.memoryUsage().heapUsed,
    gcExposed: gc !== undefined,
    cache: index.cacheStats,
    latency: latency as DependencyIndexBenchReport['latency'],
    hub: { node: hub, dependents: hubDependents, tiers: hubTiers, dependentsColdMs, tiersColdMs },
  };
}

function sampleNodes(distribution: SyntheticDistribution, count: number, seed: number) {
  const random = seededRandom(seed);
  const n = distribution.modules.length;
  return Array.from({ length: count }, () => {
    const i = Math.floor(random() * n);
    // A later module keeps the toggled edge acyclic (edges run from later to earlier modules).
    const later = i + 1 < n ? i + 1 + Math.floor(random() * (n - i - 1)) : undefined;
    return {
      node: distribution.modules[i]?.node ?? '',
      laterNode: later === undefined ? undefined : distribution.modules[later]?.node,
    };
  });
}

function toggleBuildrequire(index: DependencyIndex, from: string | undefined, to: string): void {
  if (!from) return;
  const current = index.dependenciesOf(from);
  const buildrequires = current.buildrequires.includes(to)
    ? current.buildrequires.filter((d) => d !== to)
    : [...current.buildrequires, to];
  index.setModuleDependencies(from, { buildrequires, requires: current.requires });
}

function summarize(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? 0 };
}

export function formatReport(report: DependencyIndexBenchReport): string {
  const ms = (v: number) => (v < 1 ? `${(v * 1000).toFixed(1)} µs` : `${v.toFixed(2)} ms`);
  const mb = (v: number) => `${(v / 1024 / 1024).toFixed(1)} MB`;
  const rows: Array<[string, string]> = [
    ['graph', `${report.modules} module streams, ${report.edges} edges, ${report.components} components`],
    ['index build', ms(report.buildMs)],
    ['index heap', report.indexHeapBytes === undefined ? 'n/a (run with node --expose-gc)' : mb(report.indexHeapBytes)],
    [
      `process heap after queries${report.gcExposed ? '' : ' (no gc)'}`,
      `${mb(report.heapAfterQueriesBytes)}, cache: ${report.cache.entries} nodes, ${report.cache.members} members`,
    ],
    [`${report.hub.node} dependents (cold)`, `${report.hub.dependents} members in ${ms(report.hub.dependentsColdMs)}`],
    [`${report.hub.node} tiers (cold)`, `${report.hub.tiers} tiers in ${ms(report.hub.tiersColdMs)}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  lines.push(
    '',
    `${'query (1,000 random nodes)'.padEnd(30)}${'p50'.padStart(12)}${'p99'.padStart(12)}${'max'.padStart(12)}`,
  );
  for (const [name, s] of Object.entries(report.latency)) {
    lines.push(`${name.padEnd(30)}${ms(s.p50Ms).padStart(12)}${ms(s.p99Ms).padStart(12)}${ms(s.maxMs).padStart(12)}`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  runDependencyIndexBench().then(
    (report) => console.log(formatReport(report)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
