// The messages a campaign workflow takes and answers, by name, so the API and the activities can
// address it with a Temporal client without importing workflow code.
import type { CampaignAction, CampaignModuleState, CampaignState } from './vocabulary';
import type { StateCounts } from './schedule';

export const CAMPAIGN_MESSAGES = {
  /** update: a person's (or a push's) action; rejected by its validator when it does not fit the state */
  action: 'campaignAction',
  /** signal: a module attempt's outcome, sent by the attempt workflow to the campaign's workflow id */
  attemptFinished: 'campaignAttemptFinished',
  /** query: the live state, without reading the database */
  progress: 'campaignProgress',
} as const;

export interface CampaignActionRequest {
  action: CampaignAction;
  /** name:stream; absent only for cancel (the whole campaign) */
  module?: string;
  actor: string;
  reason?: string;
  /** resume: adopt this module build (its workflow id) instead of building the branch head */
  buildWorkflowId?: string;
  /** unique per request: the action is recorded once even when retried */
  actionKey: string;
  /** ISO time of the request: a rebuild it starts takes its version from it (a new NSVC per attempt) */
  at: string;
}

export interface CampaignActionAccepted {
  action: CampaignAction;
  module: string | null;
  /** the attempt the action started, for retry and resume */
  attempt: number | null;
}

export interface AttemptReport {
  node: string;
  attempt: number;
  outcome: 'passed' | 'failed' | 'cancelled';
  nsvc: string | null;
  failedStep: 'build' | 'ci' | null;
  reason: string | null;
  /** the build was a maintainer's (adopted), not started by the campaign */
  adopted: boolean;
}

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

export interface CampaignProgress {
  campaignId: string;
  state: CampaignState;
  tierCount: number;
  counts: StateCounts;
  modules: CampaignProgressModule[];
  /** this run of the workflow: continue-as-new starts a new one */
  run: number;
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
