// The campaign API's answers as the CLI reads them, and how they are printed for people: the plan of
// a dry run, a campaign per tier, the tier lines of the live display, the blocking failures with the
// commands that act on them, and the list. Pure: text in, text out.
import type {
  CampaignAnswer,
  CampaignBlockingAnswer,
  CampaignListAnswer,
  CampaignModuleAnswer,
  CampaignStartedAnswer,
  DryRunAnswer,
} from '../api/routes/campaigns.schemas';
import { MODULE_STATES, type CampaignModuleState } from '../domain/campaign';

// The API's answers, typed from the zod schemas it is documented with (api/routes/campaigns.schemas.ts).
export type PlanView = DryRunAnswer;
export type StartedView = CampaignStartedAnswer;
export type CampaignModuleView = CampaignModuleAnswer;
export type BlockingView = CampaignBlockingAnswer;
export type CampaignView = CampaignAnswer;
export type CampaignListView = CampaignListAnswer;

/** One module as the live display needs it, from the workflow's query or from the store. */
export interface LiveModule {
  node: string;
  tier: number;
  state: CampaignModuleState;
  attempt: number;
  nsvc: string | null;
  failedStep: string | null;
  reason: string | null;
  blockedBy?: string[];
}

const BAR_WIDTH = 20;
/** Bar segments, in the order they are drawn: through, failed, cancelled, in flight, the rest. */
const SEGMENTS: { mark: string; states: string[] }[] = [
  { mark: '#', states: ['passed', 'skipped'] },
  { mark: '!', states: ['failed'] },
  { mark: 'x', states: ['cancelled'] },
  { mark: '~', states: ['building', 'testing'] },
  { mark: '.', states: ['waiting', 'blocked'] },
];

export function countsText(counts: Partial<Record<string, number>>): string {
  const parts = MODULE_STATES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${s} ${counts[s]}`);
  return parts.length > 0 ? parts.join('  ') : 'no modules';
}

function countOf(modules: readonly { state: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of modules) counts[m.state] = (counts[m.state] ?? 0) + 1;
  return counts;
}

export function bar(counts: Partial<Record<string, number>>, width = BAR_WIDTH): string {
  const total = totalOf(counts);
  if (total === 0) return '.'.repeat(width);
  let drawn = 0;
  let cumulative = 0;
  let out = '';
  for (const { mark, states } of SEGMENTS) {
    cumulative += states.reduce((n, s) => n + (counts[s] ?? 0), 0);
    const upTo = Math.round((width * cumulative) / total);
    out += mark.repeat(upTo - drawn);
    drawn = upTo;
  }
  return out;
}

function totalOf(counts: Partial<Record<string, number>>): number {
  return Object.values(counts).reduce((n: number, c) => n + (c ?? 0), 0);
}

/**
 * One line per tier: the bar, how many are through, the counts by state, and what needs eyes. The
 * counts are the tier's own when given (a large campaign's answer holds only a page of its modules).
 */
export function tierLine(
  tier: number,
  modules: readonly LiveModule[],
  counts: Partial<Record<string, number>> = countOf(modules),
): string {
  const done = (counts.passed ?? 0) + (counts.skipped ?? 0);
  const failed = modules.filter((m) => m.state === 'failed').map((m) => `${m.node} failed ${stepName(m.failedStep)}`);
  const active = modules.filter((m) => m.state === 'building' || m.state === 'testing').map((m) => m.node);
  const notes = [...failed, ...(active.length > 0 ? [`in flight: ${listSome(active, 4)}`] : [])];
  return (
    `tier ${tier}  [${bar(counts)}] ${String(done).padStart(3)}/${String(totalOf(counts)).padEnd(3)} ` +
    `${countsText(counts)}${notes.length > 0 ? `  — ${notes.join('; ')}` : ''}`
  );
}

/** The tier lines; from the tiers' own counts when the answer gives them. */
export function tierLines(
  modules: readonly LiveModule[],
  tiers?: readonly { tier: number; counts: Partial<Record<string, number>> }[],
): string[] {
  if (tiers)
    return tiers.map((t) =>
      tierLine(
        t.tier,
        modules.filter((m) => m.tier === t.tier),
        t.counts,
      ),
    );
  const numbers = [...new Set(modules.map((m) => m.tier))].sort((a, b) => a - b);
  return numbers.map((t) =>
    tierLine(
      t,
      modules.filter((m) => m.tier === t),
    ),
  );
}

export function stepName(step: string | null): string {
  return step === 'ci' ? 'CI' : step === 'build' ? 'the build' : (step ?? 'a step');
}

/** The failure without the NSVC it often starts with (CI names the item it tested), shown beside it already. */
export function failureText(nsvc: string | null, failure: string | null): string {
  if (!failure) return 'no reason given';
  return nsvc && failure.startsWith(`${nsvc}: `) ? failure.slice(nsvc.length + 2) : failure;
}

function listSome(items: readonly string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')}, … (${items.length} in all)` : items.join(', ');
}

