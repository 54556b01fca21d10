// Who a message reaches. Maintainers come from the store's Maintainership rows; release engineers are
// added when asked for, and also when a named module has no maintainer or when nobody at all was
// found: a failure that reaches nobody would leave a campaign waiting for a person who never hears of it.
import type { PrismaClient } from '@prisma/client';
import { splitModuleStreamKey } from '../../domain/dependencies';
import { maintainersOf, releaseEngineers, usersNamed } from '../../store/notifications';
import type { NotificationRecipients, Recipient } from './notifier';

export type RecipientResolver = (recipients: NotificationRecipients) => Promise<Recipient[]>;

const unique = (names: string[] | undefined) => [...new Set((names ?? []).map((n) => n.trim()).filter(Boolean))];

/** `nodejs:10` and `nodejs` both name the module nodejs: maintainership is per module, not per stream. */
const moduleName = (module: string) => splitModuleStreamKey(module).name;

export function storeRecipientResolver(prisma: PrismaClient): RecipientResolver {
  return async (wanted) => {
    const modules = unique(wanted.modules?.map(moduleName));
    const moduleMaintainers = await maintainersOf(prisma, 'modules', modules);
    const componentMaintainers = await maintainersOf(prisma, 'rpms', unique(wanted.components));
    const found = [
      ...[...moduleMaintainers.values()].flat(),
      ...[...componentMaintainers.values()].flat(),
      ...(await usersNamed(prisma, unique(wanted.users))),
    ];
    const unmaintained = modules.some((m) => !moduleMaintainers.has(m));
    if (wanted.releaseEngineers || unmaintained || found.length === 0) found.push(...(await releaseEngineers(prisma)));
    return deduplicate(found);
  };
}

/** One entry per user, ordered by name so every sender lists them the same way. */
function deduplicate(users: Recipient[]): Recipient[] {
  const byId = new Map(users.map((u) => [u.id, { id: u.id, name: u.name, email: u.email }]));
  return [...byId.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
