/**
 * api/kojihub/: a Koji-compatible hub over LocalKoji and the store, so the `koji` CLI (and a Koji
 * client such as a KojiHubBuilder in another process) works against Cascade: XML-RPC at /kojihub with
 * multicall, and the files at /kojifiles in Koji's topdir layout (packages/<name>/<version>/<release>/
 * <arch>/<file>, work/tasks/<id % 10000>/<id>/<log>). Reads are anonymous; writes (build, the tag
 * administration, tagging) need a Koji session (login, sslLogin) or Cascade's bearer token, and are
 * logged under <kojiRoot>/hub/calls.log. Imported by api/app.ts only.
 */
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import express, { type Request, type Router } from 'express';
import type { PrismaClient } from '@prisma/client';
import type { Builder } from '../../activities/koji/builder';
import { actorForToken } from '../identity/authenticate';
import { HubSessions, actorByName } from './hub-sessions';
import { HubState } from './hub-state';
import { kojiTaskId } from './koji-ids';
import type { MethodTable } from './koji-method';
import type { HubContext } from './koji-shapes';
import { LocalKojiFiles } from './local-koji-files';
import { buildSubmitMethods } from './methods-build-submit';
import { buildMethods } from './methods-builds';
import { sessionMethods } from './methods-session';
import { tagAdminMethods } from './methods-tag-admin';
import { tagMethods } from './methods-tags';
import { taskMethods } from './methods-tasks';
import {
  FAULT,
  KojiFault,
  bindArgs,
  decodeMethodCall,
  encodeFault,
  encodeResponse,
  splitKeywordArgs,
  type XmlRpcValue,
} from '../../platform/xmlrpc-codec';

const METHODS: MethodTable = {
  ...sessionMethods,
  ...buildMethods,
  ...taskMethods,
  ...tagMethods,
  ...tagAdminMethods,
  ...buildSubmitMethods,
};
const MULTICALL = new Set(['multiCall', 'system.multicall']);
/** Calls that change something: logged, and never repeated under a call number that succeeded. */
const WRITES = new Set([
  'build',
  'createTag',
  'setInheritanceData',
  'createBuildTarget',
  'packageListAdd',
  'groupListAdd',
  'groupPackageListAdd',
  'newRepo',
  'tagBuild',
  'untagBuild',
]);

export interface KojiHubDependencies {
  prisma: PrismaClient;
  builder: Builder;
  builds: { kojiRoot: string; componentTimeoutMs?: number };
  publicUrl?: string;
}

async function dispatch(ctx: HubContext, method: string, params: XmlRpcValue[]): Promise<XmlRpcValue> {
  const handler = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  if (!handler) throw new KojiFault(FAULT.generic, `Invalid method: ${method}`);
  const { args, opts } = splitKeywordArgs(params);
  if (!WRITES.has(method)) return handler.call(ctx, bindArgs(method, handler.params, args, opts));
  const user = ctx.actor?.name ?? 'anonymous';
  try {
    const result = await handler.call(ctx, bindArgs(method, handler.params, args, opts));
    ctx.state.logCall({ method, user, args: params, result });
    return result;
  } catch (err) {
    ctx.state.logCall({ method, user, args: params, fault: (err as Error).message });
    throw err;
  }
}

const writesIn = (method: string, params: XmlRpcValue[]) =>
  WRITES.has(method) ||
  (MULTICALL.has(method) &&
    Array.isArray(params[0]) &&
    params[0].some((c) => WRITES.has(String((c as Record<string, XmlRpcValue> | null)?.methodName))));

/** The CN of a client certificate the TLS server verified (Apache's SSL_CLIENT_S_DN_CN for kojihub). */
function verifiedClient(req: Request): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (!socket.encrypted || !socket.authorized || !socket.getPeerCertificate) return undefined;
  const cn = socket.getPeerCertificate().subject?.CN;
  return typeof cn === 'string' ? cn : Array.isArray(cn) ? cn[0] : undefined;
}

