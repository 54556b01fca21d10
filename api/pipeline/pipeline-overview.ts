// The pipeline overview answered: the store's facts for what was asked, the live state of the running
// campaigns among them (their workflow's query, bounded by a short timeout so the answer never waits
// on a busy worker — the store's state stands when the query is slow), the verdict and the links.
import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import { campaignProgress } from '../../clients/campaign-client';
import { workflowIds } from '../../domain/workflow-ids';
import { pipelineVerdict, type PipelineOverview, type PipelineTarget, type UnderwayBuild } from '../../domain/pipeline';
import {
  commitFacts,
  componentFacts,
  composeFacts,
  moduleStreamFacts,
  nsvcFacts,
  nvrFacts,
  type PipelineFacts,
} from '../../store/pipeline';

export interface PipelineOverviewDeps {
  prisma: PrismaClient;
  temporal: Client;
  /** the Temporal Web UI, for links to workflows */
  temporalUiUrl: string;
  temporalNamespace: string;
  /** how long a running campaign's query may take before the store's state is answered instead */
  liveQueryTimeoutMs: number;
}

export function factsFor(prisma: PrismaClient, target: PipelineTarget): Promise<PipelineFacts | undefined> {
  switch (target.kind) {
    case 'component':
      return componentFacts(prisma, target.name, target.branch);
    case 'module':
      return moduleStreamFacts(prisma, { name: target.name, stream: target.stream });
    case 'nsvc':
      return nsvcFacts(prisma, target.nsvc);
    case 'nvr':
      return nvrFacts(prisma, target);
    case 'compose':
      return composeFacts(prisma, target.composeId);
    case 'commit':
      return commitFacts(prisma, target.hash);
  }
}

/** The first of the candidates the store knows, answered; undefined when it knows none. */
export async function pipelineOverview(
  deps: PipelineOverviewDeps,
  candidates: readonly PipelineTarget[],
  now: Date,
): Promise<PipelineOverview | undefined> {
  for (const target of candidates) {
    const facts = await factsFor(deps.prisma, target);
    if (!facts) continue;
    const live = { ...facts, underway: await withLiveState(deps, facts.underway) };
    return { ...live, verdict: pipelineVerdict(live, now), links: linksOf(deps, live) };
  }
  return undefined;
}

async function withLiveState(deps: PipelineOverviewDeps, underway: UnderwayBuild[]): Promise<UnderwayBuild[]> {
  const campaigns = [...new Set(underway.flatMap((u) => (u.campaignId && u.tier !== null ? [u.campaignId] : [])))];
  const progress = new Map(
    await Promise.all(campaigns.map(async (id) => [id, await boundedProgress(deps, id)] as const)),
  );
  return underway.map((u) => {
    const live = u.campaignId ? progress.get(u.campaignId) : undefined;
    const mine = live?.modules.find((m) => m.node === u.module);
    if (!live || !mine) return u;
    const settled = new Set(
      live.modules.filter((m) => m.state === 'passed' || m.state === 'skipped').map((m) => m.node),
    );
    const waitingFor = mine.state === 'blocked' ? (mine.blockedBy ?? []) : u.waitingFor.filter((w) => !settled.has(w));
    return { ...u, state: mine.state, waitingFor, live: true };
  });
}

async function boundedProgress(deps: PipelineOverviewDeps, campaignId: string) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), deps.liveQueryTimeoutMs);
  });
  try {
    return await Promise.race([campaignProgress(deps.temporal, campaignId).catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function linksOf(deps: PipelineOverviewDeps, facts: PipelineFacts): PipelineOverview['links'] {
  const workflowId = facts.underway[0]?.workflowId ?? facts.latestBuild?.workflowId ?? composeWorkflow(facts);
  const dashboard =
    facts.kind === 'nsvc'
      ? `/module-builds/${encodeURIComponent(facts.key)}`
      : facts.kind === 'compose'
        ? `/composes/${encodeURIComponent(facts.key)}`
        : `/pipeline?q=${encodeURIComponent(facts.key)}`;
  if (!workflowId) return { dashboard };
  const namespace = encodeURIComponent(deps.temporalNamespace);
  return {
    dashboard,
    temporal: `${deps.temporalUiUrl.replace(/\/$/, '')}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`,
  };
}

const composeWorkflow = (facts: PipelineFacts) =>
  facts.kind === 'compose' ? workflowIds.compose(facts.key) : undefined;
