// Bearer-token authentication: resolves the Authorization header to an Actor (or none).
import type { PrismaClient } from '@prisma/client';
import type { Request } from 'express';
import { ApiError } from '../errors';
import { authorize, type Action, type Actor, type Target } from './authorize';
import { hashToken } from './tokens';

// lastUsedAt is kept to the minute: a write per request would double the cost of every read.
const LAST_USED_RESOLUTION_MS = 60_000;

/** The token's person; undefined when the token is unknown, revoked or expired (checked on every request). */
export async function actorForToken(prisma: PrismaClient, token: string, now = new Date()): Promise<Actor | undefined> {
  const row = await prisma.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { include: { maintainerships: true } } },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return undefined;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  const { user } = row;
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    maintains: new Set(user.maintainerships.map((m) => `${m.namespace}/${m.name}`)),
  };
}

function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ApiError(401, 'unauthenticated', 'the Authorization header must be "Bearer <token>"');
  return match[1];
}

/** The acting person, or a 401 when the request carries no valid token. */
export async function requireActor(prisma: PrismaClient, req: Request): Promise<Actor> {
  const token = bearerToken(req);
  if (!token)
    throw new ApiError(401, 'unauthenticated', 'this request needs a bearer token (Authorization: Bearer <token>)');
  const actor = await actorForToken(prisma, token);
  if (!actor) throw new ApiError(401, 'unauthenticated', 'the bearer token is unknown, revoked or expired');
  return actor;
}

/** 403 when the authorization function says no. Routes authenticate first (401), then validate (400), then ask this. */
export function ensureAllowed(actor: Actor, action: Action, target: Target): void {
  const decision = authorize(actor, action, target);
  if (!decision.allowed) throw new ApiError(403, 'forbidden', decision.reason, { action });
}
