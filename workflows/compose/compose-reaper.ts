import { proxyActivities } from '@temporalio/workflow';
import type { createComposeReaperActivities } from '../../activities/compose/compose-reaper';

const reaper = proxyActivities<ReturnType<typeof createComposeReaperActivities>>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '5s', maximumInterval: '2m' },
});

/**
 * Compose reaper (started by the `compose-reaper-<task queue>` schedule, every
 * CASCADE_COMPOSE_REAP_SECONDS): removes the composes whose time to live ran out; answers their ids.
 */
export async function composeReaper(): Promise<{ removed: string[] }> {
  return reaper.removeExpiredComposes();
}
