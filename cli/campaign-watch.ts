// `cascade campaign watch`: follows a campaign from the workflow's live query (GET /progress, about
// once a second), falling back to the stored campaign once the workflow has ended, and stops when the
// campaign ends or waits for a person. On a terminal the tier lines are redrawn in place; otherwise
// (a pipe, a log, CI) each line that changed is printed once, with the time.
import { splitModuleStreamKey } from '../domain/dependencies';
import type { CampaignProgressAnswerBody } from '../api/routes/campaigns.schemas';
import { ApiClientError, type ApiClient } from './api-client';
import { readTolerating } from './transient-reads';
import {
  countsText,
  renderBlocking,
  tierLines,
  type BlockingView,
  type CampaignView,
  type LiveModule,
} from './campaign-views';

/** Exit codes of `watch`: finished, ended otherwise (failed, cancelled), waiting for a person. */
export const WATCH_EXIT = { finished: 0, ended: 1, waiting: 2 } as const;

interface Snapshot {
  state: string;
  modules: LiveModule[];
  /** the whole campaign's counts and each tier's, when the answer pages its modules */
  counts?: Partial<Record<string, number>>;
  tiers?: { tier: number; counts: Partial<Record<string, number>> }[];
  /** the body as the API answered it, for --json */
  raw: unknown;
}

const POLL_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const campaignPath = (id: string) => `/api/v1/campaigns/${encodeURIComponent(id)}`;

function modulesOfStored(c: CampaignView): LiveModule[] {
  return c.tiers.flatMap((t) =>
    t.modules.map((m) => ({
      node: m.module,
      tier: m.tier,
      state: m.state,
      attempt: m.attempt,
      nsvc: m.nsvc,
      failedStep: m.failedStep,
      reason: m.state === 'failed' ? m.failure : m.reason,
    })),
  );
}

/** The live state while the workflow runs; the stored one once it has ended (the query answers 404). */
async function readSnapshot(api: ApiClient, id: string): Promise<Snapshot> {
  try {
    const p = await api.request<CampaignProgressAnswerBody>('GET', `${campaignPath(id)}/progress`);
    // The page of each tier, and every module in flight or failed (the workflow's window) wherever it is.
    const byNode = new Map([...p.modules, ...(p.window ?? [])].map((m) => [m.node, m]));
    return { state: p.state, modules: [...byNode.values()], counts: p.counts, tiers: p.tiers, raw: p };
  } catch (err) {
    if (!(err instanceof ApiClientError) || err.status !== 404) throw err;
  }
  const c = await api.request<CampaignView>('GET', campaignPath(id));
  const tiers = c.tiers.map((t) => ({ tier: t.tier, counts: t.counts ?? {} }));
  return { state: c.state, modules: modulesOfStored(c), counts: c.counts, tiers, raw: c };
}

/** The campaign's counts: the answer's own, or counted from its modules (a stored campaign's page). */
function countsOf(s: Snapshot): Partial<Record<string, number>> {
  if (s.counts) return s.counts;
  const counts: Record<string, number> = {};
  for (const m of s.modules) counts[m.state] = (counts[m.state] ?? 0) + 1;
  return counts;
}

const isActive = (m: LiveModule) => m.state === 'building' || m.state === 'testing';

/**
 * When the watch stops. `waiting` counts only when a module failed and nothing is in flight, as the
 * workflow decides it: right after a person's action the query may still say waiting for a moment.
 */
function outcomeOf(s: Snapshot): keyof typeof WATCH_EXIT | undefined {
  if (s.state === 'finished') return 'finished';
  if (s.state === 'cancelled' || s.state === 'failed') return 'ended';
  if (s.state === 'waiting' && s.modules.some((m) => m.state === 'failed') && !s.modules.some(isActive))
    return 'waiting';
  return undefined;
}

export class LiveDisplay {
  private drawn = 0;
  private last = new Map<string, string>();
  private readonly started = Date.now();

  constructor(private readonly out: NodeJS.WriteStream) {}

  private get tty(): boolean {
    return Boolean(this.out.isTTY);
  }

