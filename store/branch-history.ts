// Branch history: every ref move of every dist-git branch, recorded once whatever path the event
// came by (hook, webhook, message bus, import), and the questions asked of it.
import type { PrismaClient, RepoNamespace } from '@prisma/client';
import { ZERO_HASH } from '../domain/git-refs';

export interface RefUpdate {
  namespace: RepoNamespace;
  name: string;
  branch: string;
  /** null when the event does not say (a message-bus event): taken from the recorded head */
  oldHash: string | null;
  newHash: string;
  pusher: string;
  movedAt: Date;
  source: string;
}

export interface RecordedMove {
  recorded: boolean;
  oldHash: string;
  eventKey: string;
}

export function refMoveKey(
  u: { namespace: string; name: string; branch: string },
  oldHash: string,
  newHash: string,
): string {
  return `${u.namespace}/${u.name}@${u.branch}:${oldHash}->${newHash}`;
}

async function ensureRepo(prisma: PrismaClient, namespace: RepoNamespace, name: string): Promise<string> {
  const repo = await prisma.repo.upsert({
    where: { namespace_name: { namespace, name } },
    create: { namespace, name },
    update: {},
  });
  return repo.id;
}

/** Records one ref move; `recorded: false` when this very move was recorded before. */
export async function recordRefMove(prisma: PrismaClient, u: RefUpdate): Promise<RecordedMove> {
  const repoId = await ensureRepo(prisma, u.namespace, u.name);
  let oldHash = u.oldHash;
  if (oldHash === null) {
    // A message-bus event names only the new hash: a move to it already on record is this move.
    const seen = await prisma.branchRefMove.findFirst({ where: { repoId, branch: u.branch, newHash: u.newHash } });
    if (seen) return { recorded: false, oldHash: seen.oldHash, eventKey: seen.eventKey };
    const head = await prisma.branchRefMove.findFirst({
      where: { repoId, branch: u.branch },
      orderBy: [{ movedAt: 'desc' }, { id: 'desc' }],
    });
    oldHash = head?.newHash ?? ZERO_HASH;
  }
  const eventKey = refMoveKey(u, oldHash, u.newHash);
  const created = await prisma.branchRefMove.createMany({
    data: [
      {
        repoId,
        branch: u.branch,
        oldHash,
        newHash: u.newHash,
        movedAt: u.movedAt,
        pusher: u.pusher,
        source: u.source,
        eventKey,
      },
    ],
    skipDuplicates: true,
  });
  return { recorded: created.count === 1, oldHash, eventKey };
}

async function repoIdOf(prisma: PrismaClient, namespace: RepoNamespace, name: string): Promise<string | undefined> {
  return (await prisma.repo.findUnique({ where: { namespace_name: { namespace, name } } }))?.id;
}

export interface RefMoveView {
  branch: string;
  oldHash: string;
  newHash: string;
  movedAt: string;
  pusher: string;
  source: string;
}

const view = (m: {
  branch: string;
  oldHash: string;
  newHash: string;
  movedAt: Date;
  pusher: string;
  source: string;
}): RefMoveView => ({
  branch: m.branch,
  oldHash: m.oldHash,
  newHash: m.newHash,
  movedAt: m.movedAt.toISOString(),
  pusher: m.pusher,
  source: m.source,
});

/** Every hash the branch has pointed to, oldest first. */
export async function branchHistory(
  prisma: PrismaClient,
  namespace: RepoNamespace,
  name: string,
  branch: string,
): Promise<RefMoveView[] | undefined> {
  const repoId = await repoIdOf(prisma, namespace, name);
  if (!repoId) return undefined;
  const moves = await prisma.branchRefMove.findMany({
    where: { repoId, branch },
    orderBy: [{ movedAt: 'asc' }, { id: 'asc' }],
  });
  return moves.map(view);
}

/** Where the branch pointed at `at` (the last move at or before it); undefined before its first move. */
export async function headAt(
  prisma: PrismaClient,
  namespace: RepoNamespace,
  name: string,
  branch: string,
  at: Date,
): Promise<RefMoveView | undefined> {
  const repoId = await repoIdOf(prisma, namespace, name);
  if (!repoId) return undefined;
  const move = await prisma.branchRefMove.findFirst({
    where: { repoId, branch, movedAt: { lte: at } },
    orderBy: [{ movedAt: 'desc' }, { id: 'desc' }],
  });
  return move && move.newHash !== ZERO_HASH ? view(move) : undefined;
}

export interface StaleBuild {
  kind: 'module' | 'component';
  id: string;
  nvrOrNsvc: string | null;
  commitHash: string;
  state: string;
}

/**
 * Builds made from an earlier hash of the branch than its head: what must be rebuilt once a patch
 * has landed. Component builds for rpms/<name>; module builds for modules/<name> on that stream.
 */
export async function staleBuilds(
  prisma: PrismaClient,
  namespace: RepoNamespace,
  name: string,
  branch: string,
): Promise<{ head: string; builds: StaleBuild[] } | undefined> {
  const history = await branchHistory(prisma, namespace, name, branch);
  const head = history?.at(-1)?.newHash;
  if (!history || !head) return undefined;
  const earlier = [...new Set(history.map((m) => m.newHash))].filter((h) => h !== head && h !== ZERO_HASH);
  if (earlier.length === 0) return { head, builds: [] };
  if (namespace === 'rpms') {
    const rows = await prisma.componentBuild.findMany({
      where: { name, commitHash: { in: earlier }, state: { in: ['complete', 'reused'] } },
    });
    return {
      head,
      builds: rows.map((r) => ({
        kind: 'component',
        id: r.id,
        nvrOrNsvc: r.nvr,
        commitHash: r.commitHash,
        state: r.state,
      })),
    };
  }
  const rows = await prisma.moduleBuild.findMany({
    where: { name, stream: branch, commitHash: { in: earlier }, state: { in: ['done', 'ready'] } },
  });
  return {
    head,
    builds: rows.map((r) => ({
      kind: 'module',
      id: r.id,
      nvrOrNsvc: r.nsvc,
      commitHash: r.commitHash,
      state: r.state,
    })),
  };
}
