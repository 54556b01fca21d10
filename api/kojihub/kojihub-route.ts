/**
 * api/kojihub/: a Koji-compatible hub over LocalKoji and the store, so the `koji` CLI (and a Koji
 * client such as a KojiHubBuilder in another process) works against Cascade: XML-RPC at /kojihub with
 * multicall, and the files at /kojifiles in Koji's topdir layout (packages/<name>/<version>/<release>/
 * <arch>/<file>, work/tasks/<id % 10000>/<id>/<log>). Imported by api/app.ts only.
 */
import path from 'node:path';
import express, { type Request, type Router } from 'express';
import type { PrismaClient } from '@prisma/client';
import type { Builder } from '../../activities/koji/builder';
import { actorForToken } from '../identity/authenticate';
import { kojiTaskId } from './koji-ids';
import type { MethodTable } from './koji-method';
import type { HubContext } from './koji-shapes';
import { LocalKojiFiles } from './local-koji-files';
import { buildMethods } from './methods-builds';
import { sessionMethods } from './methods-session';
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

const METHODS: MethodTable = { ...sessionMethods, ...buildMethods, ...taskMethods, ...tagMethods };
const MULTICALL = new Set(['multiCall', 'system.multicall']);

export interface KojiHubDependencies {
  prisma: PrismaClient;
  builder: Builder;
  builds: { kojiRoot: string };
  publicUrl?: string;
}

async function dispatch(ctx: HubContext, method: string, params: XmlRpcValue[]): Promise<XmlRpcValue> {
  const handler = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  if (!handler) throw new KojiFault(FAULT.generic, `Invalid method: ${method}`);
  const { args, opts } = splitKeywordArgs(params);
  return handler.call(ctx, bindArgs(method, handler.params, args, opts));
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

async function hubContext(deps: KojiHubDependencies, files: LocalKojiFiles, req: Request): Promise<HubContext> {
  const header = req.get('authorization');
  const token = header && /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const actor = token ? await actorForToken(deps.prisma, token) : undefined;
  if (token && !actor) throw new KojiFault(FAULT.auth, 'the bearer token is unknown or revoked');
  return {
    files,
    prisma: deps.prisma,
    builder: deps.builder,
    baseUrl: deps.publicUrl ?? `${req.protocol}://${req.get('host')}`,
    actor,
  };
}

export function kojiHubRoutes(deps: KojiHubDependencies): Router {
  const files = new LocalKojiFiles(deps.builds.kojiRoot);
  const router = express.Router();
  router.post(
    ['/kojihub', '/kojihub/ssllogin'],
    express.text({ type: () => true, limit: '16mb' }),
    async (req, res) => {
      let body: string;
      try {
        if (req.path.endsWith('/ssllogin')) {
          throw new KojiFault(
            FAULT.auth,
            "this hub takes Cascade's bearer token (Authorization header), not SSL login",
          );
        }
        const ctx = await hubContext(deps, files, req);
        const { method, params } = decodeMethodCall(typeof req.body === 'string' ? req.body : '');
        const result = MULTICALL.has(method) ? await multiCall(ctx, params) : await dispatch(ctx, method, params);
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
