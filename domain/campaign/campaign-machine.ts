// The campaign's window as a small state machine: what a campaign workflow holds between store reads.
// The plan and every module's progress live in the store; this holds only what the next launches
// need — counts, the attempts in flight (bounded by the concurrency), the failed modules waiting for
// a person, the launches a person asked for, and the key of the next launch — so what it carries
// through continue-as-new stays small whatever the campaign's size. Pure: the workflow wires it to
// handlers, activities and the wait loop (workflows/campaign/windowed-rebuild-campaign.ts).
import type { CampaignAction, CampaignModuleState, CampaignState } from './vocabulary';

/** How an attempt gets its build (the same shape as the attempt workflow's input). */
export type CampaignAttemptMode =
  { kind: 'build'; rebuildAt: string } | { kind: 'adopt'; workflowId: string } | { kind: 'ci'; nsvc: string };

export interface InFlightAttempt {
  node: string;
  tier: number;
  attempt: number;
  state: 'building' | 'testing';
}

export interface FailedAttempt {
  node: string;
  tier: number;
  attempt: number;
  nsvc: string | null;
  failedStep: 'build' | 'ci' | null;
  reason: string | null;
  /** reminders sent about this failure */
  reminders: number;
}

/** An attempt a person asked for (retry, resume), started by the next launch. */
export interface Relaunch {
  node: string;
  tier: number;
  attempt: number;
  mode: CampaignAttemptMode;
}

export interface AttemptOutcome {
  node: string;
  attempt: number;
  outcome: 'passed' | 'failed' | 'cancelled';
  nsvc: string | null;
  failedStep: 'build' | 'ci' | null;
  reason: string | null;
}

export interface CampaignActionInput {
  action: CampaignAction;
  module?: string;
  actor: string;
  reason?: string;
  buildWorkflowId?: string;
  /** ISO time of the request: a rebuild it starts takes its version from it */
  at: string;
}

/** What continue-as-new carries: counts and bounded lists, never the plan. */
export interface CampaignCarry {
  state: CampaignState;
  tierCount: number;
  total: number;
  passed: number;
  skipped: number;
  cancelled: number;
  inFlight: InFlightAttempt[];
  failed: FailedAttempt[];
  relaunches: Relaunch[];
  /** failures not yet announced to their maintainers */
  unannounced: FailedAttempt[];
  /** launches made so far: the next launch's key, so a retried launch answers the same modules */
  launches: number;
  cancel: { actor: string; reason: string | null } | null;
  /**
   * reports of attempts not (yet) in flight: an attempt started by a launch may finish before the
   * launch's answer reaches the workflow; kept until the next launch is recorded, then dropped
   */
  early: AttemptOutcome[];
}

/** An action the campaign's state does not allow; the message says why, naming the module. */
export class CampaignActionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CampaignActionRefused';
  }
}

/** Early reports kept at most: a launch starts at most the concurrency's worth of attempts. */
const EARLY_LIMIT = 10_000;

const PAST = { resume: 'resumed', retry: 'retried', skip: 'skipped', cancel: 'cancelled' } as const;
const ENDED: ReadonlySet<CampaignState> = new Set(['finished', 'cancelled', 'failed']);
const SKIPPABLE: ReadonlySet<CampaignModuleState> = new Set(['failed', 'blocked', 'waiting']);

/** What an accepted action asks of the store and the next launch. */
export type ActionEffect =
  { kind: 'cancel' } | { kind: 'skip'; node: string } | { kind: 'relaunch'; relaunch: Relaunch };

export class CampaignMachine {
  private constructor(
    private readonly carried: CampaignCarry,
    private readonly concurrency: number,
  ) {}

  /** A campaign whose plan is recorded: every module waits in the store. */
  static planned(plan: { total: number; tierCount: number }, concurrency: number): CampaignMachine {
    return new CampaignMachine(
      {
        state: 'running',
        tierCount: plan.tierCount,
        total: plan.total,
        passed: 0,
        skipped: 0,
        cancelled: 0,
        inFlight: [],
        failed: [],
        relaunches: [],
        unannounced: [],
        launches: 0,
        cancel: null,
        early: [],
      },
      concurrency,
    );
  }

  /** The machine a previous run handed over through continue-as-new. */
  static resumed(carry: CampaignCarry, concurrency: number): CampaignMachine {
    return new CampaignMachine(structuredCopy(carry), concurrency);
  }

  /** Before the plan is recorded: every action is refused. */
  static planning(concurrency: number): CampaignMachine {
    const m = CampaignMachine.planned({ total: 0, tierCount: 0 }, concurrency);
    m.carried.state = 'planning';
    return m;
  }

  get state(): CampaignState {
    return this.carried.state;
  }

  get cancelRequest(): { actor: string; reason: string | null } | null {
    return this.carried.cancel;
  }