export function renderPlan(plan: PlanView): string[] {
  const lines = [
    `dry run: ${plan.total} module(s) in ${plan.tiers.length} tier(s) would be rebuilt; nothing was started`,
  ];
  for (const t of plan.tiers) {
    lines.push(`tier ${t.tier}  (${t.count} module${t.count === 1 ? '' : 's'})`);
    for (const m of t.modules) {
      const marks = [m.changed ? 'changed' : '', m.cycle ? 'in a cycle' : ''].filter(Boolean).join(', ');
      lines.push(`  ${m.module.padEnd(28)} ${marks ? `[${marks}] ` : ''}${m.reason}`);
      lines.push(`  ${''.padEnd(28)} path: ${m.path.join(' → ')}`);
    }
  }
  for (const cycle of plan.cycles) lines.push(`cycle: ${cycle.join(' → ')} (built together in one tier)`);
  return lines;
}

function canActText(canAct: readonly string[]): string {
  const people = canAct.filter((c) => !c.startsWith('role:'));
  const roles = canAct.filter((c) => c.startsWith('role:')).map((c) => `any ${c.slice('role:'.length)}`);
  return [...people, ...roles].join(', ') || 'no one is recorded';
}

/** A failed module: what failed, what it holds up, who may act, and the commands that act. */
export function renderBlocking(campaignId: string, b: BlockingView, blockedNames: readonly string[] = []): string[] {
  const names = blockedNames.length === b.blocks ? `: ${listSome(blockedNames, 10)}` : '';
  const held = b.blocks > 0 ? `blocks ${b.blocks} module(s)${names}` : 'blocks nothing else';
  const retry =
    b.failedStep === 'ci' ? 'run CI again on the same build' : 'build it again (a new NSVC) from the branch head';
  return [
    `  ${b.module} failed ${stepName(b.failedStep)}${b.nsvc ? ` (${b.nsvc})` : ''}: ${failureText(b.nsvc, b.failure)}`,
    `    ${held}; can act: ${canActText(b.canAct)}`,
    `    cascade campaign resume ${campaignId} --module ${b.module}   # build the fixed branch head (or --build <module build workflow id> to adopt one)`,
    `    cascade campaign retry ${campaignId} --module ${b.module}    # ${retry}`,
    `    cascade campaign skip ${campaignId} --module ${b.module} --reason TEXT   # go on without it`,
  ];
}

export function renderCampaign(c: CampaignView): string[] {
  const trigger = c.trigger ?? {};
  const changed = [
    ...(trigger.components ?? []).map((n) => `rpms/${n}`),
    ...(trigger.modules ?? []).map((n) => `modules/${n}`),
  ];
  const lines = [
    `campaign ${c.id}  (workflow ${c.workflowId})`,
    `  state     ${c.state}${c.stateReason ? ` — ${c.stateReason}` : ''}`,
    `  change    ${changed.join(', ') || '-'} on ${c.branch ?? '-'}${trigger.reason ? ` — ${trigger.reason}` : ''}`,
    `  strategy  ${c.strategy ?? '-'}   relation ${c.relation ?? '-'}   tiers ${c.tierCount ?? c.tiers.length}`,
    `  by        ${c.createdBy ?? '-'} at ${c.createdAt ?? '-'}${c.finishedAt ? `, ended ${c.finishedAt}` : ''}`,
    `  counts    ${countsText(c.counts ?? {})}`,
  ];
  for (const t of c.tiers) {
    lines.push(`tier ${t.tier}`);
    for (const m of t.modules) {
      const attempt = m.attempt > 0 ? `#${m.attempt}` : '-';
      const why =
        m.state === 'failed' ? `failed ${stepName(m.failedStep)}: ${failureText(m.nsvc, m.failure)}` : m.reason;
      const note = (m.state === 'skipped' || m.state === 'cancelled') && m.failure ? ` (${m.failure})` : '';
      lines.push(
        `  ${m.module.padEnd(24)} ${m.state.padEnd(9)} ${attempt.padEnd(3)} ${(m.nsvc ?? '-').padEnd(44)} ${why ?? ''}${note}`,
      );
    }
  }
  if (c.blocking.length > 0) {
    lines.push('blocking failures');
    for (const b of c.blocking) lines.push(...renderBlocking(c.id, b, blockedBehind(c, b.module)));
  }
  if (c.actions.length > 0) {
    lines.push('actions');
    for (const a of c.actions)
      lines.push(
        `  ${a.at}  ${a.action.padEnd(7)} ${(a.module ?? '(campaign)').padEnd(24)} by ${a.actor}${a.reason ? ` — ${a.reason}` : ''}`,
      );
  }
  return lines;
}

/** The blocked modules downstream of a failure, from the stored paths (the store has no blockedBy). */
function blockedBehind(c: CampaignView, failed: string): string[] {
  return c.tiers.flatMap((t) =>
    t.modules.filter((m) => m.state === 'blocked' && m.path.includes(failed)).map((m) => m.module),
  );
}

export function renderList(list: CampaignListView): string[] {
  if (list.items.length === 0) return ['no campaigns'];
  const lines = list.items.map((c) => {
    const changed = [...(c.trigger?.components ?? []), ...(c.trigger?.modules ?? [])].join(',') || '-';
    return `${c.id.padEnd(26)} ${c.state.padEnd(10)} ${(c.branch ?? '-').padEnd(8)} ${changed.padEnd(20)} ${(c.createdBy ?? '-').padEnd(12)} ${c.createdAt}  ${c.tierCount ?? '-'} tier(s)  ${countsText(c.counts)}`;
  });
  if (list.nextCursor) lines.push(`more: --cursor ${list.nextCursor}`);
  return lines;
}
