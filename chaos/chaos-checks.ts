// What the chaos harness checks once a run is over, from the store, Temporal and LocalKoji's task
// records: every finding is lost (something accepted or due is missing), duplicated (something ran or
// was written twice) or wrong (the store and the workflows disagree, or something did not end).
import fs from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import { checkComposes } from './chaos-compose';
import type { AcceptedWrites } from './chaos-traffic';

export interface Finding {
  /** stalled: work stood still until a long time limit ran out (nothing lost, recovery slow) */
  kind: 'lost' | 'duplicated' | 'wrong' | 'stalled';
  what: string;
  /** the campaign it was found in, when it belongs to one */
  campaignId?: string;
}

export interface CheckInput {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  kojiRoot: string;
  accepted: AcceptedWrites;
  /** modules each campaign rebuilds */
  modulesPerCampaign: number;
  /** name:stream of the modules whose build fails its first CI run (a person retries it) */
  failingModules: string[];
  mirrorRoot: string;
  /** composes the API accepted */
  composes: string[];
}

export interface CheckReport {
  findings: Finding[];
  campaigns: number;
  moduleBuilds: number;
  buildTasks: number;
  /** build tasks that ran rpmbuild for real */
  realBuildTasks: number;
  composes: number;
  events: number;
}

export async function checkRun(input: CheckInput): Promise<CheckReport> {
  const findings: Finding[] = [];
  const campaigns = await checkCampaigns(input, findings);
  const { tasks: buildTasks, real: realBuildTasks } = checkBuildTasks(input.kojiRoot, findings);
  const failing = new Set(input.failingModules.map((m) => m.split(':')[0]!));
  const moduleBuilds = await checkModuleBuilds(input.prisma, failing, findings);
  const events = await checkEvents(input.prisma, findings);
  await checkNotifications(input.prisma, findings);
  await checkAcceptedWrites(input, findings);
  await checkWorkflows(input, findings);
  await checkCampaignStalls(input, findings);
  const composes = await checkComposes(
    { prisma: input.prisma, temporal: input.temporal, mirrorRoot: input.mirrorRoot, started: input.composes },
    findings,
  );
  return { findings, campaigns, moduleBuilds, buildTasks, realBuildTasks, composes, events };
}

/**
 * Every campaign ended, as its workflow says, with each module passed once in its first attempt; a
 * failing module in its second (the person's retry), with the retry recorded as its one action.
 */
async function checkCampaigns(input: CheckInput, findings: Finding[]): Promise<number> {
  const { prisma, temporal } = input;
  const campaigns = await prisma.campaign.findMany({ include: { modules: true, actions: true } });
  const failing = new Set(input.failingModules.map((m) => m.split(':')[0]!));
  for (const c of campaigns) {
    const at = { campaignId: c.id };
    if (c.state !== 'finished') findings.push({ kind: 'wrong', what: `campaign ${c.id} is ${c.state}`, ...at });
    const description = await temporal.workflow.getHandle(c.workflowId).describe();
    if (description.status.name !== 'COMPLETED') {
      findings.push({ kind: 'wrong', what: `campaign workflow ${c.workflowId} is ${description.status.name}`, ...at });
    } else {
      const result = (await temporal.workflow.getHandle(c.workflowId).result()) as {
        state: string;
        counts: Record<string, number>;
      };
      const passed = c.modules.filter((m) => m.state === 'passed').length;
      if (result.state !== c.state || result.counts.passed !== passed)
        findings.push({
          kind: 'wrong',
          what: `campaign ${c.id}: the workflow says ${result.state} with ${result.counts.passed} passed, the store ${c.state} with ${passed}`,
          ...at,
        });
    }
    if (c.modules.length !== input.modulesPerCampaign)
      findings.push({
        kind: 'lost',
        what: `campaign ${c.id} holds ${c.modules.length} modules, not ${input.modulesPerCampaign}`,
        ...at,
      });
    for (const m of c.modules) {
      if (m.state !== 'passed') findings.push({ kind: 'wrong', what: `${c.id}: ${m.name} is ${m.state}`, ...at });
      const expected = failing.has(m.name) ? 2 : 1;
      if (m.attempt !== expected)
        findings.push({
          kind: m.attempt > expected ? 'duplicated' : 'lost',
          what: `${c.id}: ${m.name} ran ${m.attempt} attempts, not ${expected}`,
          ...at,
        });
    }
    const retries = c.actions
      .filter((a) => a.action === 'retry')
      .map((a) => a.module ?? '')
      .sort();
    const expected = input.failingModules.filter((m) => c.modules.some((x) => `${x.name}:${x.stream}` === m)).sort();
    if (JSON.stringify(retries) !== JSON.stringify(expected))
      findings.push({
        kind: retries.length > expected.length ? 'duplicated' : 'lost',
        what: `${c.id}: retries recorded for ${retries.join(', ') || 'nothing'}, asked for ${expected.join(', ') || 'nothing'}`,
        ...at,
      });
  }
  return campaigns.length;
}

