// The pipeline overview from the store: for a component on a branch, a module stream, an NSVC, an NVR,
// a compose or a commit, the facts of one answer (newest push and who made it, builds under way, the
// newest ready build and what it was built from, the newest compose holding it, lineage both ways).
// Every question is a few indexed lookups (name, nsvc, newHash, composeId), never a scan: the store
// may hold tens of thousands of module streams. Live Temporal state and the verdict are the API's.
import type { PrismaClient } from '@prisma/client';
import type { LineageBuild, PipelineOverview } from '../domain/pipeline';
import { holdersOnBranch, componentHolders } from './campaigns';
import { publicationOf } from './compose-views';
import {
  buildColumns,
  commitsOfBuild,
  composesHolding,
  latestBuildOf,
  newestComposeHolding,
  newestPush,
  pushesOf,
  readyBuildsOf,
  underwayFor,
  type StreamRef,
} from './pipeline-parts';

export type PipelineFacts = Omit<PipelineOverview, 'verdict' | 'links'>;

const noLineage = () => ({ commits: [], builds: [], composes: [] });

export async function moduleStreamFacts(prisma: PrismaClient, s: StreamRef): Promise<PipelineFacts | undefined> {
  const [source, ready, underway, known] = await Promise.all([
    newestPush(prisma, 'modules', s.name, s.stream),
    readyBuildsOf(prisma, s),
    underwayFor(prisma, [s]),
    prisma.moduleStream.findUnique({
      where: { name_stream: { name: s.name, stream: s.stream } },
      select: { id: true },
    }),
  ]);
  if (!source && ready.length === 0 && underway.length === 0 && !known) return undefined;
  const latest = ready[0];
  const [latestCompose, composes, commits] = await Promise.all([
    newestComposeHolding(prisma, latest ? [latest.nsvc] : []),
    composesHolding(
      prisma,
      ready.map((b) => b.nsvc),
    ),
    latest ? commitsOfBuild(prisma, latest.nsvc) : Promise.resolve([]),
  ]);
  return {
    kind: 'module',
    key: `${s.name}:${s.stream}`,
    source,
    underway,
    latestBuild: latest ? latestBuildOf(latest) : null,
    latestCompose,
    lineage: { commits, builds: ready.map((b) => moduleLineage(b)), composes },
  };
}

const moduleLineage = (b: { nsvc: string; state: string; commitHash: string }): LineageBuild => ({
  nsvc: b.nsvc,
  state: b.state,
  fromCommit: b.commitHash,
  component: null,
  nvr: null,
  componentState: null,
});

export async function nsvcFacts(prisma: PrismaClient, nsvc: string): Promise<PipelineFacts | undefined> {
  const build = await prisma.moduleBuild.findUnique({ where: { nsvc }, select: buildColumns });
  if (!build) return undefined;
  const [source, underway, commits, composes] = await Promise.all([
    newestPush(prisma, 'modules', build.name, build.stream),
    underwayFor(prisma, [{ name: build.name, stream: build.stream }]),
    commitsOfBuild(prisma, nsvc),
    composesHolding(prisma, [nsvc]),
  ]);
  return {
    kind: 'nsvc',
    key: nsvc,
    source,
    // a build of the stream that is not this one
    underway: underway.filter((u) => u.workflowId !== build.workflowId),
    latestBuild: latestBuildOf(build),
    latestCompose: await newestComposeHolding(prisma, [nsvc]),
    lineage: { commits, builds: [moduleLineage(build)], composes },
  };
}

const componentBuildColumns = {
  name: true,
  commitHash: true,
  nvr: true,
  state: true,
  finishedAt: true,
  moduleBuild: { select: buildColumns },
} as const;

/** The builds holding a component (on the branch's module streams when a branch is given). */
export async function componentFacts(
  prisma: PrismaClient,
  name: string,
  branch: string | null,
): Promise<PipelineFacts | undefined> {
  const holders: StreamRef[] = branch
    ? await holdersOnBranch(prisma, name, branch)
    : (await componentHolders(prisma, [name])).map((h) => ({ name: h.moduleName, stream: h.moduleStream }));
  const [source, underway, built] = await Promise.all([
    newestPush(prisma, 'rpms', name, branch),
    underwayFor(prisma, holders),
    prisma.componentBuild.findMany({
      where: {
        name,
        state: { in: ['complete', 'reused'] },
        moduleBuild: { state: 'ready', ...(holders.length > 0 ? { OR: holders } : {}) },
      },
      select: componentBuildColumns,
      orderBy: { finishedAt: 'desc' },
      take: 20,
    }),
  ]);
  if (!source && holders.length === 0 && built.length === 0) return undefined;
  const latest = built[0];
  const commit = source?.commit ?? latest?.commitHash;
  const lineage = commit ? await commitLineage(prisma, name, commit) : noLineage();
  return {
    kind: 'component',
    key: branch ? `${name}@${branch}` : name,
    source,
    underway,
    latestBuild: latest ? latestBuildOf(latest.moduleBuild, latest) : null,
    latestCompose: latest ? await newestComposeHolding(prisma, [latest.moduleBuild.nsvc]) : null,
    lineage,
  };
}

/** Forward from a component commit: every module build holding a build of it, and their composes. */
async function commitLineage(prisma: PrismaClient, component: string, hash: string) {
  const [rows, pushes] = await Promise.all([
    prisma.componentBuild.findMany({
      where: { name: component, commitHash: hash },
      select: componentBuildColumns,
      orderBy: { finishedAt: 'desc' },
      take: 100,
    }),
    pushesOf(prisma, [hash]),
  ]);
  const push = pushes.get(hash);
  const builds = rows.map((r) => componentLineage(r));
  return {
    commits: [
      {
        repo: `rpms/${component}`,
        commit: hash,
        component,
        nvr: rows.find((r) => r.nvr)?.nvr ?? null,
        pushedBy: push?.pusher ?? null,
        pushedAt: push?.movedAt.toISOString() ?? null,
      },
    ],
    builds,
    composes: await composesHolding(
      prisma,
      builds.map((b) => b.nsvc),
    ),
  };
}

