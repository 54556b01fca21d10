// The campaign benchmark's workflow bundle: Cascade's workflows as they are, plus the Temporal floor —
// the least a tier can cost on this server: one child workflow running one activity that does nothing.
// Deterministic like workflows/ (no I/O, no clock).
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';

export * from '../workflows';

export interface FloorActivities {
  benchNoop(): Promise<void>;
}

const floor = proxyActivities<FloorActivities>({ startToCloseTimeout: '1m' });

export async function temporalFloorChild(): Promise<void> {
  await floor.benchNoop();
}

export async function temporalFloor(): Promise<void> {
  await executeChild(temporalFloorChild, { workflowId: `${workflowInfo().workflowId}-child` });
}
