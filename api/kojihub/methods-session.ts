// Who is asking, and which hub this is: getAPIVersion, getKojiVersion, getLoggedInUser, getUser.
// Callers are anonymous unless the request carries Cascade's bearer token (Authorization header).
import { kojiId } from './koji-ids';
import { notFound, required, type MethodTable } from './koji-method';
import { knownUsers, userInfo } from './koji-shapes';

/** koji.API_VERSION of the 1.36 client, which warns when a hub answers another. */
const API_VERSION = 1;
const KOJI_VERSION = '1.36.1';

export const sessionMethods: MethodTable = {
  getAPIVersion: { params: [], call: () => API_VERSION },
  getKojiVersion: { params: [], call: () => KOJI_VERSION },
  getLoggedInUser: {
    params: [],
    call: (ctx) => (ctx.actor ? { ...userInfo(ctx.actor.name), authtype: 0 } : null),
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
