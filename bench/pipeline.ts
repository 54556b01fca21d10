// The pipeline overview through the HTTP API against PostgreSQL, on the dependency benchmark's
// synthetic distribution (3,000 streams, 25,000 components, 100,000 edges) imported as deps-http does,
// with a ready build for every stream (its component builds, a pushed module commit) and two composes
// (one finished and unpublished, one published) holding a third of them: the overview of 1,000 random
// streams, of their NSVCs by free text, and of 500 components, one keep-alive connection.
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { PrismaClient } from '@prisma/client';
import { splitModuleStreamKey as split } from '../domain/dependencies';
import { seededRandom } from '../domain/seeded-random';
import type { BenchApi } from './bench-stack';
import { generateSyntheticDistribution, type SyntheticDistribution } from './deps-index';
import { formatMs, formatRows, keepAliveClient, summarize, type LatencySummary } from './http-client';

const BATCH = 500;
const hash = (text: string) => crypto.createHash('sha1').update(text).digest('hex');

export interface PipelineBenchReport {
  streams: number;
  moduleBuilds: number;
  componentBuilds: number;
  loadMs: number;
  latency: Record<'moduleStream' | 'nsvcByText' | 'component', LatencySummary>;
  counts: Record<'moduleStream' | 'nsvcByText' | 'component', number>;
  sampleVerdict: string;
}

async function importStreams(client: ReturnType<typeof keepAliveClient>, distribution: SyntheticDistribution) {
  for (let i = 0; i < distribution.modules.length; i += BATCH) {
    const streams = distribution.modules.slice(i, i + BATCH).map((m) => ({
      ...split(m.node),
      release: null,
      edges: m.buildrequires.map((to) => ({
        type: 'BUILDREQUIRES',
        toName: split(to).name,
        toStream: split(to).stream,
      })),
      components: m.components.map((name) => ({ name })),
    }));
    const answer = await client.request('POST', '/api/v1/imports/module-streams', { streams });
    if (answer.status !== 200) throw new Error(`import failed: ${answer.status} ${answer.body.slice(0, 500)}`);
  }
}

/** A ready build per stream, its component builds and module commit, and two composes holding a third. */
async function seedBuilds(prisma: PrismaClient, distribution: SyntheticDistribution) {
  const at = new Date(Date.now() - 2 * 3_600_000);
  const nsvcs: string[] = [];
  let componentBuilds = 0;
  for (let i = 0; i < distribution.modules.length; i += BATCH) {
    const slice = distribution.modules.slice(i, i + BATCH);
    const repos = slice.map((m) => ({
      id: `bench-${m.node}`,
      namespace: 'modules' as const,
      name: split(m.node).name,
    }));
    await prisma.repo.createMany({ data: repos, skipDuplicates: true });
    await prisma.branchRefMove.createMany({
      data: slice.map((m) => ({
        repoId: `bench-${m.node}`,
        branch: split(m.node).stream,
        oldHash: '0'.repeat(40),
        newHash: hash(`modules/${m.node}`),
        movedAt: at,
        pusher: 'bench',
        source: 'import',
        eventKey: `bench/${m.node}`,
      })),
      skipDuplicates: true,
    });
    const builds = slice.map((m) => {
      const { name, stream } = split(m.node);
      const nsvc = `${name}:${stream}:2900002026112504:${hash(m.node).slice(0, 8)}`;
      nsvcs.push(nsvc);
      return {
        id: `bench-${nsvc}`,
        name,
        stream,
        version: '2900002026112504',
        context: hash(m.node).slice(0, 8),
        nsvc,
        state: 'ready' as const,
        commitHash: hash(`modules/${m.node}`),
        workflowId: `module-build-${name}-${stream}-2900002026112504`,
        owner: 'bench',
        ciOutcome: 'PASSED',
      };
    });
    await prisma.moduleBuild.createMany({ data: builds, skipDuplicates: true });
    await prisma.moduleBuildStateChange.createMany({
      data: builds.flatMap((b) => [
        { moduleBuildId: b.id, state: 'done' as const, at },
        { moduleBuildId: b.id, state: 'ready' as const, at },
      ]),
      skipDuplicates: true,
    });
    const components = slice.flatMap((m, k) =>
      m.components.slice(0, 8).map((c) => ({
        moduleBuildId: builds[k]!.id,
        name: c,
        commitHash: hash(`rpms/${c}`),
        batch: 0,
        nvr: `${c}-1.0-1.module_f29+${i + k}+${builds[k]!.context}`,
        state: 'complete' as const,
        finishedAt: at,
      })),
    );
    componentBuilds += components.length;
    await prisma.componentBuild.createMany({ data: components, skipDuplicates: true });
  }
  for (const [n, published] of [
    [0, false],
    [1, true],
  ] as const) {
    const composeId = `bench-29-20261130.n.${n}`;
    const row = await prisma.compose.create({
      data: {
        composeId,
        workflowId: `compose-${composeId}`,
        short: 'bench',
        version: '29',
        release: 'bench-29',
        date: '20261130',
        respin: n,
        type: 'nightly',
        status: 'FINISHED',
        request: {},
        createdBy: 'bench',
        finishedAt: at,
        publishedAt: published ? at : null,
      },
    });
    const held = nsvcs.filter((_, k) => k % 3 === n);
    for (let i = 0; i < held.length; i += BATCH) {
      await prisma.composeModule.createMany({
        data: held.slice(i, i + BATCH).map((nsvc) => {
          const [name, stream] = nsvc.split(':') as [string, string];
          return { composeId: row.id, variant: 'Server', nsvc, name, stream };
        }),
      });
    }
  }
  return { nsvcs, componentBuilds };
}