const componentLineage = (r: {
  name: string;
  nvr: string | null;
  state: string;
  commitHash: string;
  moduleBuild: { nsvc: string; state: string };
}): LineageBuild => ({
  nsvc: r.moduleBuild.nsvc,
  state: r.moduleBuild.state,
  fromCommit: r.commitHash,
  component: r.name,
  nvr: r.nvr,
  componentState: r.state,
});

/** Back from an NVR: the component commit it was built from, the module builds holding it, their composes. */
export async function nvrFacts(
  prisma: PrismaClient,
  nvr: { nvr: string; name: string },
): Promise<PipelineFacts | undefined> {
  const rows = await prisma.componentBuild.findMany({
    where: { name: nvr.name, nvr: nvr.nvr },
    select: componentBuildColumns,
    orderBy: { finishedAt: 'desc' },
    take: 100,
  });
  if (rows.length === 0) return undefined;
  const latest = rows.find((r) => r.moduleBuild.state === 'ready') ?? rows[0]!;
  const builds = rows.map((r) => componentLineage(r));
  const nsvcs = builds.map((b) => b.nsvc);
  const [moduleCommits, composes, latestCompose] = await Promise.all([
    commitsOfBuild(prisma, latest.moduleBuild.nsvc),
    composesHolding(prisma, nsvcs),
    newestComposeHolding(prisma, nsvcs),
  ]);
  // the component's commit first, then the module commit it was built for
  const commits = [
    ...moduleCommits.filter((c) => c.component === nvr.name),
    ...moduleCommits.filter((c) => c.component === null),
  ];
  return {
    kind: 'nvr',
    key: nvr.nvr,
    source: null,
    underway: [],
    latestBuild: latestBuildOf(latest.moduleBuild, latest),
    latestCompose,
    lineage: { commits, builds, composes },
  };
}

export async function composeFacts(prisma: PrismaClient, composeId: string): Promise<PipelineFacts | undefined> {
  const compose = await prisma.compose.findUnique({
    where: { composeId },
    include: { modules: { orderBy: [{ variant: 'asc' }, { nsvc: 'asc' }] } },
  });
  if (!compose) return undefined;
  const nsvcs = [...new Set(compose.modules.map((m) => m.nsvc))];
  const builds = await prisma.moduleBuild.findMany({ where: { nsvc: { in: nsvcs } }, select: buildColumns });
  const self = {
    composeId,
    status: compose.status,
    publication: publicationOf(compose),
    publishedAt: compose.publishedAt?.toISOString() ?? null,
    finishedAt: compose.finishedAt?.toISOString() ?? null,
  };
  return {
    kind: 'compose',
    key: composeId,
    source: null,
    underway:
      compose.status === 'STARTED'
        ? [
            {
              campaignId: null,
              module: composeId,
              tier: null,
              state: compose.phase ?? 'init',
              startedAt: compose.createdAt.toISOString(),
              waitingFor: [],
              workflowId: compose.workflowId,
              live: false,
            },
          ]
        : [],
    latestBuild: null,
    latestCompose: { ...self, published: self.publication === 'published', nsvc: null, variant: null },
    lineage: {
      commits: [],
      builds: builds.map((b) => moduleLineage(b)),
      composes: compose.modules.map((m) => ({
        composeId,
        nsvc: m.nsvc,
        variant: m.variant,
        status: compose.status,
        publication: self.publication,
      })),
    },
  };
}

/**
 * Forward from a commit (a full hash or a prefix of 7 or more): the repository it was pushed to, who
 * pushed it, and every module build and compose holding it. Undefined when no push brought it.
 */
export async function commitFacts(prisma: PrismaClient, hashOrPrefix: string): Promise<PipelineFacts | undefined> {
  // a range on the newHash index finds a prefix in any collation (hex sorts below 'g')
  const move = await prisma.branchRefMove.findFirst({
    where: { newHash: { gte: hashOrPrefix, lt: `${hashOrPrefix}g` } },
    orderBy: [{ movedAt: 'asc' }, { id: 'asc' }],
    include: { repo: { select: { namespace: true, name: true } } },
  });
  if (!move) return undefined;
  const hash = move.newHash;
  const base = { kind: 'commit' as const, key: hash, underway: [], latestBuild: null };
  const source = {
    repo: `${move.repo.namespace}/${move.repo.name}`,
    branch: move.branch,
    commit: hash,
    pushedBy: move.pusher,
    pushedAt: move.movedAt.toISOString(),
  };
  if (move.repo.namespace === 'rpms') {
    const lineage = await commitLineage(prisma, move.repo.name, hash);
    return {
      ...base,
      source,
      latestCompose: await newestComposeHolding(
        prisma,
        lineage.builds.map((b) => b.nsvc),
      ),
      lineage,
    };
  }
  const builds = await prisma.moduleBuild.findMany({
    where: { name: move.repo.name, commitHash: hash },
    select: buildColumns,
    take: 100,
  });
  const nsvcs = builds.map((b) => b.nsvc);
  const commits = [
    { repo: source.repo, commit: hash, component: null, nvr: null, pushedBy: move.pusher, pushedAt: source.pushedAt },
  ];
  return {
    ...base,
    source,
    latestCompose: await newestComposeHolding(prisma, nsvcs),
    lineage: { commits, builds: builds.map((b) => moduleLineage(b)), composes: await composesHolding(prisma, nsvcs) },
  };
}
