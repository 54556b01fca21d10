// The dependency queries through the HTTP API against PostgreSQL: the synthetic Fedora-size
// distribution loaded with POST /api/v1/imports/module-streams, then dependents (and tiers) of
// 1,000 random streams, cold (first query) and warm (second), one keep-alive connection; and the
// index rebuild an API restart does.
import { performance } from 'node:perf_hooks';
import { MetadataService } from '../api/metadata/metadata-service';
import { splitModuleStreamKey as split } from '../domain/dependencies';
import { seededRandom } from '../domain/seeded-random';
import type { BenchApi } from './bench-stack';
import { generateSyntheticDistribution, type SyntheticModule } from './deps-index';
import { formatMs, formatRows, keepAliveClient, summarize, type LatencySummary } from './http-client';

const BATCH = 500;

export interface DepsHttpReport {
  streams: number;
  edges: number;
  components: number;
  loadMs: number;
  requests: number;
  firstQueryMs: number;
  latency: Record<'dependentsCold' | 'dependentsWarm' | 'tiersCold' | 'tiersWarm', LatencySummary>;
  answerBytes: LatencySummary;
  hub: { node: string; total: number; bytes: number; warmMs: number };
  rebuild: { modules: number; ms: number };
}

function importBody(module: SyntheticModule) {
  const edges = [
    ...module.buildrequires.map((to) => ({
      type: 'BUILDREQUIRES',
      toName: split(to).name,
      toStream: split(to).stream,
    })),
    ...module.requires.map((to) => ({ type: 'REQUIRES', toName: split(to).name, toStream: split(to).stream })),
  ];
  return { ...split(module.node), release: null, edges, components: module.components.map((name) => ({ name })) };
}

export async function runDepsHttpBench(api: BenchApi, seed = 29, sampleSize = 1_000): Promise<DepsHttpReport> {
  const distribution = generateSyntheticDistribution(seed);
  const client = keepAliveClient(api.url, api.token);
  try {
    const loadStart = performance.now();
    let requests = 0;
    for (let i = 0; i < distribution.modules.length; i += BATCH) {
      const streams = distribution.modules.slice(i, i + BATCH).map(importBody);
      const answer = await client.request('POST', '/api/v1/imports/module-streams', { streams });
      if (answer.status !== 200) throw new Error(`import failed: ${answer.status} ${answer.body.slice(0, 500)}`);
      requests += 1;
    }
    const loadMs = performance.now() - loadStart;

    const path = (node: string, tiers: boolean) => {
      const { name, stream } = split(node);
      return `/api/v1/modules/${encodeURIComponent(name)}/streams/${encodeURIComponent(stream)}/dependents?transitive=true&relation=all&limit=10000${tiers ? '&tiers=true' : ''}`;
    };
    const get = async (node: string, tiers: boolean) => {
      const started = performance.now();
      const answer = await client.request('GET', path(node, tiers));
      const ms = performance.now() - started;
      if (answer.status !== 200) throw new Error(`GET ${path(node, tiers)}: ${answer.status} ${answer.body}`);
      return { ms, bytes: answer.body.length, body: answer.body };
    };
    // The first read after the load applies the store's change feed (every stream changed) to the index.
    const hubNode = distribution.modules[0]!.node;
    const firstQueryMs = (await get(distribution.modules.at(-1)!.node, false)).ms;

    const random = seededRandom(seed + 1);
    const order = distribution.modules.map((m) => m.node);
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const timings = { dependentsCold: [], dependentsWarm: [], tiersCold: [], tiersWarm: [] } as Record<
      keyof DepsHttpReport['latency'],
      number[]
    >;
    const bytes: number[] = [];
    for (const node of order.slice(0, sampleSize)) {
      timings.dependentsCold.push((await get(node, false)).ms);
      const warm = await get(node, false);
      timings.dependentsWarm.push(warm.ms);
      bytes.push(warm.bytes);
      timings.tiersCold.push((await get(node, true)).ms);
      timings.tiersWarm.push((await get(node, true)).ms);
    }
    await get(hubNode, false);
    const hubAnswer = await get(hubNode, false);

    const rebuildStart = performance.now();
    const rebuilt = await new MetadataService(api.prisma).load();
    const rebuildMs = performance.now() - rebuildStart;

    return {
      streams: distribution.modules.length,
      edges: distribution.edgeCount,
      components: distribution.componentCount,
      loadMs,
      requests,
      firstQueryMs,
      latency: Object.fromEntries(
        Object.entries(timings).map(([k, v]) => [k, summarize(v)]),
      ) as DepsHttpReport['latency'],
      answerBytes: summarize(bytes),
      hub: {
        node: hubNode,
        total: (JSON.parse(hubAnswer.body) as { total: number }).total,
        bytes: hubAnswer.bytes,
        warmMs: hubAnswer.ms,
      },
      rebuild: { modules: rebuilt.modules, ms: rebuildMs },
    };
  } finally {
    client.close();
  }
}

export function formatDepsHttpReport(report: DepsHttpReport): string {
  const kb = (v: number) => `${(v / 1024).toFixed(1)} KB`;
  const lines = [
    'Through the HTTP API (PostgreSQL, API in process, one keep-alive connection)',
    ...formatRows([
      [
        'load (POST imports/module-streams)',
        `${report.streams} streams, ${report.edges} edges, ${report.components} components in ${(report.loadMs / 1000).toFixed(2)} s (${report.requests} requests of ${BATCH})`,
      ],
      ['first query after the load', `${formatMs(report.firstQueryMs)} (index catches up with the change feed)`],
      [
        'answer size (dependents, warm)',
        `p50 ${kb(report.answerBytes.p50Ms)}, p99 ${kb(report.answerBytes.p99Ms)}, max ${kb(report.answerBytes.maxMs)}`,
      ],
      [
        `${report.hub.node} dependents (warm)`,
        `${report.hub.total} members, ${kb(report.hub.bytes)} in ${formatMs(report.hub.warmMs)}`,
      ],
      [
        'index rebuild after a restart',
        `${report.rebuild.modules} modules in ${formatMs(report.rebuild.ms)} (new MetadataService(prisma).load())`,
      ],
    ]),
    '',
    `${'GET …/dependents (1,000 random)'.padEnd(34)}${'p50'.padStart(12)}${'p99'.padStart(12)}${'max'.padStart(12)}`,
  ];
  const names: Record<keyof DepsHttpReport['latency'], string> = {
    dependentsCold: 'transitive, all (cold)',
    dependentsWarm: 'transitive, all (warm)',
    tiersCold: '&tiers=true (cold)',
    tiersWarm: '&tiers=true (warm)',
  };
  for (const [key, s] of Object.entries(report.latency)) {
    lines.push(
      `${names[key as keyof typeof names].padEnd(34)}${formatMs(s.p50Ms).padStart(12)}${formatMs(s.p99Ms).padStart(12)}${formatMs(s.maxMs).padStart(12)}`,
    );
  }
  return lines.join('\n');
}
