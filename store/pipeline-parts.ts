// The pipeline overview's building blocks, each one indexed lookup (or a handful): a branch's newest
// push, who pushed a set of commits, what is being built for some module streams, the newest compose
// holding a build, and module builds as the overview shows them. Used by store/pipeline.ts only.
import type { Prisma, PrismaClient, RepoNamespace } from '@prisma/client';
import { ZERO_HASH } from '../domain/git-refs';
import type {
  LatestBuild,
  LatestCompose,
  LineageCommit,
  LineageCompose,
  SourceCommit,
  UnderwayBuild,
} from '../domain/pipeline';
import { publicationOf } from './compose-views';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
export interface StreamRef {
  name: string;
  stream: string;
}

/** The newest push to a branch (any branch when none is given), with who pushed it. */
export async function newestPush(
  prisma: PrismaClient,
  namespace: RepoNamespace,
  name: string,
  branch: string | null,
): Promise<SourceCommit | null> {
  const repo = await prisma.repo.findUnique({ where: { namespace_name: { namespace, name } }, select: { id: true } });
  if (!repo) return null;
  const move = await prisma.branchRefMove.findFirst({
    where: { repoId: repo.id, ...(branch ? { branch } : {}), newHash: { not: ZERO_HASH } },
    orderBy: [{ movedAt: 'desc' }, { id: 'desc' }],
  });
  if (!move) return null;
  return {
    repo: `${namespace}/${name}`,
    branch: move.branch,
    commit: move.newHash,
    pushedBy: move.pusher,
    pushedAt: move.movedAt.toISOString(),
  };
}

/** Who pushed each commit and when (the first push that moved a branch to it), by the newHash index. */
export async function pushesOf(
  prisma: PrismaClient,
  hashes: readonly string[],
): Promise<Map<string, { repo: string; pusher: string; movedAt: Date }>> {
  if (hashes.length === 0) return new Map();
  const moves = await prisma.branchRefMove.findMany({
    where: { newHash: { in: [...new Set(hashes)] } },
    orderBy: [{ movedAt: 'asc' }, { id: 'asc' }],
    select: { newHash: true, pusher: true, movedAt: true, repo: { select: { namespace: true, name: true } } },
  });
  const byHash = new Map<string, { repo: string; pusher: string; movedAt: Date }>();
  for (const m of moves) {
    if (!byHash.has(m.newHash))
      byHash.set(m.newHash, { repo: `${m.repo.namespace}/${m.repo.name}`, pusher: m.pusher, movedAt: m.movedAt });
  }
  return byHash;
}

export const buildColumns = {
  nsvc: true,
  name: true,
  stream: true,
  version: true,
  state: true,
  commitHash: true,
  ciOutcome: true,
  workflowId: true,
  updatedAt: true,
  states: { where: { state: { in: ['done', 'ready'] } }, select: { state: true, at: true } },
} satisfies Prisma.ModuleBuildSelect;
export type BuildRow = Prisma.ModuleBuildGetPayload<{ select: typeof buildColumns }>;

/** When a build was built: it reached done (its RPMs) — ready is CI's and the repository's step after. */
export const builtAtOf = (row: BuildRow) =>
  iso((row.states.find((s) => s.state === 'done') ?? row.states.find((s) => s.state === 'ready'))?.at);

export function latestBuildOf(row: BuildRow, component?: { nvr: string | null; commitHash: string }): LatestBuild {
  return {
    nsvc: row.nsvc,
    nvr: component?.nvr ?? null,
    builtAt: builtAtOf(row),
    fromCommit: component?.commitHash ?? row.commitHash,
    state: row.state,
    ciOutcome: row.ciOutcome,
    workflowId: row.workflowId,
  };
}

const byVersionDesc = (a: { version: string }, b: { version: string }) =>
  BigInt(b.version) > BigInt(a.version) ? -1 : BigInt(b.version) < BigInt(a.version) ? 1 : 0;

/** The newest ready builds of a stream (by version), at most `take`; the (name, stream, state) index. */
export async function readyBuildsOf(prisma: PrismaClient, s: StreamRef, take = 20): Promise<BuildRow[]> {
  const rows = await prisma.moduleBuild.findMany({
    where: { name: s.name, stream: s.stream, state: 'ready' },
    select: buildColumns,
    orderBy: { createdAt: 'desc' },
    take,
  });
  return rows.sort(byVersionDesc);
}

/** The newest compose holding one of these builds (the nsvc index), with its publication in words. */
export async function newestComposeHolding(
  prisma: PrismaClient,
  nsvcs: readonly string[],
): Promise<LatestCompose | null> {
  if (nsvcs.length === 0) return null;
  const row = await prisma.composeModule.findFirst({
    where: { nsvc: { in: [...nsvcs] } },
    orderBy: { compose: { number: 'desc' } },
    include: { compose: true },
  });
  if (!row) return null;
  const publication = publicationOf(row.compose);
  return {
    composeId: row.compose.composeId,
    status: row.compose.status,
    publication,
    published: publication === 'published',
    publishedAt: iso(row.compose.publishedAt),
    finishedAt: iso(row.compose.finishedAt),
    nsvc: row.nsvc,
    variant: row.variant,
  };
}

