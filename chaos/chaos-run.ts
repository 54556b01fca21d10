// One chaos run of one deployment: start it, push a change of the changed component (a campaign over
// every module), and while campaigns run, SIGKILL one process at a time at seeded random moments and
// start it again; push again whenever a campaign ends and kills are left. Then let everything finish,
// stop, and check (chaos-checks.ts). Recovery of a kill: from the SIGKILL until the process serves
// again and the outbox shows work written after that (or, when no campaign runs, until it serves).
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { seededRandom } from '../domain/seeded-random';
import { checkRun, type CheckReport, type Finding } from './chaos-checks';
import { KILLABLE, prepareDeployment, type ChaosMode, type Deployment, type DeploymentOptions } from './chaos-modes';
import type { ProcessKind } from './chaos-processes';
import { ComponentPusher, EventFollower, RequestStream, type AcceptedWrites } from './chaos-traffic';
import { CHANGED_COMPONENT, CHAOS_BRANCH, SIDE_COMPONENT } from './chaos-distribution';
import { CHAOS_RELEASE, composeState, defineChaosRelease, startChaosCompose } from './chaos-compose';
import { readCampaignView, WaitingCampaign } from './chaos-person';

export interface KillRecord {
  mode: ChaosMode;
  kind: ProcessKind;
  campaign: number;
  /** what the kill fell during: a campaign or a compose */
  during: 'campaign' | 'compose';
  /** a real rpmbuild task was running when it fell */
  midRpmbuild: boolean;
  recovered: boolean;
  recoveryMs?: number;
}

