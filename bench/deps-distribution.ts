// The metadata service on a distribution-sized graph (bench/distribution-graph.ts, 60,000 streams
// by default), with the API as a process of its own, as production runs it (bench/api-process.ts):
// `cascade import index` of the generated index into a fresh database, the first answer after it,
// then over HTTP a 100-item page of transitive dependents and of tiers for the three largest hubs,
// cold (cache cleared before each, through the bench's probe in the API) and warm, beside a /healthz
// round trip measured in the same run (machines differ ~2x; the ratio travels better), and the index
// rebuild of a real restart of the API process, with its memory. CPU figures are the API process's.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MetadataFreshness, MetadataMemory } from '../api/metadata/metadata-service';
import { seededRandom } from '../domain/seeded-random';
import type { GcKind, GcPause, ProbeStats } from './api-probe';
import type { BenchApiProcess } from './bench-stack';
import { generateDistributionGraph, type DistributionGraphSummary } from './distribution-graph';
import { formatMs, formatRows, keepAliveClient, summarize, type LatencySummary } from './http-client';

const ROOT = path.resolve(__dirname, '..');
const PAGE = 100;
const WARM_REQUESTS = 300;
const COLD_ROUNDS = 15;

type Kind = 'dependents' | 'tiers';

export interface HubLatency {
  node: string;
  closure: number;
  tiers: number;
  cold: Record<Kind, LatencySummary>;
  warm: Record<Kind, LatencySummary>;
  /** CPU of the API process per request (all its threads): steadier than wall time on a busy machine. */
  coldCpu: Record<Kind, LatencySummary>;
  warmCpu: Record<Kind, LatencySummary>;
}

export interface DistributionDepsReport {
  graph: DistributionGraphSummary & { generateMs: number; bytes: number };
  importMs: number;
  importSays: string;
  firstAnswerMs: number;
  healthz: LatencySummary;
  healthzCpu: LatencySummary;
  hubs: HubLatency[];
  /** The largest hub's warm pages again, asked as browsers and fetch() ask (Accept-Encoding: gzip). */
  gzipWarm: Record<Kind, LatencySummary & { cpu: LatencySummary }>;
  /** API CPU per warm request over all warm series: the process's CPU delta / requests (trailing work too). */
  warmCpuPerRequest: number;
  rebuild: {
    /** the index load in the new process (MetadataService.load at start), wall and CPU */
    ms: number;
    cpuMs: number;
    /** heap used after a full collection, after the load minus before it */
    heapBytes?: number;
    memory: MetadataMemory;
    /** from spawning the new process to its first /healthz 200 (tsx's compile, connections, the load) */
    readyMs: number;
    /** the new process's resident memory after the load, and after serving the first page */
    rssBytes: number;
    firstPageMs: number;
  };
  served: MetadataMemory;
  /** resident memory of the API process after serving every page */
  servedRssBytes: number;
  /** Looks at the change feed while serving the pages, against the questions asked. */
  freshness: MetadataFreshness & { questions: number };
  /** Garbage-collection pauses of the API process during the warm requests. */
  warmGc: LatencySummary & { count: number; kinds: Partial<Record<GcKind | 'other', number>> };
}

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const pagePath = (node: string, kind: Kind, offset: number) => {
  const colon = node.indexOf(':');
  const [name, stream] = [node.slice(0, colon), node.slice(colon + 1)];
  return (
    `/api/v1/modules/${encodeURIComponent(name)}/streams/${encodeURIComponent(stream)}/dependents` +
    `?transitive=true&limit=${PAGE}${kind === 'tiers' ? '&tiers=true' : ''}${offset ? `&cursor=${offset}` : ''}`
  );
};

