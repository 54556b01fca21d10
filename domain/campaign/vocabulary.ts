// The rebuild campaign's vocabulary, shared by the API (validation), the workflows and the store.
import type { RelationFilter } from '../dependencies';
import type { RebuildStrategy } from '../module-build';

// A campaign rebuilds each module with one of the module build's strategies: one definition, there.
export { DEFAULT_REBUILD_STRATEGY, REBUILD_STRATEGY_NAMES, type RebuildStrategy } from '../module-build';

/**
 * planning: computing tiers; running: modules building or testing; waiting: nothing can move until a
 * person acts on a failed module; finished: every module passed or was skipped; cancelled; failed:
 * the plan could not be made.
 */
export const CAMPAIGN_STATES = ['planning', 'running', 'waiting', 'finished', 'cancelled', 'failed'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/**
 * waiting: its dependencies are not through yet; blocked: a dependency failed; building, testing;
 * passed: built and CI passed (or a maintainer's build adopted); failed: build or CI failed, a person
 * must act; skipped: a person chose to go on without it; cancelled.
 */
export const MODULE_STATES = [
  'waiting',
  'blocked',
  'building',
  'testing',
  'passed',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type CampaignModuleState = (typeof MODULE_STATES)[number];

/** What a person (or a push) may tell a campaign. */
export const CAMPAIGN_ACTIONS = ['resume', 'retry', 'skip', 'cancel'] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

export interface CampaignRequest {
  components: string[];
  modules: string[];
  branch: string;
  strategy: RebuildStrategy;
  /** which dependents are rebuilt: those that buildrequire the change (default), require it, or both */
  relation: RelationFilter;
  dryRun: boolean;
  reason?: string;
}

/** What a campaign workflow is started with: ids and a small record, never whole documents. */
export interface CampaignInput {
  campaignId: string;
  request: CampaignRequest;
  requestedBy: string;
  /** what the campaign was computed from; two triggers of the same change share it (and the campaign) */
  changeKey: string;
  /** ISO time of the trigger: module builds of unchanged modules take their version from it */
  triggeredAt: string;
}

export interface CampaignSettings {
  /** module attempts in flight at once */
  concurrency: number;
  reminderIntervalMs: number;
  build: { concurrency: number; componentTimeoutMs: number };
  /** a windowed campaign continues as new past this many events (default 3,000; tests set fewer) */
  continueAsNewAfterEvents?: number;
}

/** What starts a campaign workflow: the input and the settings of the deployment that started it. */
export interface CampaignStart extends CampaignInput {
  settings: CampaignSettings;
}

/** A module's state as the campaign's workflows write it to the store. */
export interface CampaignModuleUpdate {
  node: string;
  state: CampaignModuleState;
  attempt?: number;
  nsvc?: string | null;
  failedStep?: 'build' | 'ci' | null;
  /** what went wrong (failed), or why it was skipped or cancelled */
  failure?: string | null;
}

/** A module as a campaign's progress shows it: the workflow's query and the store's paged view alike. */
export interface CampaignProgressModule {
  node: string;
  tier: number;
  state: CampaignModuleState;
  attempt: number;
  nsvc: string | null;
  failedStep: 'build' | 'ci' | null;
  reason: string | null;
  /** failed modules below this blocked one */
  blockedBy?: string[];
}

/** What a CI verdict makes of a tested module: passed, or failed at CI with the verdict's summary. */
export function outcomeOfCi(verdict: { outcome: string; summary: string }): {
  outcome: 'passed' | 'failed';
  failedStep: 'ci' | null;
  reason: string | null;
} {
  return verdict.outcome === 'PASSED'
    ? { outcome: 'passed', failedStep: null, reason: null }
    : { outcome: 'failed', failedStep: 'ci', reason: verdict.summary };
}