export interface ModeResult {
  mode: ChaosMode;
  kills: KillRecord[];
  report: CheckReport;
  accepted: AcceptedWrites;
  /** composes the API accepted */
  composes: string[];
  /** findings per campaign round: the kinds killed in it are charged with them */
  killedIn: Map<string, Set<ProcessKind>>;
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CAMPAIGN_LIMIT_MS = 20 * 60_000;
const RECOVERY_LIMIT_MS = 300_000;

/** `count` kinds, as evenly spread over `kinds` as it divides, in a seeded order. */
export function killSchedule(kinds: ProcessKind[], count: number, random: () => number): ProcessKind[] {
  const schedule = Array.from({ length: count }, (_, i) => kinds[i % kinds.length]!);
  for (let i = schedule.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [schedule[i], schedule[j]] = [schedule[j]!, schedule[i]!];
  }
  return schedule;
}

interface CampaignRow {
  id: string;
  state: string;
}

async function campaigns(apiUrl: string): Promise<CampaignRow[] | undefined> {
  try {
    const res = await fetch(`${apiUrl}/api/v1/campaigns?limit=200`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return undefined;
    return ((await res.json()) as { items: CampaignRow[] }).items;
  } catch {
    return undefined;
  }
}

export async function runMode(
  options: DeploymentOptions & {
    kills: number;
    seed: number;
    gapMs: [number, number];
    log: (line: string) => void;
    /** no kill starts after this time (ms since the epoch): the run then lets its campaign end and checks */
    killsUntil?: number;
    /** how long a campaign may take before it counts as stuck (default 20) */
    campaignMinutes?: number;
  },
): Promise<ModeResult> {
  const began = Date.now();
  const random = seededRandom(options.seed);
  const deployment = await prepareDeployment(options);
  for (const p of deployment.processes) if (!p.alive()) await p.start();
  const accepted: AcceptedWrites = { tokens: [], pushes: [], refused: 0 };
  const follower = new EventFollower(deployment.apiUrl);
  const pusherOf = (name: string) =>
    new ComponentPusher(name, deployment.distGit.repoPath({ namespace: 'rpms', name }), `${deployment.dir}/work`);
  const pusher = pusherOf(CHANGED_COMPONENT);
  const requests = new RequestStream(
    deployment.apiUrl,
    deployment.adminToken,
    random,
    accepted,
    pusherOf(SIDE_COMPONENT),
  );
  follower.start();
  requests.start();
  const schedule = killSchedule(KILLABLE[options.mode], options.kills, random);
  const kills: KillRecord[] = [];
  const killedIn = new Map<string, Set<ProcessKind>>();
  const seen = new Set<string>();
  const stuck: Finding[] = [];
  const limitMs = (options.campaignMinutes ?? CAMPAIGN_LIMIT_MS / 60_000) * 60_000;
  const composes: string[] = [];
  const total = options.distribution.modules.length;
  const failing = options.failingModules.map((m) => `${m}:${CHAOS_BRANCH}`);
  let round = 0;
  let killed = new Set<ProcessKind>();
  let nextKillAt = Date.now() + gap(options.gapMs, random);
  const killsLeft = () =>
    stuck.length === 0 && kills.length < schedule.length && Date.now() < (options.killsUntil ?? Infinity);
  /** Kills at seeded moments until `ended` says so; false (and a finding) when that takes too long. */
  const killUntil = async (what: string, ended: () => Promise<boolean>, campaignId?: string): Promise<boolean> => {
    const deadline = Date.now() + limitMs;
    for (;;) {
      if (await ended()) return true;
      if (Date.now() > deadline) {
        // Stuck: no more kills; the checks say what did not end.
        stuck.push({ kind: 'wrong', what: `${what} did not end within ${limitMs / 60_000} min`, campaignId });
        options.log(`${options.mode}: ${what} did not end within ${limitMs / 60_000} min`);
        return false;
      }
      if (killsLeft() && Date.now() >= nextKillAt) {
        const kind = schedule[kills.length]!;
        killed.add(kind);
        const midRpmbuild = rpmbuildRunning(deployment.kojiRoot);
        const record = await killAndRecover(deployment, kind, follower, random);
        kills.push({
          ...record,
          campaign: round,
          during: what.startsWith('compose') ? 'compose' : 'campaign',
          midRpmbuild,
        });
        options.log(
          `${options.mode}: kill ${kills.length}/${schedule.length} ${kind} (${what}): ${record.recovered ? `recovered in ${((record.recoveryMs ?? 0) / 1000).toFixed(1)} s` : 'NOT recovered'}`,
        );
        nextKillAt = Date.now() + gap(options.gapMs, random);
      }
      await sleep(250);
    }
  };
  try {
    if (options.compose)
      await defineChaosRelease(deployment.apiUrl, deployment.adminToken, options.realModules, CHAOS_BRANCH);
    while (round === 0 || killsLeft()) {
      round += 1;
      accepted.pushes.push(pusher.push());
      const campaignId = await newCampaign(deployment.apiUrl, seen);
      killed = new Set<ProcessKind>();
      killedIn.set(campaignId, killed);
      options.log(`${options.mode}: round ${round}, campaign ${campaignId}`);
      const person = new WaitingCampaign(campaignId, failing, total, gap(options.gapMs, random) * 2);
      const campaignEnded = await killUntil(
        `campaign ${campaignId}`,
        async () => {
          const view = await readCampaignView(deployment.apiUrl, campaignId);
          if (!view || view.state === 'running' || view.state === 'planning') return false;
          if (view.state !== 'waiting') return true;
          const wrong = await person.onWaiting(view, deployment.apiUrl, deployment.adminToken);
          if (!wrong) return false;
          stuck.push(wrong);
          options.log(`${options.mode}: ${wrong.what}`);
          return true;
        },
        campaignId,
      );
      const lostFailure = person.finding();
      if (lostFailure) stuck.push(lostFailure);
      if (!campaignEnded || !options.compose || stuck.length > 0) continue;
      const composeId = await startChaosCompose(deployment.apiUrl, deployment.adminToken, RECOVERY_LIMIT_MS);
      if (!composeId) {
        stuck.push({ kind: 'lost', what: `the API never accepted a compose of ${CHAOS_RELEASE}` });
        continue;
      }
      composes.push(composeId);
      options.log(`${options.mode}: round ${round}, compose ${composeId}`);
      await killUntil(`compose ${composeId}`, async () => {
        const state = await composeState(deployment.apiUrl, composeId);
        return Boolean(state && state.status !== 'STARTED' && (state.published || state.status !== 'FINISHED'));
      });
    }
    await requests.stop();
    if (stuck.length === 0) await quiesce(deployment, limitMs);
    await follower.stop();
    const report = await checkDeployment(deployment, accepted, total, failing, composes);
    report.findings.unshift(...stuck);
    return { mode: options.mode, kills, report, accepted, composes, killedIn, seconds: (Date.now() - began) / 1000 };
  } finally {
    await requests.stop();
    await follower.stop();
    for (const p of [...deployment.processes].reverse()) await p.stop().catch(() => undefined);
  }
}

/** Whether one of LocalKoji's real build tasks is running (a zero-cost one never shows as running). */
function rpmbuildRunning(kojiRoot: string): boolean {
  const tasks = path.join(kojiRoot, 'tasks');
  if (!fs.existsSync(tasks)) return false;
  return fs.readdirSync(tasks).some((task) => {
    try {
      const status = JSON.parse(fs.readFileSync(path.join(tasks, task, 'status.json'), 'utf8')) as { state: string };
      return status.state === 'running';
    } catch {
      return false; // being written
    }
  });
}

function gap([min, max]: [number, number], random: () => number): number {
  return min + random() * (max - min);
}

async function newCampaign(apiUrl: string, seen: Set<string>): Promise<string> {
  const deadline = Date.now() + RECOVERY_LIMIT_MS;
  for (;;) {
    const fresh = (await campaigns(apiUrl))?.find((c) => !seen.has(c.id));
    if (fresh) {
      seen.add(fresh.id);
      return fresh.id;
    }
    if (Date.now() > deadline) throw new Error('the push started no campaign');
    await sleep(250);
  }
}

async function killAndRecover(
  deployment: Deployment,
  kind: ProcessKind,
  follower: EventFollower,
  random: () => number,
): Promise<Omit<KillRecord, 'campaign' | 'during' | 'midRpmbuild'>> {
  const target = deployment.processes.find((p) => p.kind === kind)!;
  const killedAt = Date.now();
  await target.kill();
  await sleep(random() * 1000);
  for (let tries = 1; ; tries += 1) {
    try {
      await target.start();
      break;
    } catch {
      if (tries === 3) return { mode: deployment.mode, kind, recovered: false };
      await sleep(2000);
    }
  }
  const servingAt = Date.now();
  const deadline = servingAt + RECOVERY_LIMIT_MS;
  while (Date.now() < deadline) {
    const progress = follower.firstSince(servingAt);
    if (progress !== undefined)
      return { mode: deployment.mode, kind, recovered: true, recoveryMs: Math.max(progress, servingAt) - killedAt };
    const list = await campaigns(deployment.apiUrl);
    if (list && list.every((c) => c.state !== 'running' && c.state !== 'planning'))
      return { mode: deployment.mode, kind, recovered: true, recoveryMs: servingAt - killedAt };
    await sleep(250);
  }
  return { mode: deployment.mode, kind, recovered: false };
}

/** Waits until no workflow runs on the harness's task queue (every push, campaign and build ended). */
async function quiesce(deployment: Deployment, limitMs: number): Promise<void> {
  const connection = await Connection.connect({ address: deployment.temporalAddress });
  try {
    const client = new Client({ connection });
    const deadline = Date.now() + limitMs;
    for (;;) {
      const running = await client.workflow.count(
        `TaskQueue = '${deployment.taskQueue}' AND ExecutionStatus = 'Running'`,
      );
      if (running.count === 0) return;
      if (Date.now() > deadline) return; // the checks name what still runs
      await sleep(500);
    }
  } finally {
    await connection.close();
  }
}

async function checkDeployment(
  deployment: Deployment,
  accepted: AcceptedWrites,
  modules: number,
  failing: string[],
  composes: string[],
): Promise<CheckReport> {
  const release = await deployment.beforeChecks?.();
  try {
    const connection = await Connection.connect({ address: deployment.temporalAddress });
    const db = await deployment.openStore();
    try {
      return await checkRun({
        prisma: db.prisma,
        temporal: new Client({ connection }),
        taskQueue: deployment.taskQueue,
        kojiRoot: deployment.kojiRoot,
        accepted,
        modulesPerCampaign: modules,
        failingModules: failing,
        mirrorRoot: deployment.mirrorRoot,
        composes,
      });
    } finally {
      await db.close();
      await connection.close();
    }
  } finally {
    await release?.();
  }
}
