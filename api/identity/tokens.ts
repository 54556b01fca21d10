// Bearer tokens: 32 random bytes, shown once, stored only as a SHA-256 digest (the token's entropy
// makes a slow hash unnecessary and keeps the lookup an index hit).
import crypto from 'node:crypto';
import type { PrismaClient, Role } from '@prisma/client';

const TOKEN_PREFIX = 'cas_';

export function generateToken(): string {
  return TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export interface IssuedToken {
  id: string;
  token: string;
  userId: string;
  userName: string;
  role: Role;
}

/** Creates the user when new (with the given role) and a token for it, in one transaction. */
export async function issueToken(
  prisma: PrismaClient,
  input: { userName: string; role: Role; description?: string; expiresAt?: Date },
): Promise<IssuedToken> {
  const token = generateToken();
  const { user, id } = await prisma.$transaction(async (tx) => {
    const user = await tx.user.upsert({
      where: { name: input.userName },
      create: { name: input.userName, role: input.role },
      update: { role: input.role },
    });
    const row = await tx.apiToken.create({
      data: {
        userId: user.id,
        tokenHash: hashToken(token),
        prefix: token.slice(0, 10),
        description: input.description,
        expiresAt: input.expiresAt,
      },
    });
    return { user, id: row.id };
  });
  return { id, token, userId: user.id, userName: user.name, role: user.role };
}

/** A token as listings show it: never its secret nor its digest. */
export interface TokenSummary {
  id: string;
  user: string;
  prefix: string;
  description: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** Every token (ownerId undefined) or one person's, newest first. */
export async function listTokens(prisma: PrismaClient, ownerId?: string): Promise<TokenSummary[]> {
  const rows = await prisma.apiToken.findMany({
    where: ownerId ? { userId: ownerId } : {},
    include: { user: { select: { name: true } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
  });
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return rows.map((r) => ({
    id: r.id,
    user: r.user.name,
    prefix: r.prefix,
    description: r.description,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: iso(r.lastUsedAt),
    expiresAt: iso(r.expiresAt),
    revokedAt: iso(r.revokedAt),
  }));
}

/** Revokes a token; revoking it again keeps the first time. */
export async function revokeToken(prisma: PrismaClient, id: string, now = new Date()): Promise<void> {
  await prisma.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
}

/**
 * The first start of an empty store creates a release engineer and returns its token, to be printed
 * once. Later starts return undefined.
 */
export async function ensureInitialReleaseEngineer(prisma: PrismaClient): Promise<IssuedToken | undefined> {
  const existing = await prisma.user.count({ where: { role: 'RELEASE_ENGINEER' } });
  if (existing > 0) return undefined;
  return issueToken(prisma, { userName: 'admin', role: 'RELEASE_ENGINEER', description: 'created by the first start' });
}
