// Koji sessions on the Koji-compatible hub (kojihub/auth.py's, kept in this process's memory: a
// restarted hub has forgotten them, and a client logs in again as koji's does on AuthError). A
// session comes from `login` (user and password: the password is one of the user's Cascade API
// tokens) or `sslLogin` (the CN of a client certificate the TLS server verified). Calls carry it in
// the Koji-Session-Id / -Key / -Callnum headers, or the session-id, session-key and callnum query
// of older clients; call numbers only go up, and a write repeated with the number of a call that
// already succeeded is refused with RetryError, as kojihub refuses it.
import crypto from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import type { Request } from 'express';
import { FAULT, KojiFault } from '../../platform/xmlrpc-codec';
import type { Actor } from '../identity/authorize';

export const AUTHTYPE = { NORMAL: 0, SSL: 2 } as const;

export interface HubSession {
  id: number;
  key: string;
  user: string;
  authtype: number;
  /** the last call number that succeeded */
  callnum?: number;
}

export interface SessionCall {
  session: HubSession;
  callnum?: number;
}

const SESSION_LIFETIME_MS = 24 * 3600 * 1000;

export async function actorByName(prisma: PrismaClient, name: string): Promise<Actor | undefined> {
  const user = await prisma.user.findUnique({ where: { name }, include: { maintainerships: true } });
  if (!user) return undefined;
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    maintains: new Set(user.maintainerships.map((m) => `${m.namespace}/${m.name}`)),
  };
}

export class HubSessions {
  private readonly sessions = new Map<number, HubSession & { createdAt: number }>();

  create(user: string, authtype: number): Record<string, string | number | boolean> {
    const id = parseInt(crypto.randomBytes(4).toString('hex'), 16) & 0x7fffffff;
    const key = `${id}-${crypto.randomBytes(16).toString('base64url')}`;
    this.sessions.set(id, { id, key, user, authtype, createdAt: Date.now() });
    return { 'session-id': id, 'session-key': key, 'header-auth': true };
  }

  drop(id: number): void {
    this.sessions.delete(id);
  }

  /** The session a request names (headers first, then the query), or none; a wrong one is an AuthError. */
  fromRequest(req: Request): SessionCall | undefined {
    const header = (name: string) => req.get(name) ?? undefined;
    const query = req.query as Record<string, string | undefined>;
    const rawId = header('koji-session-id') ?? query['session-id'];
    if (rawId === undefined) return undefined;
    const key = header('koji-session-id') ? header('koji-session-key') : query['session-key'];
    const rawCallnum = header('koji-session-id') ? header('koji-session-callnum') : query.callnum;
    const session = this.sessions.get(Number(rawId));
    if (!session || session.key !== key || Date.now() - session.createdAt > SESSION_LIFETIME_MS)
      throw new KojiFault(FAULT.auth, 'Invalid session or bad credentials');
    if (rawCallnum === undefined) return { session };
    const callnum = Number(rawCallnum);
    if (!Number.isSafeInteger(callnum)) throw new KojiFault(FAULT.auth, `Invalid callnum: '${rawCallnum}'`);
    return { session, callnum };
  }

  /** kojihub's callnum sanity check, before the call runs. */
  checkCallnum(call: SessionCall, method: string, writes: boolean): void {
    const last = call.session.callnum;
    if (call.callnum === undefined || last === undefined) return;
    if (last > call.callnum)
      throw new KojiFault(FAULT.sequence, `${last} > ${call.callnum} (session ${call.session.id})`);
    if (last === call.callnum && writes)
      throw new KojiFault(
        FAULT.retry,
        `unable to retry call ${call.callnum} (method ${method}) for session ${call.session.id}`,
      );
  }

  /** After a call succeeded: its number is the session's last. */
  recordCallnum(call: SessionCall): void {
    if (call.callnum !== undefined) call.session.callnum = call.callnum;
  }
}