  /**
   * Whether the action fits the state, as far as the window knows: throws CampaignActionRefused, or
   * answers 'store' when the module is neither in flight nor failed and its stored state decides
   * (pass it as `stored` to check again), or 'ok'.
   */
  check(request: CampaignActionInput, stored?: CampaignModuleState | null): 'ok' | 'store' {
    const c = this.carried;
    if (c.state === 'planning') throw new CampaignActionRefused('the campaign is still planning');
    if (ENDED.has(c.state)) throw new CampaignActionRefused(`the campaign has ended (${c.state})`);
    if (request.action === 'cancel') return 'ok';
    if (c.cancel) throw new CampaignActionRefused('the campaign is being cancelled');
    const node = request.module;
    if (!node) throw new CampaignActionRefused(`${request.action} names a module (name:stream)`);
    const known = this.windowStateOf(node);
    const state = known ?? stored;
    if (state === undefined) return 'store';
    if (state === null) throw new CampaignActionRefused(`${node} is not part of this campaign`);
    if (request.action === 'skip') {
      if (SKIPPABLE.has(state)) return 'ok';
      throw new CampaignActionRefused(`${node} is ${state}: only a failed, blocked or waiting module can be skipped`);
    }
    if (state !== 'failed')
      throw new CampaignActionRefused(`${node} is ${state}: only a failed module can be ${PAST[request.action]}`);
    return 'ok';
  }

  /**
   * Applies an action check() allowed (with the same stored state). A skip of a module the window
   * does not know was applied to the store by the caller first, conditionally.
   */
  apply(request: CampaignActionInput, stored?: CampaignModuleState | null): ActionEffect {
    if (this.check(request, stored) === 'store') throw new Error('apply() needs the stored state of the module');
    const c = this.carried;
    if (request.action === 'cancel') {
      c.cancel = c.cancel ?? { actor: request.actor, reason: request.reason ?? null };
      return { kind: 'cancel' };
    }
    const node = request.module!;
    const failed = c.failed.find((f) => f.node === node);
    c.failed = c.failed.filter((f) => f.node !== node);
    c.unannounced = c.unannounced.filter((f) => f.node !== node);
    if (c.state === 'waiting') c.state = 'running';
    if (request.action === 'skip') {
      c.skipped += 1;
      return { kind: 'skip', node };
    }
    const relaunch: Relaunch = {
      node,
      tier: failed!.tier,
      attempt: failed!.attempt + 1,
      mode: relaunchMode(request, failed!),
    };
    c.relaunches.push(relaunch);
    return { kind: 'relaunch', relaunch };
  }

  /** Takes an attempt's outcome in; a report of an attempt not in flight (stale, repeated) changes nothing. */
  absorb(report: AttemptOutcome): boolean {
    const c = this.carried;
    const current = c.inFlight.find((a) => a.node === report.node && a.attempt === report.attempt);
    if (!current) {
      const known = c.early.some((e) => e.node === report.node && e.attempt === report.attempt);
      if (!known && c.early.length < EARLY_LIMIT) c.early.push(outcomeOf(report));
      return false;
    }
    c.inFlight = c.inFlight.filter((a) => a !== current);
    if (report.outcome === 'passed') c.passed += 1;
    else if (report.outcome === 'cancelled') c.cancelled += 1;
    else {
      const failed: FailedAttempt = {
        node: report.node,
        tier: current.tier,
        attempt: report.attempt,
        nsvc: report.nsvc,
        failedStep: report.failedStep,
        reason: report.reason,
        reminders: 0,
      };
      c.failed.push(failed);
      c.unannounced.push(failed);
    }
    return true;
  }

  /** The next launch: its key, the relaunches a person asked for, and how many new modules may start. */
  nextLaunch(): { key: number; relaunches: Relaunch[]; claim: number } | undefined {
    const c = this.carried;
    if (c.cancel || ENDED.has(c.state) || c.state === 'planning') return undefined;
    const free = this.concurrency - c.inFlight.length - c.relaunches.length;
    const claim = Math.max(0, free);
    if (claim === 0 && c.relaunches.length === 0) return undefined;
    return { key: c.launches, relaunches: [...c.relaunches], claim };
  }

  /**
   * The launch with this key started these attempts (the relaunches it was given and what it
   * claimed). Reports of them that came before are taken in now; answers how many.
   */
  launched(key: number, started: readonly InFlightAttempt[]): number {
    const c = this.carried;
    if (key !== c.launches) throw new Error(`launch ${key} is not the next one (${c.launches})`);
    c.launches += 1;
    const startedNodes = new Set(started.map((s) => s.node));
    c.relaunches = c.relaunches.filter((r) => !startedNodes.has(r.node));
    c.inFlight.push(...started.map((s) => ({ ...s })));
    const early = c.early;
    c.early = [];
    let absorbed = 0;
    for (const report of early) if (this.absorb(report)) absorbed += 1;
    // what is left reported an attempt no launch started (stale): dropped
    c.early = [];
    return absorbed;
  }

