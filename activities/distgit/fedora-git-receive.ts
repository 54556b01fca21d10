// Fedora's `git.receive` bus message (topic `org.fedoraproject.<env>.git.receive`) as a Cascade push
// event. Pure: no I/O, the clock is passed in. Two body shapes are accepted: fedora-messaging's
// `{ commit: {...} }` and the older fedmsg envelope `{ msg: { commit: {...} }, timestamp }`.
//
// The bus reports one commit, not a ref move: the previous head is unknown, so oldHash is null and
// the store resolves it. Fedora's dist-git hook publishes one message per pushed commit, so a push of
// several commits arrives as several events for the same branch; each is keyed by its own hash
// downstream (pushWorkflowId), and the store's branch history decides which one is the head.
import type { DistGitPushEventBody } from '../../api/dist-git-events';
import { z } from 'zod';
import { DistGitInputError, parseRepoId, validateBranch, type Namespace } from './dist-git';

export class GitReceiveMessageError extends Error {
  readonly code = 'git_receive_message_invalid';
  constructor(
    /** The path of the refused field in the message body, e.g. `commit.rev` or `msg.commit.repo`. */
    readonly field: string,
    message: string,
  ) {
    super(`git.receive message: ${field}: ${message}`);
    this.name = 'GitReceiveMessageError';
  }
}

export interface GitReceiveContext {
  /** When the bus says the message was sent (AMQP timestamp property or the `sent-at` header). */
  sentAt?: Date;
  /** The consumer's clock, used when neither the bus nor the body dates the message. */
  now: Date;
}

const commitSchema = z.looseObject({
  namespace: z.string().min(1).optional(),
  repo: z.string().min(1),
  branch: z.string().min(1),
  rev: z.string().regex(/^[0-9a-fA-F]{40}$/, 'must be a 40-character hex commit hash'),
  agent: z.string().min(1).max(200).optional(),
  username: z.string().min(1).max(200).optional(),
  path: z.string().optional(),
});

const fedmsgTimestamp = z.number().positive().finite();

type FedoraCommit = z.infer<typeof commitSchema>;

/**
 * The push event for a `git.receive` body; undefined for namespaces Cascade does not build from
 * (tests, container, flatpaks, ...). Throws GitReceiveMessageError naming the field otherwise.
 */
export function mapGitReceiveMessage(body: unknown, context: GitReceiveContext): DistGitPushEventBody | undefined {
  const { commit: rawCommit, prefix, timestamp } = unwrap(body);
  const commit = parseWith(commitSchema, rawCommit, prefix);
  const namespace = namespaceOf(commit, prefix);
  if (!namespace) return undefined;

  const name = checked(`${prefix}.repo`, () => parseRepoId(namespace, commit.repo).name);
  const branch = checked(`${prefix}.branch`, () => validateBranch(commit.branch.replace(/^refs\/heads\//, '')));
  const pusher = commit.agent ?? commit.username;
  if (!pusher) throw new GitReceiveMessageError(`${prefix}.agent`, 'missing: the message names nobody who pushed');
  const bodyTime = timestamp === undefined ? undefined : parseWith(fedmsgTimestamp, timestamp, 'timestamp');

  const pushedAt = context.sentAt ?? (bodyTime === undefined ? undefined : new Date(bodyTime * 1000)) ?? context.now;
  return {
    source: 'amqp',
    pusher,
    pushedAt: pushedAt.toISOString(),
    updates: [{ namespace, name, branch, oldHash: null, newHash: commit.rev.toLowerCase() }],
  };
}

function unwrap(body: unknown): { commit: unknown; prefix: string; timestamp: unknown } {
  if (!isRecord(body)) throw new GitReceiveMessageError('(body)', 'must be a JSON object');
  if ('commit' in body) return { commit: body.commit, prefix: 'commit', timestamp: body.timestamp };
  if (isRecord(body.msg) && 'commit' in body.msg) {
    return { commit: body.msg.commit, prefix: 'msg.commit', timestamp: body.timestamp };
  }
  throw new GitReceiveMessageError('commit', 'missing: expected { "commit": {...} } or { "msg": { "commit": {...} } }');
}

/** Older messages carry no namespace; their repository path (`.../<namespace>/<repo>.git`) does. */
function namespaceOf(commit: FedoraCommit, prefix: string): Namespace | undefined {
  const namespace = commit.namespace ?? /\/([^/]+)\/[^/]+\.git\/?$/.exec(commit.path ?? '')?.[1];
  if (namespace === undefined) {
    throw new GitReceiveMessageError(`${prefix}.namespace`, 'missing, and no repository path to derive it from');
  }
  return namespace === 'rpms' || namespace === 'modules' ? namespace : undefined;
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].join('.');
  throw new GitReceiveMessageError(field, issue?.message ?? 'invalid');
}

function checked<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof DistGitInputError)) throw error;
    throw new GitReceiveMessageError(field, error.message.replace(/^\w+: /, ''));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
