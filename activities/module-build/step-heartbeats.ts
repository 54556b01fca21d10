// Heartbeats while one of a module build's longer store steps runs (planning, writing the module
// repository), so that a worker killed in the middle is noticed within the workflow's heartbeat
// timeout and another worker takes the step over, instead of the build waiting out the step's whole
// time limit. Outside an activity, or in a local one (which cannot heartbeat), it only runs the step.
import { Context } from '@temporalio/activity';

export const STEP_HEARTBEAT_EVERY_MS = 5_000;

function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

export async function heartbeatWhile<T>(step: () => Promise<T>): Promise<T> {
  const ctx = currentActivity();
  if (!ctx || ctx.info.isLocal) return step();
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), STEP_HEARTBEAT_EVERY_MS);
  try {
    return await step();
  } finally {
    clearInterval(timer);
  }
}