/** kojixmlrpc's multiCall: each call's result as a one-element list, or its fault as a struct. */
async function multiCall(ctx: HubContext, params: XmlRpcValue[]): Promise<XmlRpcValue> {
  const [calls] = params;
  if (!Array.isArray(calls)) throw new KojiFault(FAULT.parameter, 'multiCall takes a list of calls');
  const results: XmlRpcValue[] = [];
  for (const call of calls) {
    const { methodName, params: callParams } = (call ?? {}) as Record<string, XmlRpcValue>;
    try {
      if (typeof methodName !== 'string' || MULTICALL.has(methodName)) {
        throw new KojiFault(FAULT.parameter, 'each multiCall entry needs a methodName (and no nested multiCall)');
      }
      results.push([await dispatch(ctx, methodName, Array.isArray(callParams) ? callParams : [])]);
    } catch (err) {
      const fault = err instanceof KojiFault ? err : new KojiFault(1, (err as Error).message);
      results.push({ faultCode: fault.faultCode, faultString: fault.message });
    }
  }
  return results;
}

interface HubParts {
  files: LocalKojiFiles;
  state: HubState;
  sessions: HubSessions;
}

async function hubContext(deps: KojiHubDependencies, parts: HubParts, req: Request): Promise<HubContext> {
  const header = req.get('authorization');
  const token = header && /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const session = parts.sessions.fromRequest(req);
  const actor = token
    ? await actorForToken(deps.prisma, token)
    : session
      ? await actorByName(deps.prisma, session.session.user)
      : undefined;
  if (token && !actor) throw new KojiFault(FAULT.auth, 'the bearer token is unknown or revoked');
  if (session && !actor) throw new KojiFault(FAULT.auth, `logins by ${session.session.user} are not allowed`);
  return {
    ...parts,
    prisma: deps.prisma,
    builder: deps.builder,
    baseUrl: deps.publicUrl ?? `${req.protocol}://${req.get('host')}`,
    actor,
    session,
    sslUser: verifiedClient(req),
    buildTimeoutMs: deps.builds.componentTimeoutMs ?? 3600_000,
    actorForToken: (t) => actorForToken(deps.prisma, t),
  };
}

export function kojiHubRoutes(deps: KojiHubDependencies): Router {
  const files = new LocalKojiFiles(deps.builds.kojiRoot);
  const parts: HubParts = { files, state: new HubState(deps.builds.kojiRoot), sessions: new HubSessions() };
  const router = express.Router();
  router.post(
    ['/kojihub', '/kojihub/ssllogin'],
    express.text({ type: () => true, limit: '16mb' }),
    async (req, res) => {
      let body: string;
      try {
        const ctx = await hubContext(deps, parts, req);
        const { method, params } = decodeMethodCall(typeof req.body === 'string' ? req.body : '');
        if (ctx.session) parts.sessions.checkCallnum(ctx.session, method, writesIn(method, params));
        const result = MULTICALL.has(method) ? await multiCall(ctx, params) : await dispatch(ctx, method, params);
        if (ctx.session) parts.sessions.recordCallnum(ctx.session);
        body = encodeResponse(result);
      } catch (err) {
        body = encodeFault(err instanceof KojiFault ? err : new KojiFault(1, (err as Error).message));
      }
      res.type('text/xml').send(body);
    },
  );
  router.get('/kojifiles/packages/:name/:version/:release/:arch/:file', (req, res, next) => {
    const { name, version, release, arch, file } = req.params;
    const build = files.build(`${name}-${version}-${release}`);
    const ours = build && [...build.rpms, build.srpm].includes(file) && file.endsWith(`.${arch}.rpm`);
    if (!ours) return next();
    res.sendFile(path.join(files.buildDir(build.nvr), file), { dotfiles: 'deny' });
  });
  router.get('/kojifiles/work/tasks/:bucket/:task/:file', (req, res, next) => {
    const taskId = files.taskById(Number(req.params.task));
    const log = taskId && req.params.file === 'build.log' ? files.taskLogFile(taskId) : undefined;
    if (!log || String(kojiTaskId(taskId!) % 10000) !== req.params.bucket) return next();
    res.type('text/plain').sendFile(log);
  });
  return router;
}
