// Who is asking, and which hub this is: getAPIVersion, getKojiVersion, getLoggedInUser, getUser, and
// the session calls login, sslLogin and logout (hub-sessions.ts). Callers are anonymous unless the
// request carries a Koji session or Cascade's bearer token (Authorization header).
import { FAULT, KojiFault } from '../../platform/xmlrpc-codec';
import { AUTHTYPE, actorByName } from './hub-sessions';
import { kojiId } from './koji-ids';
import { notFound, required, type MethodTable } from './koji-method';
import { knownUsers, userInfo } from './koji-shapes';

/** koji.API_VERSION of the 1.36 client, which warns when a hub answers another. */
const API_VERSION = 1;
const KOJI_VERSION = '1.36.1';

const permsOf = (role: string | undefined) =>
  role === 'RELEASE_ENGINEER' ? ['admin', 'build', 'repo', 'tag', 'target'] : role === 'MAINTAINER' ? ['build'] : [];

export const sessionMethods: MethodTable = {
  getAPIVersion: { params: [], call: () => API_VERSION },
  getKojiVersion: { params: [], call: () => KOJI_VERSION },
  getLoggedInUser: {
    params: [],
    call: (ctx) =>
      ctx.actor ? { ...userInfo(ctx.actor.name), authtype: ctx.session?.session.authtype ?? AUTHTYPE.NORMAL } : null,
  },
  // kojihub's Session.login: here the password is one of the user's Cascade API tokens.
  login: {
    params: ['user', 'password', 'opts', 'renew', 'exclusive'],
    call: async (ctx, a) => {
      if (ctx.session && !a.renew) throw new KojiFault(FAULT.auth, 'Already logged in');
      if (typeof a.password !== 'string' || !a.password)
        throw new KojiFault(FAULT.auth, 'invalid username or password');
      const actor = await ctx.actorForToken(a.password);
      if (!actor || actor.name !== a.user) throw new KojiFault(FAULT.auth, 'invalid username or password');
      return ctx.sessions.create(actor.name, AUTHTYPE.NORMAL);
    },
  },
  // kojihub's Session.sslLogin: the user is the CN of the verified client certificate.
  sslLogin: {
    params: ['proxyuser', 'proxyauthtype', 'renew', 'exclusive'],
    call: async (ctx, a) => {
      if (ctx.session && !a.renew) throw new KojiFault(FAULT.auth, 'Already logged in');
      if (!ctx.sslUser) throw new KojiFault(FAULT.auth, 'could not verify client: NONE');
      if (a.proxyuser) throw new KojiFault(FAULT.auth, `${ctx.sslUser} is not authorized to login other users`);
      if (!(await actorByName(ctx.prisma, ctx.sslUser)))
        throw new KojiFault(FAULT.auth, `Unknown user: ${ctx.sslUser}`);
      return ctx.sessions.create(ctx.sslUser, AUTHTYPE.SSL);
    },
  },
  // Koji's permissions as Cascade's roles give them: release engineers hold every one (Koji's admin).
  hasPerm: {
    params: ['perm', 'strict'],
    call: (ctx, a) => permsOf(ctx.actor?.role).includes(String(a.perm)),
  },
  getPerms: {
    params: [],
    call: (ctx) => permsOf(ctx.actor?.role),
  },
  logout: {
    params: ['session_id'],
    call: (ctx, a) => {
      const id = typeof a.session_id === 'number' ? a.session_id : ctx.session?.session.id;
      if (id !== undefined) ctx.sessions.drop(id);
      return null;
    },
  },
  getUser: {
    params: ['userInfo', 'strict', 'krb_princs', 'groups'],
    call: async (ctx, a) => {
      if (a.userInfo === undefined || a.userInfo === null) return ctx.actor ? userInfo(ctx.actor.name) : null;
      const ref = required('getUser', a, 'userInfo');
      const name = (await knownUsers(ctx.prisma)).find((n) =>
        typeof ref === 'number' ? kojiId('user', n) === ref : n === ref,
      );
      if (name) return userInfo(name);
      if (a.strict) throw notFound('user', ref);
      return null;
    },
  },
};
