// CI as an activity: one module build's checks, heartbeating while they run (a run can take as long
// as dnf and the module's tests do) so a dead worker is noticed, and cancellable through Temporal.
import { Context } from '@temporalio/activity';
import type { CiRequest, CiVerdict, ModuleCi } from './module-ci';

const HEARTBEAT_INTERVAL_MS = 2_000;

export function createCiActivities(deps: { ci: ModuleCi; heartbeatIntervalMs?: number }) {
  return {
    /** Idempotent by request.runKey: a retry answers the stored verdict. */
    async runModuleCi(request: CiRequest): Promise<CiVerdict> {
      const ctx = Context.current();
      let check = 'starting';
      const beat = () => ctx.heartbeat({ runKey: request.runKey, check });
      beat();
      const timer = setInterval(beat, deps.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS);
      try {
        return await deps.ci.runChecks(request, {
          onCheck: (testcase) => {
            check = testcase;
            beat();
          },
          signal: ctx.cancellationSignal,
        });
      } finally {
        clearInterval(timer);
      }
    },
  };
}
