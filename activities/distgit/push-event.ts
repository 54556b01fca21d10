// The push event a dist-git post-receive hook sends to Cascade's API: parsing git's hook input,
// building the one JSON body per push, and delivering it (signed POST, or the spool when that fails).
import { randomUUID } from 'node:crypto';
import type { RepoId } from './dist-git';
import { readHookConfig, readHookSecret, signatureHeader, signBody, writeSpooled } from './hook-config';

export interface DistGitPushUpdate {
  namespace: RepoId['namespace'];
  name: string;
  branch: string;
  /** All zeros when the branch is new. */
  oldHash: string;
  /** All zeros when the branch was deleted. */
  newHash: string;
}

export interface DistGitPushEvent {
  source: 'hook';
  pusher: string;
  pushedAt: string;
  updates: DistGitPushUpdate[];
}

const updateLine = /^([0-9a-f]{40}) ([0-9a-f]{40}) (refs\/\S+)$/;

/** Branch updates from post-receive's stdin (`<old> <new> <refname>` lines); tags and other refs are dropped. */
export function parsePostReceiveInput(stdin: string, repo: RepoId): DistGitPushUpdate[] {
  const updates: DistGitPushUpdate[] = [];
  for (const line of stdin.split('\n')) {
    const match = updateLine.exec(line.trim());
    if (!match) continue;
    const [, oldHash = '', newHash = '', refname = ''] = match;
    if (!refname.startsWith('refs/heads/')) continue;
    updates.push({
      namespace: repo.namespace,
      name: repo.name,
      branch: refname.slice('refs/heads/'.length),
      oldHash,
      newHash,
    });
  }
  return updates;
}

export function buildPushEventBody(pusher: string, pushedAt: Date, updates: DistGitPushUpdate[]): string {
  const event: DistGitPushEvent = { source: 'hook', pusher, pushedAt: pushedAt.toISOString(), updates };
  return JSON.stringify(event);
}

export type DeliveryOutcome =
  { delivered: true; status: number } | { delivered: false; spooledTo: string; reason: string };

export interface DeliveryOptions {
  /** The dist-git root holding hook.json and spool/. */
  root: string;
  body: string;
  timeoutMs?: number;
  now?: Date;
}

/**
 * The body as it is sent: the event plus sentAt and a fresh deliveryId, inside the signed bytes, so the
 * API can refuse a replayed delivery. Stamped at each sending, never at spooling: a spooled event is
 * replayed by the API's workers straight from the spool, however late.
 */
export function stampDelivery(body: string, now: Date): string {
  const event = JSON.parse(body) as Record<string, unknown>;
  return JSON.stringify({ ...event, sentAt: now.toISOString(), deliveryId: randomUUID() });
}

/**
 * POSTs the body, stamped and signed with the configured secret. Anything short of a 2xx answer (no hook.json, an
 * unreadable secret, the API down or refusing) spools the body, so no push is ever lost.
 */
export async function deliverPushEvent(options: DeliveryOptions): Promise<DeliveryOutcome> {
  const { root, body } = options;
  const reason = await post(root, body, options.timeoutMs ?? 10_000);
  if (typeof reason === 'number') return { delivered: true, status: reason };
  const spooledTo = await writeSpooled(root, body, options.now);
  return { delivered: false, spooledTo, reason };
}

/** A 2xx status when delivered, else why not. */
async function post(root: string, body: string, timeoutMs: number): Promise<number | string> {
  try {
    const config = await readHookConfig(root);
    if (!config) return `no hook config at ${root}/hook.json`;
    const secret = await readHookSecret(config.secretFile);
    const sent = stampDelivery(body, new Date());
    const response = await fetch(config.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [signatureHeader]: signBody(secret, sent) },
      body: sent,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined); // drain, so the socket is released
    if (response.ok) return response.status;
    return `${config.url} answered ${response.status}`;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error instanceof Error ? error.message : String(error)}${cause}`;
  }
}
