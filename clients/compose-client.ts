// The one place that starts and cancels Compose workflows: it allocates the compose's row (its
// productmd id, the respin counted per day), then starts `compose-<compose id>` with a typed start.
// A release's compose and an ODCS module compose go through here alike.
import type { PrismaClient } from '@prisma/client';
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { composeDate } from '../domain/compose';
import type { ComposeType } from '../domain/compose/vocabulary';
import type { RebuildStrategy } from '../domain/module-build';
import { workflowIds } from '../domain/workflow-ids';
import { allocateCompose, setComposeStatus, type AllocatedCompose } from '../store/composes';
import type { ComposeInput } from '../workflows/compose/contracts';
import type { compose } from '../workflows/compose/compose';
import type { composeReaper } from '../workflows/compose/compose-reaper';

export interface ComposeClientDeps {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  build: { concurrency: number; componentTimeoutMs: number; strategy: RebuildStrategy };
}

export interface ReleaseComposeRequest {
  short: string;
  version: string;
  type: ComposeType;
  /** variant uids; all of the release's when absent */
  variants?: string[];
  label?: string | null;
  requestedBy: string;
}

export interface ModuleComposeRequest {
  /** name:stream[:version[:context]] */
  modules: string[];
  withDependencies: boolean;
  arches: string[];
  label: string | null;
  type: ComposeType;
  secondsToLive: number;
  flags: string[];
  requestedBy: string;
}

export type ComposeClient = ReturnType<typeof createComposeClient>;

export function createComposeClient(deps: ComposeClientDeps) {
  const start = async (allocated: AllocatedCompose, owner: string) => {
    const input: ComposeInput = { composeId: allocated.composeId, owner, build: deps.build };
    try {
      await deps.temporal.workflow.start<typeof compose>('compose', {
        workflowId: allocated.workflowId,
        taskQueue: deps.taskQueue,
        args: [input],
        searchAttributes: { CascadeCompose: [allocated.composeId] },
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return allocated;
      // Nothing will ever run it: say so on the row rather than leave it STARTED for ever.
      await setComposeStatus(deps.prisma, allocated.composeId, 'DOOMED', {
        reason: `the workflow could not be started: ${(err as Error).message}`,
      });
      throw err;
    }
    return allocated;
  };

  return {
    /** A compose of a release's variants, as Comps-as-a-Service defines them. */
    async startReleaseCompose(request: ReleaseComposeRequest): Promise<AllocatedCompose> {
      const allocated = await allocateCompose(deps.prisma, {
        short: request.short,
        version: request.version,
        type: request.type,
        date: composeDate(Date.now()),
        label: request.label ?? null,
        request: { kind: 'release', variants: request.variants ?? null },
        origin: 'release',
        createdBy: request.requestedBy,
        workflowIdFor: workflowIds.compose,
      });
      return start(allocated, request.requestedBy);
    },

    /** ODCS's module compose: one variant, "Temporary", holding the named modules. */
    async requestModuleCompose(request: ModuleComposeRequest): Promise<AllocatedCompose> {
      // ODCS knows it by its number; the productmd id only needs to be unique, the respin does that.
      const allocated = await allocateCompose(deps.prisma, {
        short: 'odcs',
        version: '1',
        type: request.type,
        date: composeDate(Date.now()),
        label: request.label,
        request: {
          kind: 'odcs',
          source: request.modules.join(' '),
          modules: request.modules,
          withDependencies: request.withDependencies,
          arches: request.arches,
          flags: request.flags,
        },
        origin: 'odcs',
        createdBy: request.requestedBy,
        expiresAt: new Date(Date.now() + request.secondsToLive * 1000),
        workflowIdFor: workflowIds.compose,
      });
      return start(allocated, request.requestedBy);
    },

    /** Cancels a running compose: its running builds are cancelled with it, and it ends TERMINATED. */
    async cancel(composeId: string, actor: string): Promise<'cancelled' | 'ended'> {
      const handle = deps.temporal.workflow.getHandle(workflowIds.compose(composeId));
      try {
        const description = await handle.describe();
        if (description.status.name !== 'RUNNING') return 'ended';
        // Written before the cancel reaches the workflow, whose TERMINATED keeps it (it cannot know who).
        await deps.prisma.compose.updateMany({
          where: { composeId, status: 'STARTED' },
          data: { statusReason: `cancelled by ${actor}` },
        });
        await handle.cancel();
        return 'cancelled';
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return 'ended';
        throw err;
      }
    },
  };
}

/**
 * The schedule that runs `composeReaper` every `everySeconds` (created once per task queue; a later
 * start with another interval updates it). Overlapping runs are skipped: one reaper at a time.
 */
export async function ensureComposeReaperSchedule(
  temporal: Client,
  taskQueue: string,
  everySeconds: number,
): Promise<string> {
  const scheduleId = workflowIds.composeReaperSchedule(taskQueue);
  const spec = { intervals: [{ every: everySeconds * 1000 }] };
  try {
    await temporal.schedule.create({
      scheduleId,
      spec,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      action: {
        type: 'startWorkflow',
        workflowType: 'composeReaper' satisfies (typeof composeReaper)['name'],
        workflowId: scheduleId,
        taskQueue,
        args: [],
      },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await temporal.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec }));
  }
  return scheduleId;
}
