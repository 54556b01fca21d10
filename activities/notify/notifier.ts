// The notification adapter's contract: what a workflow asks to be said, to whom, and the check run
// before anything is resolved or written (a malformed message is a bug in the caller, never retried).
import { ApplicationFailure } from '@temporalio/activity';

/** Who should hear about it; every list is resolved to users through the store, then deduplicated. */
export interface NotificationRecipients {
  /** module names (`name` or `name:stream`): their maintainers */
  modules?: string[];
  /** component (rpms) names: their maintainers */
  components?: string[];
  /** user names */
  users?: string[];
  releaseEngineers?: boolean;
}

export interface NotificationMessage {
  /**
   * Stable for one event (e.g. `campaign/<id>/module/<nsvc>/failed`): a retried activity sends the same
   * key, so nobody is told twice; each inbox row is keyed `<dedupeKey>/<user name>`.
   */
  dedupeKey: string;
  /** e.g. 'campaign.module-failed', 'campaign.reminder', 'campaign.finished' */
  kind: string;
  subject: string;
  body: string;
  campaignId?: string | null;
  /** name:stream */
  module?: string | null;
  /** name:stream:version:context */
  moduleBuild?: string | null;
  recipients: NotificationRecipients;
}

/** A user a notification reached. */
export interface Recipient {
  id: string;
  name: string;
  email: string | null;
}

export interface Notifier {
  /** `delivered`: how many people the message reached (the same number when a retry repeats it). */
  notify(message: NotificationMessage): Promise<{ delivered: number }>;
}

const MAX_DEDUPE_KEY = 400;

/** Throws a non-retryable failure naming the first bad field. */
export function checkNotificationMessage(message: NotificationMessage): void {
  const bad = (field: string, why: string): never => {
    throw ApplicationFailure.nonRetryable(`notify: message.${field} ${why}`, 'InvalidNotification');
  };
  if (typeof message.dedupeKey !== 'string' || message.dedupeKey.trim() === '') bad('dedupeKey', 'must not be empty');
  if (message.dedupeKey.length > MAX_DEDUPE_KEY) bad('dedupeKey', `must be at most ${MAX_DEDUPE_KEY} characters`);
  if (typeof message.kind !== 'string' || message.kind.trim() === '') bad('kind', 'must not be empty');
  if (typeof message.subject !== 'string' || message.subject.trim() === '') bad('subject', 'must not be empty');
  if (typeof message.body !== 'string') bad('body', 'must be a string');
  if (typeof message.recipients !== 'object' || message.recipients === null) bad('recipients', 'must be an object');
  for (const list of ['modules', 'components', 'users'] as const) {
    const value = message.recipients[list];
    if (value !== undefined && (!Array.isArray(value) || value.some((v) => typeof v !== 'string')))
      bad(`recipients.${list}`, 'must be a list of names');
  }
}
