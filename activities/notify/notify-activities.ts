// The `notify` activity: workflows tell people through it. Idempotent by the message's dedupe key, so
// Temporal may retry it freely; a malformed message fails at once (non-retryable, the field named).
import type { NotificationMessage, Notifier } from './notifier';

export function createNotifyActivities(deps: { notifier: Notifier }) {
  return {
    async notify(message: NotificationMessage): Promise<{ delivered: number }> {
      return deps.notifier.notify(message);
    },
  };
}
