// The compose reaper's activity: composes whose time to live ran out (an ODCS compose's seconds-to-live,
// which PATCH renews) lose their files, as ODCS's backend removes expired composes: the compose
// directory, their tree on the mirror and a latest-* link still pointing at that tree. Then the row is
// marked removed. Files first, each removal idempotent, so a retried or killed run finishes the job.
import fs from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { Context } from '@temporalio/activity';
import { parseComposeId } from '../../domain/compose';
import { expiredComposes, markComposeRemoved } from '../../store/composes';

export interface ComposeReaperDeps {
  prisma: PrismaClient;
  composes: { topdir: string; mirrorRoot: string };
}

/** latest-* links of the mirror by the compose they point at. */
function latestLinksByTarget(mirrorRoot: string): Map<string, string[]> {
  const links = new Map<string, string[]>();
  if (!fs.existsSync(mirrorRoot)) return links;
  for (const name of fs.readdirSync(mirrorRoot)) {
    if (!name.startsWith('latest-')) continue;
    const full = path.join(mirrorRoot, name);
    if (!fs.lstatSync(full).isSymbolicLink()) continue;
    const target = fs.readlinkSync(full).replace(/\/$/, '');
    links.set(target, [...(links.get(target) ?? []), full]);
  }
  return links;
}

export function createComposeReaperActivities(deps: ComposeReaperDeps) {
  return {
    async removeExpiredComposes(): Promise<{ removed: string[] }> {
      const now = new Date();
      const expired = await expiredComposes(deps.prisma, now);
      const links = latestLinksByTarget(deps.composes.mirrorRoot);
      const removed: string[] = [];
      for (const c of expired) {
        // The id names directories: only a well-formed one (no '/' or '..') is ever joined to a root.
        if (!parseComposeId(c.composeId).ok) continue;
        for (const link of links.get(c.composeId) ?? []) fs.rmSync(link, { force: true });
        fs.rmSync(path.join(deps.composes.mirrorRoot, c.composeId), { recursive: true, force: true });
        fs.rmSync(path.join(deps.composes.topdir, c.composeId), { recursive: true, force: true });
        await markComposeRemoved(deps.prisma, c.composeId, now);
        removed.push(c.composeId);
        Context.current().heartbeat(c.composeId);
      }
      return { removed };
    },
  };
}
