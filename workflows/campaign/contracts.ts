// The campaign family's contract: the messages RebuildCampaign takes and answers, defined once and
// imported by the workflows (setHandler, the attempt's signal) and by their callers
// (clients/campaign-client.ts). Only Temporal's define* functions and types: safe to import outside
// a workflow. The Temporal names are part of recorded histories: never rename them.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  CampaignAction,
  CampaignProgressModule,
  CampaignState,
  RebuildStrategy,
  StateCounts,
} from '../../domain/campaign';

export type { CampaignProgressModule };

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

export interface CampaignProgress {
  campaignId: string;
  state: CampaignState;
  tierCount: number;
  counts: StateCounts;
  modules: CampaignProgressModule[];
  /** this run of the workflow: continue-as-new starts a new one */
  run: number;
  /**
   * the modules are only the window (in flight, failed) and the counts the window's: a windowed
   * campaign keeps the rest in the store, which GET /campaigns/:id/progress reads
   */
  windowOnly?: boolean;
}

/** A person's (or a push's) action; rejected by the workflow's validator when it does not fit the state. */
export const campaignActionUpdate = defineUpdate<CampaignActionAccepted, [CampaignActionRequest]>('campaignAction');

/** A module attempt's outcome, sent by the attempt workflow to the campaign's workflow id. */
export const campaignAttemptFinishedSignal = defineSignal<[AttemptReport]>('campaignAttemptFinished');

/** The live state, without reading the database. */
export const campaignProgressQuery = defineQuery<CampaignProgress>('campaignProgress');

// What a module attempt (campaign-module-attempt.ts) is started with: here, so the client that starts
// attempts and the activity that launches them need not import the workflow.
export type AttemptMode =
  /** build the branch head; an unchanged module takes its version from the campaign's trigger time */
  | { kind: 'build'; rebuildAt: string }
  /** a maintainer's build, started outside the campaign: wait for it, then test it */
  | { kind: 'adopt'; workflowId: string }
  /** the build is good, its CI was not: run CI again */
  | { kind: 'ci'; nsvc: string };

export interface ModuleAttemptInput {
  campaignId: string;
  node: string;
  attempt: number;
  mode: AttemptMode;
  strategy: RebuildStrategy;
  build: { concurrency: number; componentTimeoutMs: number };
  owner: string;
  /**
   * started by a windowed campaign's launch, which marked the module started in the store: the
   * attempt writes only its step and its outcome (absent in attempts of the campaigns before)
   */
  claimed?: boolean;
}
