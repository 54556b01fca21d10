// Sizes of workflow histories as the server keeps them: events, and bytes of the history protobuf
// (the measure behind the server's 50 MB limit), with the largest single event and what each run
// scheduled. A continue-as-new chain is walked back from its latest run.
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { median } from './campaign-report';
import type { HistorySize } from './history-size';

const { EventType } = temporal.api.enums.v1;

function millisOf(ts: { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined) {
  return ts ? Number(String(ts.seconds ?? 0)) * 1000 + (ts.nanos ?? 0) / 1e6 : 0;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export async function historySize(client: Client, workflowId: string, runId?: string): Promise<HistorySize> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  let largest = { type: '', bytes: 0 };
  const counts = { activities: 0, childWorkflows: 0, workflowTasks: 0, workflowTaskFailures: 0 };
  const failureCauses: Record<string, number> = {};
  const activityTypes: Record<string, number> = {};
  const timeOf = new Map<number, number>();
  const taskMs: number[] = [];
  const waitMs: number[] = [];
  for (const event of events) {
    const at = millisOf(event.eventTime);
    timeOf.set(Number(event.eventId), at);
    const started = event.workflowTaskStartedEventAttributes;
    if (started) waitMs.push(at - (timeOf.get(Number(started.scheduledEventId)) ?? at));
    const completed = event.workflowTaskCompletedEventAttributes;
    if (completed) taskMs.push(at - (timeOf.get(Number(completed.startedEventId)) ?? at));
    const failed = event.workflowTaskFailedEventAttributes;
    const timedOut = event.workflowTaskTimedOutEventAttributes;
    if (failed || timedOut) {
      counts.workflowTaskFailures += 1;
      const cause = failed
        ? (temporal.api.enums.v1.WorkflowTaskFailedCause[failed.cause ?? 0] ?? String(failed.cause))
        : `TIMEOUT_${temporal.api.enums.v1.TimeoutType[timedOut?.timeoutType ?? 0] ?? String(timedOut?.timeoutType)}`;
      failureCauses[cause] = (failureCauses[cause] ?? 0) + 1;
    }
    const activity = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (activity) activityTypes[activity] = (activityTypes[activity] ?? 0) + 1;
    const bytes = temporal.api.history.v1.HistoryEvent.encode(event).finish().byteLength;
    const type = EventType[event.eventType ?? 0] ?? String(event.eventType);
    if (bytes > largest.bytes) largest = { type: type.replace(/^EVENT_TYPE_/, ''), bytes };
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) counts.activities += 1;
    if (event.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) counts.childWorkflows += 1;
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) counts.workflowTasks += 1;
  }
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  return {
    workflowId,
    runId: runId ?? started?.originalExecutionRunId ?? '',
    events: events.length,
    bytes: temporal.api.history.v1.History.encode(history).finish().byteLength,
    largestEvent: largest,
    startedEventBytes: events[0] ? temporal.api.history.v1.HistoryEvent.encode(events[0]).finish().byteLength : 0,
    ...counts,
    failureCauses,
    activityTypes,
    workflowTaskMs: { total: sum(taskMs), median: median(taskMs), max: Math.max(0, ...taskMs) },
    scheduleToStartMs: { median: median(waitMs), max: Math.max(0, ...waitMs) },
    continuedFrom: started?.continuedExecutionRunId || null,
  };
}

/** Every run of a continue-as-new chain, first run first. */
export async function chainHistorySizes(client: Client, workflowId: string): Promise<HistorySize[]> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  const runs: HistorySize[] = [];
  let runId: string | null = latest.runId;
  while (runId && runs.length < 1000) {
    const size: HistorySize = await historySize(client, workflowId, runId);
    runs.unshift({ ...size, runId });
    runId = size.continuedFrom;
  }
  return runs;
}

/** The workflow ids of the children a workflow started (from its history). */
export async function childWorkflowIds(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const id = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
    return id ? [id] : [];
  });
}

/**
 * How long the worker needs to replay one run from its history (what a cache eviction or a failed
 * workflow task costs before the run can move again), on a replay worker of its own.
 */
export async function replayMs(
  client: Client,
  workflowId: string,
  runId: string,
  workflowBundle: WorkflowBundle,
): Promise<number> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const started = performance.now();
  await Worker.runReplayHistory({ workflowBundle }, history, workflowId);
  return performance.now() - started;
}