/** LocalKoji's records: each task (one build key) started once and ran rpmbuild once. */
function checkBuildTasks(kojiRoot: string, findings: Finding[]): { tasks: number; real: number } {
  const tasks = path.join(kojiRoot, 'tasks');
  if (!fs.existsSync(tasks)) return { tasks: 0, real: 0 };
  let real = 0;
  const dirs = fs.readdirSync(tasks).filter((d) => /^[0-9a-f]{24}$/.test(d));
  for (const task of dirs) {
    const statusFile = path.join(tasks, task, 'status.json');
    if (!fs.existsSync(statusFile)) {
      findings.push({ kind: 'lost', what: `build task ${task} has no status` });
      continue;
    }
    const status = JSON.parse(fs.readFileSync(statusFile, 'utf8')) as { state: string; attempt: number; nvr?: string };
    if (status.state !== 'complete') findings.push({ kind: 'wrong', what: `build task ${task} is ${status.state}` });
    if (status.attempt !== 1)
      findings.push({ kind: 'duplicated', what: `build task ${task} (${status.nvr}) started ${status.attempt} times` });
    const log = fs.readFileSync(path.join(tasks, task, 'build.log'), 'utf8');
    const runs = log.split('\n').filter((l) => l.startsWith('$ rpmbuild')).length;
    if (!log.includes('(zero-cost')) real += 1;
    if (runs !== 1)
      findings.push({ kind: 'duplicated', what: `build task ${task} (${status.nvr}) ran rpmbuild ${runs} times` });
  }
  return { tasks: dirs.length, real };
}

/**
 * One module build per campaign module, each component built once, one CI run each; a failing
 * module's build two (its first failed, the retry's passed).
 */
async function checkModuleBuilds(prisma: PrismaClient, failing: Set<string>, findings: Finding[]): Promise<number> {
  const builds = await prisma.moduleBuild.findMany({
    where: { campaignId: { not: null } },
    select: { id: true, nsvc: true, name: true, campaignId: true, state: true, ciOutcome: true, components: true },
  });
  const perModule = new Map<string, number>();
  for (const b of builds) {
    const key = `${b.campaignId}/${b.name}`;
    perModule.set(key, (perModule.get(key) ?? 0) + 1);
    const at = { campaignId: b.campaignId! };
    if (b.state !== 'ready' || b.ciOutcome !== 'PASSED')
      findings.push({ kind: 'wrong', what: `module build ${b.nsvc} is ${b.state}, CI ${b.ciOutcome}`, ...at });
    const names = b.components.map((c) => c.name);
    if (new Set(names).size !== names.length)
      findings.push({
        kind: 'duplicated',
        what: `module build ${b.nsvc} holds a component twice: ${names.join(', ')}`,
        ...at,
      });
  }
  for (const [key, count] of perModule)
    if (count > 1)
      findings.push({ kind: 'duplicated', what: `${key} was built ${count} times`, campaignId: key.split('/')[0] });
  const results = await prisma.ciResult.groupBy({
    by: ['moduleBuildId', 'runKey', 'testcase'],
    _count: { _all: true },
  });
  const runKeys = new Map<string, Set<string>>();
  for (const r of results) {
    const id = r.moduleBuildId ?? '';
    runKeys.set(id, (runKeys.get(id) ?? new Set()).add(r.runKey ?? ''));
    if (r._count._all !== 1)
      findings.push({
        kind: 'duplicated',
        what: `CI run ${r.runKey} stored ${r._count._all} results for ${r.testcase}`,
      });
  }
  const runsPerBuild = new Map([...runKeys].map(([id, keys]) => [id, keys.size]));
  for (const b of builds) {
    const count = runsPerBuild.get(b.id) ?? 0;
    const expected = failing.has(b.name) ? 2 : 1;
    if (count < expected)
      findings.push({
        kind: 'lost',
        what: `module build ${b.nsvc} has ${count} CI runs, not ${expected}`,
        campaignId: b.campaignId!,
      });
    if (count > expected)
      findings.push({
        kind: 'duplicated',
        what: `module build ${b.nsvc} was tested ${count} times`,
        campaignId: b.campaignId!,
      });
  }
  return builds.length;
}