  show(header: string, lines: string[]): void {
    if (this.tty) return this.redraw(header, lines);
    // One line per change, keyed by what it describes (the header, or a tier by its first word pair).
    const time = new Date().toISOString().slice(11, 19);
    for (const line of [header, ...lines]) {
      const key = line.startsWith('tier ') ? line.split(' ', 2).join(' ') : 'header';
      if (this.last.get(key) === line) continue;
      this.last.set(key, line);
      this.out.write(`${time}  ${line}\n`);
    }
  }

  private redraw(header: string, lines: string[]): void {
    const width = Math.max(40, (this.out.columns ?? 120) - 1);
    const elapsed = Math.round((Date.now() - this.started) / 1000);
    const block = [`${header}  (${elapsed} s)`, ...lines].map((l) =>
      l.length > width ? l.slice(0, width - 1) + '…' : l,
    );
    const erase = this.drawn > 0 ? `\x1b[${this.drawn}A\x1b[0J` : '';
    this.out.write(erase + block.join('\n') + '\n');
    this.drawn = block.length;
  }
}

/** The stored campaign once it shows every failed module of the live state among its blocking ones. */
async function storedAgreeing(api: ApiClient, id: string, failed: readonly string[]): Promise<CampaignView> {
  for (let tries = 0; ; tries += 1) {
    const c = await api.request<CampaignView>('GET', campaignPath(id));
    const known = new Set(c.blocking.map((b) => b.module));
    if (failed.every((f) => known.has(f)) || tries >= 10) return c;
    await sleep(500);
  }
}

function printWaiting(id: string, s: Snapshot, stored: CampaignView): void {
  const failed = s.modules.filter((m) => m.state === 'failed');
  const reason =
    stored.state === 'waiting' && stored.stateReason
      ? stored.stateReason
      : `waiting for a person: ${failed.map((m) => m.node).join(', ')} failed`;
  console.log(`campaign ${id} is waiting for a person (${reason})`);
  console.log('blocking failures:');
  for (const m of failed) {
    const blockedNames = s.modules.filter((b) => b.blockedBy?.includes(m.node)).map((b) => b.node);
    const known = stored.blocking.find((b) => b.module === m.node);
    const view: BlockingView = {
      module: m.node,
      failedStep: m.failedStep,
      failure: m.reason ?? known?.failure ?? null,
      nsvc: m.nsvc,
      blocks: s.modules.some((b) => b.blockedBy) ? blockedNames.length : (known?.blocks ?? 0),
      canAct: known?.canAct ?? [`maintainers of modules/${splitModuleStreamKey(m.node).name}`, 'role:release-engineer'],
    };
    for (const line of renderBlocking(id, view, blockedNames)) console.log(line);
  }
}

/** Follows the campaign; answers the exit code (WATCH_EXIT). */
export async function watchCampaign(api: ApiClient, id: string, options: { json: boolean }): Promise<number> {
  const display = new LiveDisplay(process.stdout);
  let lastJson = '';
  for (;;) {
    const s = await readTolerating(() => readSnapshot(api, id));
    const outcome = outcomeOf(s);
    if (options.json) {
      const text = JSON.stringify(s.raw);
      if (text !== lastJson) console.log(text);
      lastJson = text;
    } else {
      const counts = countsOf(s);
      const total = Object.values(counts).reduce((n: number, c) => n + (c ?? 0), 0);
      const through = (counts.passed ?? 0) + (counts.skipped ?? 0);
      const progress = total > 0 ? `  ${through}/${total} through` : '';
      display.show(`campaign ${id}  ${s.state}${progress}`, tierLines(s.modules, s.tiers));
    }
    if (outcome) return finish(api, id, s, outcome, options.json);
    await sleep(POLL_MS);
  }
}

async function finish(
  api: ApiClient,
  id: string,
  s: Snapshot,
  outcome: keyof typeof WATCH_EXIT,
  json: boolean,
): Promise<number> {
  const failed = outcome === 'waiting' ? s.modules.filter((m) => m.state === 'failed').map((m) => m.node) : [];
  const stored = await storedAgreeing(api, id, failed);
  if (json) {
    console.log(JSON.stringify(stored));
  } else if (outcome === 'waiting') {
    printWaiting(id, s, stored);
  } else {
    const counts = countsOf(s);
    const reason = stored.state === s.state && stored.stateReason ? ` — ${stored.stateReason}` : '';
    console.log(`campaign ${id} ${s.state}${reason}: ${countsText(counts)}`);
  }
  return WATCH_EXIT[outcome];
}