export async function runPipelineBench(api: BenchApi, seed = 29, sampleSize = 1_000): Promise<PipelineBenchReport> {
  const distribution = generateSyntheticDistribution(seed);
  const client = keepAliveClient(api.url, api.token);
  try {
    const loadStart = performance.now();
    await importStreams(client, distribution);
    const { nsvcs, componentBuilds } = await seedBuilds(api.prisma, distribution);
    const loadMs = performance.now() - loadStart;

    const get = async (path: string) => {
      const started = performance.now();
      const answer = await client.request('GET', path);
      const ms = performance.now() - started;
      if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.body.slice(0, 500)}`);
      return { ms, body: answer.body };
    };
    const random = seededRandom(seed + 2);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const timings = { moduleStream: [] as number[], nsvcByText: [] as number[], component: [] as number[] };
    let sampleVerdict = '';
    for (let i = 0; i < sampleSize; i += 1) {
      const { name, stream } = split(pick(distribution.modules).node);
      const answer = await get(`/api/v1/pipeline/modules/${encodeURIComponent(name)}/${encodeURIComponent(stream)}`);
      timings.moduleStream.push(answer.ms);
      if (i === 0) sampleVerdict = (JSON.parse(answer.body) as { verdict: string }).verdict;
      timings.nsvcByText.push((await get(`/api/v1/pipeline?q=${encodeURIComponent(pick(nsvcs))}`)).ms);
      if (i % 2 === 0) {
        const holder = pick(distribution.modules);
        if (holder.components.length === 0) continue;
        const component = pick(holder.components.slice(0, 8));
        timings.component.push((await get(`/api/v1/pipeline/components/${encodeURIComponent(component)}`)).ms);
      }
    }
    return {
      streams: distribution.modules.length,
      moduleBuilds: nsvcs.length,
      componentBuilds,
      loadMs,
      latency: {
        moduleStream: summarize(timings.moduleStream),
        nsvcByText: summarize(timings.nsvcByText),
        component: summarize(timings.component),
      },
      counts: {
        moduleStream: timings.moduleStream.length,
        nsvcByText: timings.nsvcByText.length,
        component: timings.component.length,
      },
      sampleVerdict,
    };
  } finally {
    client.close();
  }
}

export function formatPipelineReport(r: PipelineBenchReport): string {
  const counts = r.counts;
  const names: Record<keyof PipelineBenchReport['latency'], string> = {
    moduleStream: 'GET …/pipeline/modules/:name/:stream',
    nsvcByText: 'GET …/pipeline?q=<NSVC>',
    component: 'GET …/pipeline/components/:name',
  };
  return [
    'Pipeline overview through the HTTP API (PostgreSQL, API in process, one keep-alive connection)',
    ...formatRows([
      [
        'load',
        `${r.streams} streams imported, ${r.moduleBuilds} module builds, ${r.componentBuilds} component builds, 2 composes in ${(r.loadMs / 1000).toFixed(2)} s`,
      ],
      ['a verdict', r.sampleVerdict],
    ]),
    '',
    `${'query'.padEnd(40)}${'n'.padStart(6)}${'p50'.padStart(12)}${'p99'.padStart(12)}${'max'.padStart(12)}`,
    ...Object.entries(r.latency).map(
      ([key, s]) =>
        `${names[key as keyof typeof names].padEnd(40)}${String(counts[key as keyof typeof counts]).padStart(6)}${formatMs(s.p50Ms).padStart(12)}${formatMs(s.p99Ms).padStart(12)}${formatMs(s.maxMs).padStart(12)}`,
    ),
  ].join('\n');
}
