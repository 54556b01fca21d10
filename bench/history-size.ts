// What the campaign bench measures of one workflow run's history. Its own file so that the report
// (campaign-report.ts) and the measuring (workflow-histories.ts) share it without importing each other.

export interface HistorySize {
  workflowId: string;
  runId: string;
  events: number;
  bytes: number;
  largestEvent: { type: string; bytes: number };
  /** the run's first event (its input: what continue-as-new handed over) */
  startedEventBytes: number;
  activities: number;
  childWorkflows: number;
  workflowTasks: number;
  /** worker time of its workflow tasks (started → completed) and their wait for a worker (scheduled → started) */
  workflowTaskMs: { total: number; median: number; max: number };
  scheduleToStartMs: { median: number; max: number };
  /** failed or timed out workflow tasks: each makes the worker replay the whole history */
  workflowTaskFailures: number;
  /** why they failed (cause or timeout type) → count */
  failureCauses: Record<string, number>;
  /** activity type → times scheduled */
  activityTypes: Record<string, number>;
  /** started with the state a previous run handed over (continue-as-new) */
  continuedFrom: string | null;
}