export async function runDistributionDepsBench(
  api: BenchApiProcess,
  streams = 60_000,
  seed = 15,
): Promise<DistributionDepsReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-bench-distribution-'));
  const client = keepAliveClient(api.url);
  try {
    const generateStart = performance.now();
    const generated = generateDistributionGraph({ streams, seed });
    const generateMs = performance.now() - generateStart;
    const file = path.join(dir, 'distribution.yaml');
    fs.writeFileSync(file, generated.text);

    const importStart = performance.now();
    const cli = await run(path.join(ROOT, 'bin', 'cascade'), [
      '--url',
      api.url,
      '--token',
      api.token,
      'import',
      'index',
      file,
    ]);
    const importMs = performance.now() - importStart;
    if (cli.code !== 0) throw new Error(`cascade import index failed (${cli.code}):\n${cli.stdout}\n${cli.stderr}`);

    // The API's CPU is read from /proc outside the timed window (a few files: ~0.1 ms of this process).
    const time = async (pathname: string) => {
      const cpu = api.process.cpuMs();
      const started = performance.now();
      const answer = await client.request('GET', pathname);
      const ms = performance.now() - started;
      const cpuMs = api.process.cpuMs() - cpu;
      if (answer.status !== 200) throw new Error(`GET ${pathname}: ${answer.status} ${answer.body.slice(0, 300)}`);
      return { ms, cpuMs, body: answer.body };
    };
    const stats = () => api.process.probe<ProbeStats>('stats');
    const biggest = generated.summary.hubs.slice(0, 3);
    const first = await time(pagePath(biggest[0]!.node, 'dependents', 0));
    const total = (JSON.parse(first.body) as { total: number }).total;
    if (total !== biggest[0]!.closure)
      throw new Error(`${biggest[0]!.node}: ${total} dependents, generated ${biggest[0]!.closure}`);

    const healthz: number[] = [];
    const healthzCpu: number[] = [];
    for (let i = 0; i < WARM_REQUESTS; i += 1) {
      const answer = await time('/healthz');
      healthz.push(answer.ms);
      healthzCpu.push(answer.cpuMs);
    }

    const random = seededRandom(seed + 1);
    const hubs: HubLatency[] = [];
    const lookedBefore = (await stats()).freshness.probes;
    let questions = 0;
    const gcPauses: GcPause[] = [];
    let warmCpuTotal = 0;
    let warmRequests = 0;
    for (const hub of biggest) {
      const samples = () => ({ dependents: [] as number[], tiers: [] as number[] });
      const [cold, warm, coldCpu, warmCpu] = [samples(), samples(), samples(), samples()];
      for (const kind of ['dependents', 'tiers'] as const) {
        for (let round = 0; round < COLD_ROUNDS; round += 1) {
          await api.process.probe('clear');
          questions += 1;
          const answer = await time(pagePath(hub.node, kind, 0));
          cold[kind].push(answer.ms);
          coldCpu[kind].push(answer.cpuMs);
        }
        await api.process.probe('gc-start');
        const warmCpuBefore = api.process.cpuMs();
        for (let i = 0; i < WARM_REQUESTS; i += 1) {
          const offset = i === 0 ? 0 : PAGE * Math.floor((random() * hub.closure) / PAGE);
          questions += 1;
          const answer = await time(pagePath(hub.node, kind, offset));
          warm[kind].push(answer.ms);
          warmCpu[kind].push(answer.cpuMs);
        }
        warmCpuTotal += api.process.cpuMs() - warmCpuBefore;
        warmRequests += WARM_REQUESTS;
        gcPauses.push(...(await api.process.probe<{ pauses: GcPause[] }>('gc-stop')).pauses);
      }
      questions += 1;
      const tiers = await time(pagePath(hub.node, 'tiers', PAGE * Math.floor((hub.closure - 1) / PAGE)));
      const lastTier = (JSON.parse(tiers.body) as { items: { tier: number }[] }).items.at(-1)?.tier ?? -1;
      if (lastTier + 1 !== hub.tiers)
        throw new Error(`${hub.node}: ${lastTier + 1} tiers served, ${hub.tiers} generated`);
      hubs.push({
        ...hub,
        cold: { dependents: summarize(cold.dependents), tiers: summarize(cold.tiers) },
        warm: { dependents: summarize(warm.dependents), tiers: summarize(warm.tiers) },
        coldCpu: { dependents: summarize(coldCpu.dependents), tiers: summarize(coldCpu.tiers) },
        warmCpu: { dependents: summarize(warmCpu.dependents), tiers: summarize(warmCpu.tiers) },
      });
    }
    const gzipWarm = await gzipSeries(api, biggest[0]!, seededRandom(seed + 2));
    const served = await stats();
    const servedRssBytes = api.process.rssBytes();

    // A restart of the API process: the new one reads the graph from the store at its start.
    client.close();
    const restarted = await api.restart();
    const load = (await restarted.probe<ProbeStats>('stats')).loads[0];
    if (!load) throw new Error('the restarted API did not load its index through MetadataService.load');
    const rssBytes = restarted.rssBytes();
    const again = keepAliveClient(restarted.url);
    const firstPageStart = performance.now();
    const firstPage = await again.request('GET', pagePath(biggest[0]!.node, 'dependents', 0));
    const firstPageMs = performance.now() - firstPageStart;
    again.close();
    if (firstPage.status !== 200) throw new Error(`after the restart: ${firstPage.status} ${firstPage.body}`);

    return {
      graph: { ...generated.summary, generateMs, bytes: generated.text.length },
      importMs,
      importSays: cli.stdout.trim().split('\n').at(-1) ?? '',
      firstAnswerMs: first.ms,
      healthz: summarize(healthz),
      healthzCpu: summarize(healthzCpu),
      hubs,
      gzipWarm,
      warmCpuPerRequest: warmCpuTotal / warmRequests,
      rebuild: {
        ms: load.ms,
        cpuMs: load.cpuMs,
        heapBytes:
          load.heapAfter === undefined || load.heapBefore === undefined ? undefined : load.heapAfter - load.heapBefore,
        memory: load.memory,
        readyMs: restarted.readyMs,
        rssBytes,
        firstPageMs,
      },
      served: served.memory,
      servedRssBytes,
      freshness: { ...served.freshness, probes: served.freshness.probes - lookedBefore, questions },
      warmGc: {
        ...summarize(gcPauses.length ? gcPauses.map((p) => p.ms) : [0]),
        count: gcPauses.length,
        kinds: gcPauses.reduce<Partial<Record<GcKind | 'other', number>>>(
          (counts, p) => ({ ...counts, [p.kind]: (counts[p.kind] ?? 0) + 1 }),
          {},
        ),
      },
    };
  } finally {
    client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Warm pages of `hub` with Accept-Encoding: gzip. */
async function gzipSeries(api: BenchApiProcess, hub: { node: string; closure: number }, random: () => number) {
  const client = keepAliveClient(api.url, undefined, { gzip: true });
  try {
    const series = async (kind: Kind) => {
      const [wall, cpu] = [[] as number[], [] as number[]];
      // The cache held the last hub's closure: the first page resolves this one's again, untimed.
      await client.request('GET', pagePath(hub.node, kind, 0));
      for (let i = 0; i < WARM_REQUESTS; i += 1) {
        const offset = PAGE * Math.floor((random() * hub.closure) / PAGE);
        const before = api.process.cpuMs();
        const started = performance.now();
        const answer = await client.request('GET', pagePath(hub.node, kind, offset));
        wall.push(performance.now() - started);
        cpu.push(api.process.cpuMs() - before);
        if (answer.status !== 200) throw new Error(`gzip page of ${hub.node}: ${answer.status}`);
      }
      return { ...summarize(wall), cpu: summarize(cpu) };
    };
    return { dependents: await series('dependents'), tiers: await series('tiers') };
  } finally {
    client.close();
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatDistributionDepsReport(r: DistributionDepsReport): string {
  const ratio = (ms: number) => `${(ms / r.healthz.p50Ms).toFixed(1)}x`;
  const aim = (ms: number, limit: number) => (ms <= limit ? 'met' : 'NOT met');
  const lines = [
    `Distribution-sized graph through the HTTP API (PostgreSQL; the API its own process, workers/api.ts; one keep-alive connection)`,
    ...formatRows([
      [
        'generated graph',
        `${r.graph.streams} streams, ${r.graph.edges} relationships, ${r.graph.cycles} cycles, ${r.graph.leaves} streams nothing depends on; ` +
          `${mb(r.graph.bytes)} of modulemd in ${s(r.graph.generateMs)}`,
      ],
      [
        'largest hubs',
        r.graph.hubs
          .slice(0, 3)
          .map((h) => `${h.node} ${h.closure} in ${h.tiers} tiers`)
          .join(', '),
      ],
      ['cascade import index', `${s(r.importMs)} (aim < 60 s: ${aim(r.importMs, 60_000)}); ${r.importSays}`],
      ['first answer after the import', `${formatMs(r.firstAnswerMs)} (aim < 1 s: ${aim(r.firstAnswerMs, 1000)})`],
      [
        'index rebuild after a restart',
        `${formatMs(r.rebuild.ms)} (aim < 2 s: ${aim(r.rebuild.ms, 2000)}), ${formatMs(r.rebuild.cpuMs)} CPU; ` +
          `one SQL read of ${r.rebuild.memory.streams} streams; the new process answered /healthz ${s(r.rebuild.readyMs)} after its spawn ` +
          `and its first page (cold) in ${formatMs(r.rebuild.firstPageMs)}`,
      ],
      [
        'index memory',
        `graph ~${mb(r.rebuild.memory.graphBytes)} (${r.rebuild.memory.nodes} nodes)` +
          (r.rebuild.heapBytes === undefined ? '' : `, heap after load +${mb(r.rebuild.heapBytes)}`) +
          `; API process RSS ${mb(r.rebuild.rssBytes)} after a restart, ${mb(r.servedRssBytes)} after serving the pages below`,
      ],
      [
        'closure cache while serving',
        `${r.served.cache.entries} closures, ${mb(r.served.cache.bytes)} of a ${mb(r.served.cache.maxBytes)} budget (LRU by bytes), ${r.served.cache.evictions} evicted`,
      ],
      [
        'change feed while serving',
        `${r.freshness.listening ? 'LISTENing for notifications' : 'no listener'}: ${r.freshness.probes} looks for ${r.freshness.questions} pages ` +
          `(${r.freshness.notifications} notifications since the API started)`,
      ],
      [
        'GC pauses during warm requests',
        `${r.warmGc.count} in the API process (${Object.entries(r.warmGc.kinds)
          .map(([kind, n]) => `${n} ${kind}`)
          .join(', ')}), p50 ${formatMs(r.warmGc.p50Ms)}, max ${formatMs(r.warmGc.maxMs)}; ` +
          `API CPU ${formatMs(r.warmCpuPerRequest)} per warm request (all of its CPU over the warm series / requests)`,
      ],
      [
        'GET /healthz (reference)',
        `p50 ${formatMs(r.healthz.p50Ms)}, p99 ${formatMs(r.healthz.p99Ms)}; API CPU p50 ${formatMs(r.healthzCpu.p50Ms)}`,
      ],
    ]),
    '',
    `${'GET …/dependents, 100-item page'.padEnd(44)}${'p50'.padStart(11)}${'p99'.padStart(11)}${'p50/healthz'.padStart(13)}` +
      `${'CPU p50'.padStart(11)}${'CPU p99'.padStart(11)}`,
  ];
  for (const hub of r.hubs) {
    for (const kind of ['dependents', 'tiers'] as const) {
      for (const when of ['cold', 'warm'] as const) {
        const l = hub[when][kind];
        const c = hub[when === 'cold' ? 'coldCpu' : 'warmCpu'][kind];
        const label = `${hub.node} ${kind === 'tiers' ? '&tiers=true' : 'transitive'} (${when})`;
        lines.push(
          `${label.padEnd(44)}${formatMs(l.p50Ms).padStart(11)}${formatMs(l.p99Ms).padStart(11)}${ratio(l.p50Ms).padStart(13)}` +
            `${formatMs(c.p50Ms).padStart(11)}${formatMs(c.p99Ms).padStart(11)}`,
        );
      }
    }
  }
  for (const kind of ['dependents', 'tiers'] as const) {
    const l = r.gzipWarm[kind];
    const label = `${r.hubs[0]!.node} ${kind === 'tiers' ? '&tiers=true' : 'transitive'} (warm, gzip)`;
    lines.push(
      `${label.padEnd(44)}${formatMs(l.p50Ms).padStart(11)}${formatMs(l.p99Ms).padStart(11)}${ratio(l.p50Ms).padStart(13)}` +
        `${formatMs(l.cpu.p50Ms).padStart(11)}${formatMs(l.cpu.p99Ms).padStart(11)}`,
    );
  }
  const warm = r.hubs[0]!.warm;
  const cold = r.hubs[0]!.cold;
  lines.push(
    '',
    `aims for the largest hub: warm p50 < 2 ms ${aim(Math.max(warm.dependents.p50Ms, warm.tiers.p50Ms), 2)}, ` +
      `warm p99 < 10 ms ${aim(Math.max(warm.dependents.p99Ms, warm.tiers.p99Ms), 10)}, ` +
      `cold < 100 ms ${aim(Math.max(cold.dependents.p50Ms, cold.tiers.p50Ms), 100)} (p50 of ${COLD_ROUNDS} cold rounds); ` +
      `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores at the end (wall times stretch with it, CPU much less); ` +
      `CPU columns: the API process's, read from /proc around each request`,
  );
  return lines.join('\n');
}