  /** Failures to announce to their maintainers, once each. */
  takeUnannounced(): FailedAttempt[] {
    const out = this.carried.unannounced;
    this.carried.unannounced = [];
    return out.map((f) => ({ ...f }));
  }

  /** The reminder timer fired: every failed module gets its next reminder. */
  remind(): FailedAttempt[] {
    for (const f of this.carried.failed) f.reminders += 1;
    return this.carried.failed.map((f) => ({ ...f }));
  }

  hasFailures(): boolean {
    return this.carried.failed.length > 0;
  }

  /**
   * After a launch: finished when every module passed or was skipped; waiting when nothing is in
   * flight or asked for and a failure waits for a person; running otherwise. Answers the new state.
   */
  settle(): CampaignState {
    const c = this.carried;
    if (ENDED.has(c.state) || c.state === 'planning') return c.state;
    if (c.passed + c.skipped >= c.total) c.state = 'finished';
    else if (c.inFlight.length === 0 && c.relaunches.length === 0 && c.failed.length > 0) c.state = 'waiting';
    else c.state = 'running';
    return c.state;
  }

  /** The cancel asked for was carried out: in-flight attempts cancelled, the rest marked so in the store. */
  cancelled(): { inFlight: InFlightAttempt[] } {
    const c = this.carried;
    const inFlight = c.inFlight;
    c.cancelled = c.total - c.passed - c.skipped;
    c.inFlight = [];
    c.failed = [];
    c.relaunches = [];
    c.unannounced = [];
    c.early = [];
    c.state = 'cancelled';
    return { inFlight };
  }

  /** Why the campaign waits, in words, for the store. */
  waitingReason(): string | null {
    const failed = this.carried.failed;
    if (failed.length === 0) return null;
    const named = failed.slice(0, 20).map((f) => f.node);
    return `waiting for a person: ${named.join(', ')}${failed.length > 20 ? ` and ${failed.length - 20} more` : ''} failed`;
  }

  counts(): { total: number; passed: number; skipped: number; cancelled: number; inFlight: number; failed: number } {
    const c = this.carried;
    return {
      total: c.total,
      passed: c.passed,
      skipped: c.skipped,
      cancelled: c.cancelled,
      inFlight: c.inFlight.length + c.relaunches.length,
      failed: c.failed.length,
    };
  }

  get tierCount(): number {
    return this.carried.tierCount;
  }

  /** The modules the window knows: in flight, asked for, failed. */
  windowModules(): { inFlight: InFlightAttempt[]; failed: FailedAttempt[] } {
    const c = this.carried;
    return {
      inFlight: [
        ...c.inFlight.map((a) => ({ ...a })),
        ...c.relaunches.map((r) => ({
          node: r.node,
          tier: r.tier,
          attempt: r.attempt,
          state: r.mode.kind === 'ci' ? ('testing' as const) : ('building' as const),
        })),
      ],
      failed: c.failed.map((f) => ({ ...f })),
    };
  }

  carry(): CampaignCarry {
    return structuredCopy(this.carried);
  }

  private windowStateOf(node: string): CampaignModuleState | undefined {
    const c = this.carried;
    const flying = c.inFlight.find((a) => a.node === node);
    if (flying) return flying.state;
    const asked = c.relaunches.find((r) => r.node === node);
    if (asked) return asked.mode.kind === 'ci' ? 'testing' : 'building';
    if (c.failed.some((f) => f.node === node)) return 'failed';
    return undefined;
  }
}

function relaunchMode(request: CampaignActionInput, failed: FailedAttempt): CampaignAttemptMode {
  if (request.action === 'resume' && request.buildWorkflowId)
    return { kind: 'adopt', workflowId: request.buildWorkflowId };
  if (request.action === 'retry' && failed.failedStep === 'ci' && failed.nsvc) return { kind: 'ci', nsvc: failed.nsvc };
  // A build of its own (a new NSVC): the fixed commit's time, or the request's when later.
  return { kind: 'build', rebuildAt: request.at };
}

function outcomeOf(r: AttemptOutcome): AttemptOutcome {
  return {
    node: r.node,
    attempt: r.attempt,
    outcome: r.outcome,
    nsvc: r.nsvc,
    failedStep: r.failedStep,
    reason: r.reason,
  };
}

function structuredCopy(carry: CampaignCarry): CampaignCarry {
  return {
    ...carry,
    early: carry.early.map(outcomeOf),
    inFlight: carry.inFlight.map((a) => ({ ...a })),
    failed: carry.failed.map((f) => ({ ...f })),
    relaunches: carry.relaunches.map((r) => ({ ...r, mode: { ...r.mode } })),
    unannounced: carry.unannounced.map((f) => ({ ...f })),
    cancel: carry.cancel ? { ...carry.cancel } : null,
  };
}