/** What an event is about (one thing whose states it announces) and the state it announces. */
function subjectOf(e: {
  topic: string;
  objectKey: string;
  body: unknown;
}): { subject: string; state: string } | undefined {
  const b = (e.body ?? {}) as Record<string, unknown>;
  switch (e.topic) {
    case 'mbs.module.state.change':
      return { subject: e.objectKey, state: String(b.state_name) };
    case 'mbs.component.state.change':
      return { subject: `${e.objectKey} ${String(b.package)}`, state: String(b.cascade_state) };
    case 'cascade.campaign.state.change':
      return { subject: e.objectKey, state: String(b.state) };
    case 'cascade.campaign.module.state.change':
      return { subject: `${e.objectKey} ${String(b.name)} #${String(b.attempt)}`, state: String(b.state) };
    default:
      return undefined;
  }
}

/**
 * The outbox: no thing announces the same state twice in a row (doubled), and each thing's last
 * announced state is its state in the store (else one was lost); one result.new per stored CI result.
 */
async function checkEvents(prisma: PrismaClient, findings: Finding[]): Promise<number> {
  const events = await prisma.event.findMany({
    orderBy: { id: 'asc' },
    select: { topic: true, objectKey: true, body: true },
  });
  const last = new Map<string, string>();
  const results = new Map<string, number>();
  for (const e of events) {
    if (e.topic === 'resultsdb.result.new') results.set(e.objectKey, (results.get(e.objectKey) ?? 0) + 1);
    const said = subjectOf(e);
    if (!said) continue;
    if (last.get(said.subject) === said.state)
      findings.push({ kind: 'duplicated', what: `event ${e.topic} for ${said.subject}: ${said.state} twice in a row` });
    last.set(said.subject, said.state);
  }
  const expect = (subject: string, state: string, campaignId: string | undefined) => {
    const said = last.get(subject);
    if (said !== state)
      findings.push({
        kind: 'lost',
        what: `${subject} is ${state}; its last event says ${said ?? 'nothing'}`,
        campaignId,
      });
  };
  const builds = await prisma.moduleBuild.findMany({
    where: { campaignId: { not: null } },
    select: {
      id: true,
      nsvc: true,
      state: true,
      campaignId: true,
      components: { select: { name: true, state: true } },
    },
  });
  const stored = await prisma.ciResult.groupBy({ by: ['moduleBuildId'], _count: { _all: true } });
  const storedResults = new Map(stored.map((r) => [r.moduleBuildId, r._count._all]));
  for (const b of builds) {
    const key = `module-build/${b.nsvc}`;
    expect(key, b.state, b.campaignId!);
    for (const c of b.components) expect(`${key} ${c.name}`, c.state, b.campaignId!);
    const count = storedResults.get(b.id) ?? 0;
    if ((results.get(key) ?? 0) !== count)
      findings.push({
        kind: 'lost',
        what: `${key}: ${count} CI results, ${results.get(key) ?? 0} announced`,
        campaignId: b.campaignId!,
      });
  }
  const campaigns = await prisma.campaign.findMany({
    select: { id: true, state: true, modules: { select: { name: true, state: true, attempt: true } } },
  });
  for (const c of campaigns) {
    expect(`campaign/${c.id}`, c.state, c.id);
    for (const m of c.modules) expect(`campaign/${c.id} ${m.name} #${m.attempt}`, m.state, c.id);
  }
  return events.length;
}

/** Notifications: every campaign got the same kinds (none lost), none twice for one person. */
async function checkNotifications(prisma: PrismaClient, findings: Finding[]): Promise<void> {
  const rows = await prisma.notification.groupBy({ by: ['campaignId', 'kind', 'userId'], _count: { _all: true } });
  for (const r of rows)
    if (r._count._all > 1)
      findings.push({
        kind: 'duplicated',
        what: `${r._count._all} ${r.kind} notifications for one person`,
        campaignId: r.campaignId ?? undefined,
      });
  const kindsOf = new Map<string, Set<string>>();
  for (const r of rows)
    if (r.campaignId) kindsOf.set(r.campaignId, (kindsOf.get(r.campaignId) ?? new Set()).add(r.kind));
  const campaigns = await prisma.campaign.findMany({ select: { id: true } });
  const all = new Set([...kindsOf.values()].flatMap((s) => [...s]));
  for (const c of campaigns)
    for (const kind of all)
      if (!kindsOf.get(c.id)?.has(kind))
        findings.push({ kind: 'lost', what: `campaign ${c.id} has no ${kind} notification`, campaignId: c.id });
}

