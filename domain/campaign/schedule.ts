// The campaign's schedule, as pure functions over its modules' states: which module may start now,
// which are blocked by a failure below them, what counts to show, and whether the campaign is done.
// A module starts once every dependency it has inside the campaign passed (or was skipped): a
// failure blocks only what depends on it, and the rest of the campaign goes on.
import type { CampaignModuleState } from './vocabulary';

export interface ScheduledModule {
  node: string;
  tier: number;
  /** indices (into the campaign's module list) of the dependencies it waits for */
  dependsOn: number[];
  state: CampaignModuleState;
  attempt: number;
  nsvc: string | null;
  failedStep: 'build' | 'ci' | null;
  reason: string | null;
}

const THROUGH: ReadonlySet<CampaignModuleState> = new Set(['passed', 'skipped']);
const ACTIVE: ReadonlySet<CampaignModuleState> = new Set(['building', 'testing']);
const FINAL: ReadonlySet<CampaignModuleState> = new Set(['passed', 'skipped', 'cancelled']);

export function isThrough(state: CampaignModuleState): boolean {
  return THROUGH.has(state);
}

export function isActive(state: CampaignModuleState): boolean {
  return ACTIVE.has(state);
}

/**
 * Re-derives waiting/blocked for modules that have not started: blocked when some dependency failed
 * or is blocked, waiting otherwise. Modules are ordered by tier and dependencies sit in lower
 * tiers, so one pass in order sees every dependency's final word. Returns the indices that changed.
 */
export function refreshBlocked(modules: ScheduledModule[]): number[] {
  const changed: number[] = [];
  for (const [i, m] of modules.entries()) {
    if (m.state !== 'waiting' && m.state !== 'blocked') continue;
    const blocked = m.dependsOn.some((d) => {
      const state = modules[d]!.state;
      return state === 'failed' || state === 'blocked' || state === 'cancelled';
    });
    const next = blocked ? 'blocked' : 'waiting';
    if (next !== m.state) {
      m.state = next;
      changed.push(i);
    }
  }
  return changed;
}

/** Waiting modules whose dependencies are all through, lowest tier first, at most `slots` of them. */
export function readyToStart(modules: readonly ScheduledModule[], slots: number): number[] {
  const ready: number[] = [];
  for (const [i, m] of modules.entries()) {
    if (ready.length >= slots) break;
    if (m.state !== 'waiting') continue;
    if (m.dependsOn.every((d) => isThrough(modules[d]!.state))) ready.push(i);
  }
  return ready;
}

export function activeCount(modules: readonly ScheduledModule[]): number {
  let n = 0;
  for (const m of modules) if (ACTIVE.has(m.state)) n += 1;
  return n;
}

/** Every module passed, was skipped or cancelled: nothing is left to do. */
export function isSettled(modules: readonly ScheduledModule[]): boolean {
  return modules.every((m) => FINAL.has(m.state));
}

/** Failed modules: what a person must act on before the campaign can finish. */
export function failedModules(modules: readonly ScheduledModule[]): number[] {
  const out: number[] = [];
  for (const [i, m] of modules.entries()) if (m.state === 'failed') out.push(i);
  return out;
}

/** The failed modules below a blocked one (transitively): who must act to release it. */
export function blockingFailures(modules: readonly ScheduledModule[], index: number): number[] {
  const seen = new Set<number>();
  const found = new Set<number>();
  const queue = [...modules[index]!.dependsOn];
  while (queue.length > 0) {
    const d = queue.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    const m = modules[d]!;
    if (m.state === 'failed') found.add(d);
    else if (m.state === 'blocked') queue.push(...m.dependsOn);
  }
  return [...found].sort((a, b) => a - b);
}

export type StateCounts = Record<CampaignModuleState, number>;

export function countStates(modules: readonly ScheduledModule[]): StateCounts {
  const counts: StateCounts = {
    waiting: 0,
    blocked: 0,
    building: 0,
    testing: 0,
    passed: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
  };
  for (const m of modules) counts[m.state] += 1;
  return counts;
}
