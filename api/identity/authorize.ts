// The one authorization function: every mutating route asks it, none checks roles by hand.
import type { Role } from '@prisma/client';

export interface Actor {
  id: string;
  name: string;
  role: Role;
  /** 'rpms/<name>' and 'modules/<name>' entries this person maintains */
  maintains: ReadonlySet<string>;
}

export type Action =
  | 'token.create'
  /** seeing every person's tokens (everyone sees their own): release engineers */
  | 'token.list-all'
  /** revoking a token: its owner, whatever their role, and release engineers */
  | 'token.revoke'
  | 'campaign.start'
  | 'campaign.signal'
  | 'campaign.cancel'
  | 'module-build.start'
  | 'store.import'
  /** a copy of the embedded store for `bin/cascade backup` (a global target: release engineers) */
  | 'store.backup'
  /** any write to a release's comps or variants (Comps-as-a-Service) */
  | 'comps.write'
  /** a compose of a release, and cancelling one: release engineers */
  | 'compose.start'
  | 'compose.cancel'
  /** an ODCS module compose: maintainers of every module it names, and release engineers */
  | 'compose.request'
  /** renewing or expiring an ODCS compose: who asked for it, and release engineers */
  | 'compose.renew'
  /** a user's e-mail address and notification channels: the person themselves (readers too), and release engineers */
  | 'user.update';

/** What an action is about: nothing in particular, a set of modules and components, or something a person started. */
export type Target =
  | { kind: 'global' }
  | { kind: 'artifacts'; modules: string[]; components: string[] }
  | { kind: 'owned'; owner: string };

export type Decision = { allowed: true } | { allowed: false; reason: string };

const RELEASE_ENGINEERING_ONLY: ReadonlySet<Action> = new Set([
  'token.create',
  'token.list-all',
  'store.import',
  'comps.write',
  'compose.start',
  'compose.cancel',
]);

export function authorize(actor: Actor, action: Action, target: Target): Decision {
  if (actor.role === 'RELEASE_ENGINEER') return { allowed: true };
  if (action === 'user.update' && target.kind === 'owned' && target.owner === actor.name) return { allowed: true };
  // Anyone may give up their own token (a leaked one must not wait for a release engineer).
  if (action === 'token.revoke' && target.kind === 'owned' && target.owner === actor.name) return { allowed: true };
  if (actor.role === 'READER') return { allowed: false, reason: `${actor.name} is a reader and may not ${action}` };
  if (RELEASE_ENGINEERING_ONLY.has(action) || target.kind === 'global') {
    return { allowed: false, reason: `${action} is for release engineers` };
  }
  if (target.kind === 'owned') {
    if (target.owner === actor.name) return { allowed: true };
    return { allowed: false, reason: `${action} is for ${target.owner}, who started it, and release engineers` };
  }
  const keys = [...target.modules.map((m) => `modules/${m}`), ...target.components.map((c) => `rpms/${c}`)];
  const missing = keys.filter((k) => !actor.maintains.has(k));
  if (keys.length > 0 && missing.length === 0) return { allowed: true };
  return { allowed: false, reason: `${actor.name} does not maintain ${missing.join(', ') || 'the target'}` };
}