/** Each API write answered 2xx is in the store; each push git accepted is in branch history with its campaign. */
async function checkAcceptedWrites(input: CheckInput, findings: Finding[]): Promise<void> {
  const { prisma, accepted } = input;
  const tokens = await prisma.apiToken.findMany({ where: { id: { in: accepted.tokens } }, select: { id: true } });
  const found = new Set(tokens.map((t) => t.id));
  for (const id of accepted.tokens)
    if (!found.has(id)) findings.push({ kind: 'lost', what: `token ${id} was answered 201 but is not stored` });
  for (const { component, hash, startsCampaign } of accepted.pushes) {
    const moves = await prisma.branchRefMove.count({ where: { newHash: hash, repo: { name: component } } });
    if (moves !== 1)
      findings.push({
        kind: moves === 0 ? 'lost' : 'duplicated',
        what: `push ${component} ${hash.slice(0, 12)} recorded ${moves} times`,
      });
    if (!startsCampaign) continue;
    const campaigns = await prisma.campaign.count({ where: { changeKey: { contains: hash } } });
    if (campaigns !== 1)
      findings.push({
        kind: campaigns === 0 ? 'lost' : 'duplicated',
        what: `push ${hash.slice(0, 12)} started ${campaigns} campaigns`,
      });
  }
}

/**
 * Temporal: nothing left running, nothing failed, timed out or terminated on the harness's task queue;
 * each module build workflow's outcome is its build's state in the store.
 */
async function checkWorkflows(input: CheckInput, findings: Finding[]): Promise<void> {
  const states = new Map(
    (await input.prisma.moduleBuild.findMany({ select: { nsvc: true, state: true } })).map((b) => [b.nsvc, b.state]),
  );
  const listed = input.temporal.workflow.list({ query: `TaskQueue = '${input.taskQueue}'` });
  for await (const w of listed) {
    if (w.status.name !== 'COMPLETED') {
      findings.push({ kind: 'wrong', what: `workflow ${w.workflowId} (${w.type}) is ${w.status.name}` });
      continue;
    }
    if (w.type !== 'moduleBuild') continue;
    const outcome = (await input.temporal.workflow.getHandle(w.workflowId, w.runId).result()) as {
      nsvc: string;
      state: string;
    };
    if (states.get(outcome.nsvc) !== outcome.state)
      findings.push({
        kind: 'wrong',
        what: `module build ${outcome.nsvc}: the workflow says ${outcome.state}, the store ${states.get(outcome.nsvc) ?? 'nothing'}`,
      });
  }
}

/** The longest an activity of a campaign's workflow may hold it still before it is retried. */
export const CAMPAIGN_STALL_LIMIT_S = 30;

/**
 * A campaign's own activities (launches, actions) are short; one whose attempt was lost (its worker
 * killed, its connection to a killed PostgreSQL stuck) is retried only when its start-to-close limit
 * runs out, and meanwhile nothing launches. Each such wait longer than CAMPAIGN_STALL_LIMIT_S is a
 * finding, read from every run of every campaign workflow's history.
 */
export async function checkCampaignStalls(input: CheckInput, findings: Finding[]): Promise<void> {
  const runs = input.temporal.workflow.list({
    query: `TaskQueue = '${input.taskQueue}' AND WorkflowType = 'windowedRebuildCampaign'`,
  });
  for await (const run of runs) {
    const history = await input.temporal.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    const scheduled = new Map<string, { name: string; limitS: number }>();
    for (const e of history.events ?? []) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s)
        scheduled.set(String(e.eventId), {
          name: s.activityType?.name ?? '?',
          limitS: Number(s.startToCloseTimeout?.seconds ?? 0),
        });
      const started = e.activityTaskStartedEventAttributes;
      if (!started?.lastFailure?.message?.includes('StartToClose timeout')) continue;
      const activity = scheduled.get(String(started.scheduledEventId));
      if (!activity || activity.limitS <= CAMPAIGN_STALL_LIMIT_S) continue;
      const campaignId = run.workflowId.replace(/^campaign-/, '');
      findings.push({
        kind: 'stalled',
        what: `campaign ${campaignId}: ${activity.name} waited out its ${activity.limitS} s limit before its retry`,
        campaignId,
      });
    }
  }
}