/** Every compose holding one of these builds, newest first (at most 50). */
export async function composesHolding(prisma: PrismaClient, nsvcs: readonly string[]): Promise<LineageCompose[]> {
  if (nsvcs.length === 0) return [];
  const rows = await prisma.composeModule.findMany({
    where: { nsvc: { in: [...nsvcs] } },
    orderBy: [{ compose: { number: 'desc' } }, { variant: 'asc' }],
    include: { compose: { select: { composeId: true, status: true, publishedAt: true, removedAt: true } } },
    take: 50,
  });
  return rows.map((r) => ({
    composeId: r.compose.composeId,
    nsvc: r.nsvc,
    variant: r.variant,
    status: r.compose.status,
    publication: publicationOf(r.compose),
  }));
}

/** A module build's sources: the module commit and each component's, with who pushed them. */
export async function commitsOfBuild(prisma: PrismaClient, nsvc: string): Promise<LineageCommit[]> {
  const build = await prisma.moduleBuild.findUnique({
    where: { nsvc },
    select: {
      name: true,
      commitHash: true,
      components: { select: { name: true, commitHash: true, nvr: true }, orderBy: [{ batch: 'asc' }, { name: 'asc' }] },
    },
  });
  if (!build) return [];
  const pushes = await pushesOf(prisma, [build.commitHash, ...build.components.map((c) => c.commitHash)]);
  const commit = (repo: string, hash: string, component: string | null, nvr: string | null): LineageCommit => ({
    repo,
    commit: hash,
    component,
    nvr,
    pushedBy: pushes.get(hash)?.pusher ?? null,
    pushedAt: iso(pushes.get(hash)?.movedAt),
  });
  return [
    commit(`modules/${build.name}`, build.commitHash, null, null),
    ...build.components.map((c) => commit(`rpms/${c.name}`, c.commitHash, c.name, c.nvr)),
  ];
}

const GOING_CAMPAIGN = ['running', 'waiting'];
const GOING_MODULE = ['waiting', 'building', 'testing'];
const GOING_BUILD = ['init', 'wait', 'build'] as const;

/**
 * What is being built for these module streams, from the store: campaign modules still to pass in a
 * campaign still going (with the campaign modules they wait for), and module builds still running.
 */
export async function underwayFor(prisma: PrismaClient, streams: readonly StreamRef[]): Promise<UnderwayBuild[]> {
  if (streams.length === 0) return [];
  const or = streams.map((s) => ({ name: s.name, stream: s.stream }));
  const [modules, builds] = await Promise.all([
    prisma.campaignModule.findMany({
      where: { OR: or, state: { in: GOING_MODULE }, campaign: { state: { in: GOING_CAMPAIGN } } },
      include: { campaign: { select: { workflowId: true, createdAt: true } } },
      take: 20,
    }),
    prisma.moduleBuild.findMany({
      where: { OR: or.map((s) => ({ ...s, state: { in: [...GOING_BUILD] } })) },
      select: {
        nsvc: true,
        name: true,
        stream: true,
        state: true,
        workflowId: true,
        campaignId: true,
        createdAt: true,
        components: { where: { state: { in: ['waiting', 'building'] } }, select: { name: true } },
      },
      take: 20,
    }),
  ]);
  const passed = await settledModules(prisma, [...new Set(modules.map((m) => m.campaignId))]);
  const inCampaign = new Set(modules.map((m) => `${m.campaignId}/${m.name}:${m.stream}`));
  return [
    ...modules.map((m) => ({
      campaignId: m.campaignId,
      module: `${m.name}:${m.stream}`,
      tier: m.tier,
      state: m.state,
      startedAt: m.campaign.createdAt.toISOString(),
      waitingFor: waitingFor(m, builds, passed.get(m.campaignId) ?? new Set()),
      workflowId: m.campaign.workflowId,
      live: false,
    })),
    ...builds
      .filter((b) => !b.campaignId || !inCampaign.has(`${b.campaignId}/${b.name}:${b.stream}`))
      .map((b) => ({
        campaignId: b.campaignId,
        module: `${b.name}:${b.stream}`,
        tier: null,
        state: b.state,
        startedAt: b.createdAt.toISOString(),
        waitingFor: b.components.map((c) => `rpms/${c.name}`),
        workflowId: b.workflowId,
        live: false,
      })),
  ];
}

function waitingFor(
  m: { campaignId: string; name: string; stream: string; state: string; dependsOn: Prisma.JsonValue },
  builds: { campaignId: string | null; name: string; stream: string; components: { name: string }[] }[],
  settled: Set<string>,
): string[] {
  if (m.state === 'waiting') {
    const deps = Array.isArray(m.dependsOn) ? m.dependsOn.map(String) : [];
    return deps.filter((d) => !settled.has(d));
  }
  const build = builds.find((b) => b.campaignId === m.campaignId && b.name === m.name && b.stream === m.stream);
  return build ? build.components.map((c) => `rpms/${c.name}`) : [];
}

/** The modules of each campaign that passed or were skipped (dependents may go on after them). */
async function settledModules(prisma: PrismaClient, campaignIds: string[]): Promise<Map<string, Set<string>>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await prisma.campaignModule.findMany({
    where: { campaignId: { in: campaignIds }, state: { in: ['passed', 'skipped'] } },
    select: { campaignId: true, name: true, stream: true },
  });
  const byCampaign = new Map<string, Set<string>>();
  for (const r of rows) {
    const set = byCampaign.get(r.campaignId) ?? new Set<string>();
    set.add(`${r.name}:${r.stream}`);
    byCampaign.set(r.campaignId, set);
  }
  return byCampaign;
}
