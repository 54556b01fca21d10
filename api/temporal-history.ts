// A workflow's Temporal event history in a form a person can read: event id, time, type and the
// few attributes that say what happened.
import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ApiError } from './errors';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface ReadableEvent {
  eventId: number;
  time: string | null;
  type: string;
  attributes: Record<string, unknown>;
}

function eventTypeName(type: HistoryEvent['eventType']): string {
  const raw = typeof type === 'number' ? temporal.api.enums.v1.EventType[type] : String(type);
  // EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> WorkflowExecutionStarted
  return (raw ?? 'Unknown')
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());
}

function timestamp(ts: HistoryEvent['eventTime']): string | null {
  if (!ts?.seconds) return null;
  const millis = Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  return new Date(millis).toISOString();
}

function duration(d: { seconds?: unknown; nanos?: number | null } | null | undefined): string | undefined {
  if (!d) return undefined;
  return `${Number(d.seconds ?? 0) + (d.nanos ?? 0) / 1e9}s`;
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

function attributesOf(e: HistoryEvent): Record<string, unknown> {
  const failure = (f: { message?: string | null } | null | undefined) => f?.message ?? undefined;
  if (e.workflowExecutionStartedEventAttributes) {
    const a = e.workflowExecutionStartedEventAttributes;
    return compact({
      workflowType: a.workflowType?.name,
      taskQueue: a.taskQueue?.name,
      identity: a.identity,
      attempt: a.attempt,
    });
  }
  if (e.workflowExecutionCompletedEventAttributes) return {};
  if (e.workflowExecutionFailedEventAttributes)
    return compact({ failure: failure(e.workflowExecutionFailedEventAttributes.failure) });
  if (e.workflowExecutionContinuedAsNewEventAttributes)
    return compact({ newRunId: e.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId });
  // core_local_activity for a local activity's result, core_patch for a patch the run took
  if (e.markerRecordedEventAttributes) return compact({ markerName: e.markerRecordedEventAttributes.markerName });
  if (e.activityTaskScheduledEventAttributes) {
    const a = e.activityTaskScheduledEventAttributes;
    return compact({
      activityType: a.activityType?.name,
      activityId: a.activityId,
      startToCloseTimeout: duration(a.startToCloseTimeout),
    });
  }
  if (e.activityTaskStartedEventAttributes) {
    const a = e.activityTaskStartedEventAttributes;
    return compact({
      scheduledEventId: Number(a.scheduledEventId),
      attempt: a.attempt,
      identity: a.identity,
      lastFailure: failure(a.lastFailure),
    });
  }
  if (e.activityTaskCompletedEventAttributes)
    return compact({ scheduledEventId: Number(e.activityTaskCompletedEventAttributes.scheduledEventId) });
  if (e.activityTaskFailedEventAttributes) {
    const a = e.activityTaskFailedEventAttributes;
    return compact({ scheduledEventId: Number(a.scheduledEventId), failure: failure(a.failure) });
  }
  if (e.activityTaskTimedOutEventAttributes)
    return compact({
      scheduledEventId: Number(e.activityTaskTimedOutEventAttributes.scheduledEventId),
      failure: failure(e.activityTaskTimedOutEventAttributes.failure),
    });
  if (e.timerStartedEventAttributes)
    return compact({
      timerId: e.timerStartedEventAttributes.timerId,
      startToFireTimeout: duration(e.timerStartedEventAttributes.startToFireTimeout),
    });
  if (e.timerFiredEventAttributes) return compact({ timerId: e.timerFiredEventAttributes.timerId });
  if (e.workflowExecutionSignaledEventAttributes) {
    const a = e.workflowExecutionSignaledEventAttributes;
    return compact({ signalName: a.signalName, identity: a.identity });
  }
  if (e.workflowExecutionUpdateAcceptedEventAttributes)
    return compact({ updateName: e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name });
  if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
    const a = e.startChildWorkflowExecutionInitiatedEventAttributes;
    return compact({ workflowType: a.workflowType?.name, workflowId: a.workflowId });
  }
  if (e.childWorkflowExecutionCompletedEventAttributes)
    return compact({ workflowId: e.childWorkflowExecutionCompletedEventAttributes.workflowExecution?.workflowId });
  if (e.childWorkflowExecutionFailedEventAttributes)
    return compact({
      workflowId: e.childWorkflowExecutionFailedEventAttributes.workflowExecution?.workflowId,
      failure: failure(e.childWorkflowExecutionFailedEventAttributes.failure),
    });
  if (e.workflowTaskFailedEventAttributes)
    return compact({
      cause: e.workflowTaskFailedEventAttributes.cause,
      failure: failure(e.workflowTaskFailedEventAttributes.failure),
    });
  if (e.workflowTaskStartedEventAttributes) return compact({ identity: e.workflowTaskStartedEventAttributes.identity });
  return {};
}

export function readableEvents(events: HistoryEvent[]): ReadableEvent[] {
  return events.map((e) => ({
    eventId: Number(e.eventId),
    time: timestamp(e.eventTime),
    type: eventTypeName(e.eventType),
    attributes: attributesOf(e),
  }));
}

const GRPC_NOT_FOUND = 5;

function isNotFound(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  if (isGrpcServiceError(err)) return err.code === GRPC_NOT_FOUND;
  return err instanceof Error && isGrpcServiceError(err.cause) && err.cause.code === GRPC_NOT_FOUND;
}

/** The whole history of the workflow's latest run; 404 when Temporal does not know the workflow. */
export async function readWorkflowHistory(client: Client, workflowId: string): Promise<ReadableEvent[]> {
  try {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    return readableEvents(history.events ?? []);
  } catch (err) {
    if (isNotFound(err)) {
      throw new ApiError(404, 'not_found', `Temporal has no workflow '${workflowId}'`);
    }
    throw err;
  }
}
