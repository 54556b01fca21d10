// /module-build-service/{1,2}/: the Module Build Service's API (module-build-service 3.9.2, web/views.py)
// over Cascade's module builds, so that the tools that ask MBS (ODCS, Pungi's MBS source, fedpkg's
// module-build-info and module-build) read and submit Cascade's builds. Builds and component builds are
// named by integer ids (their mbsId); states are MBS's numbers; errors are MBS's { status, error, message }
// with Cascade's code and details beside them. Submission starts the same module build as
// POST /api/v1/module-builds, with the same check (module-build.start).
import type { ComponentBuildState, PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import { Router, type ErrorRequestHandler, type Request } from 'express';
import type { DistGit } from '../../activities/distgit';
import { offerFixToWaitingCampaigns } from '../../clients/campaign-client';
import { moduleBuildTarget, startModuleBuild } from '../../clients/module-build-client';
import {
  MBS_BUILD_STATES,
  mbsComponentJson,
  mbsExtendedJson,
  mbsModuleJson,
  mbsShortJson,
  parseMbsScmUrl,
} from '../../domain/mbs';
import type { MbsModuleFacts } from '../../domain/mbs';
import type { MbsModuleState } from '../../domain/events';
import { DEFAULT_REBUILD_STRATEGY } from '../../domain/module-build';
import type { CascadeConfig } from '../../platform/config';
import {
  listMbsComponentBuilds,
  listMbsModuleBuilds,
  liveMbsBuildOf,
  mbsIdOfWorkflow,
  readMbsComponentBuild,
  readMbsModuleBuild,
} from '../../store/mbs-module-builds';
import { ApiError } from '../errors';
import { pathToNul } from '../validate';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import { badRequest, flag, moduleFilterOf, moduleOrderOf, pageOf, submissionOf } from './mbs.schemas';

export interface MbsRouteDeps {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  distGit: DistGit;
  builds: CascadeConfig['builds'];
  /** where the API is reached, for the links it hands out; the request's host when unset */
  publicUrl?: string;
  /** how long a submission waits for its build's first record before answering */
  submitRecordTimeoutMs?: number;
}

/** MBS's about: the version whose API this follows; tokens come as "Bearer", as OIDC's do. */
const ABOUT = { version: '3.9.2', api_version: 2, auth_method: 'oidc' };

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  503: 'Service Unavailable',
};

const notFound = (kind: string) => new ApiError(404, 'not_found', `No such ${kind} found.`);

/** Koji's build state names and numbers, as the component-builds list's state filter takes them. */
const KOJI_STATES: Record<string, ComponentBuildState[]> = {
  BUILDING: ['building'],
  COMPLETE: ['complete', 'reused'],
  DELETED: [],
  FAILED: ['failed'],
  CANCELED: [],
};
const KOJI_STATE_NAMES = Object.keys(KOJI_STATES);

export function mbsRoutes(deps: MbsRouteDeps): Router {
  const router = Router({ mergeParams: true });
  const base = (req: Request) => deps.publicUrl ?? `${req.protocol}://${req.get('host')}`;
  const scmurl = (name: string, commit: string) =>
    `${deps.distGit.cloneUrl({ namespace: 'modules', name })}?#${commit}`;

  router.use('/:apiVersion', (req, _res, next) => {
    const version = req.params.apiVersion;
    if (version !== '1' && version !== '2') return next(notFound('API version'));
    // MBS's arguments are read from the query as they come (mbs.schemas.ts), not through parse(): the
    // NUL character, which the store cannot hold, is refused here for all of them.
    const nul = pathToNul({ ...req.query }, []);
    if (nul) return next(badRequest(nul[0]!, `"${nul[0]}" must not contain the NUL character`));
    next();
  });

  router.get('/:apiVersion/about/', (_req, res) => {
    res.json(ABOUT);
  });

  /** pagination_metadata: absolute links carrying the request's other arguments. */
  const meta = (req: Request, page: number, perPage: number, total: number) => {
    const pages = Math.ceil(total / perPage);
    const link = (p: number) => {
      const url = new URL(req.originalUrl, base(req));
      url.searchParams.set('page', String(p));
      url.searchParams.set('per_page', String(perPage));
      return `${base(req)}${url.pathname}${url.search}`;
    };
    return {
      first: link(1),
      last: link(pages),
      next: page < pages ? link(page + 1) : null,
      prev: page > 1 ? link(page - 1) : null,
      page,
      pages,
      per_page: perPage,
      total,
    };
  };

  const render = (req: Request, b: MbsModuleFacts) => {
    if (flag(req, 'verbose'))
      return mbsExtendedJson(b, `${base(req)}/module-build-service/${req.params.apiVersion}/module-builds/${b.mbsId}`);
    if (flag(req, 'short')) return mbsShortJson(b);
    return mbsModuleJson(b);
  };

  router.get('/:apiVersion/module-builds/', async (req, res) => {
    const filter = moduleFilterOf(req);
    const { page, perPage } = pageOf(req);
    const orderBy = moduleOrderOf(req);
    const { items, total } = await listMbsModuleBuilds(deps.prisma, filter, { page, perPage, orderBy }, scmurl);
    res.json({ items: items.map((b) => render(req, b)), meta: meta(req, page, perPage, total) });
  });

  const idOf = (req: Request) => {
    const text = String(req.params.id);
    return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
  };

  router.get('/:apiVersion/module-builds/:id', async (req, res) => {
    const id = idOf(req);
    const build = id === undefined ? undefined : await readMbsModuleBuild(deps.prisma, id, scmurl);
    if (!build) throw notFound('module');
    res.json(render(req, build));
  });

  router.post('/:apiVersion/module-builds/', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const submission = submissionOf(req.body);
    const source = parseMbsScmUrl(submission.scmurl);
    if ('error' in source) throw badRequest('scmurl', source.error);
    ensureAllowed(actor, 'module-build.start', { kind: 'artifacts', modules: [source.name], components: [] });
    const commit = await commitOf(deps.distGit, source.name, source.revision);
    let at: { commit: string; version: string };
    try {
      at = await moduleBuildTarget(deps.distGit, source.name, submission.branch, commit);
    } catch (err) {
      throw new ApiError(422, 'module_not_buildable', (err as Error).message);
    }
    // MBS refuses a version that exists and has not failed; Temporal would start a second run of it
    const live = await liveMbsBuildOf(deps.prisma, source.name, submission.branch, at.version);
    if (live) throw conflict(live.state, live.mbsId);
    const started = await startModuleBuild(
      deps.temporal,
      deps.taskQueue,
      {
        name: source.name,
        stream: submission.branch,
        commit: at.commit,
        strategy: submission.strategy ?? DEFAULT_REBUILD_STRATEGY,
        owner: actor.name,
        campaignId: null,
        concurrency: deps.builds.concurrency,
        componentTimeoutMs: deps.builds.componentTimeoutMs,
      },
      at.version,
    );
    if (started.existing) throw conflict('init', await mbsIdOfWorkflow(deps.prisma, started.workflowId));
    // as POST /api/v1/module-builds: a campaign waiting on this module adopts the build once its CI passes
    await offerFixToWaitingCampaigns(deps.temporal, deps.prisma, {
      modules: [{ name: source.name, stream: submission.branch }],
      actor: actor.name,
      reason: `new build ${started.workflowId}`,
      buildWorkflowId: started.workflowId,
      key: `module-build/${started.workflowId}`,
      at: new Date().toISOString(),
    });
    const build = await recordedBuild(deps, started.workflowId, scmurl);
    const body = mbsExtendedJson(
      build,
      `${base(req)}/module-build-service/${req.params.apiVersion}/module-builds/${build.mbsId}`,
    );
    // API version 1 answers the build; version 2 a list, since MBS's stream expansion may make several
    res.status(201).json(req.params.apiVersion === '1' ? body : [body]);
  });

  router.get('/:apiVersion/component-builds/', async (req, res) => {
    const { page, perPage } = pageOf(req);
    const q = req.query as Record<string, string | string[] | undefined>;
    const one = (key: string) => (Array.isArray(q[key]) ? q[key][0] : q[key]);
    const states = [q.state ?? []].flat().flatMap((s) => {
      const name = /^\d+$/.test(s) ? KOJI_STATE_NAMES[Number(s)] : s.toUpperCase();
      if (!name || !KOJI_STATES[name]) throw badRequest('state', `Invalid state was supplied: ${s}`);
      return KOJI_STATES[name];
    });
    const moduleBuild = one('module_build') ?? one('module_id');
    if (moduleBuild !== undefined && !/^\d{1,9}$/.test(moduleBuild))
      throw badRequest('module_build', '"module_build" must be a module build id');
    const taskNumber = one('task_id');
    if (taskNumber !== undefined && !/^\d{1,15}$/.test(taskNumber))
      throw badRequest('task_id', '"task_id" must be a Koji task number');
    const order = one('order_by') ?? one('order_desc_by') ?? 'id';
    if (order !== 'id') throw badRequest('order_by', `An invalid ordering key of "${order}" was supplied`);
    const { items, total } = await listMbsComponentBuilds(
      deps.prisma,
      {
        package: one('package'),
        nvr: one('nvr'),
        taskNumber: taskNumber === undefined ? undefined : Number(taskNumber),
        moduleMbsId: moduleBuild === undefined ? undefined : Number(moduleBuild),
        states: q.state === undefined ? undefined : { in: states },
      },
      { page, perPage, descending: one('order_by') === undefined },
    );
    res.json({ items: items.map((c) => mbsComponentJson(c, c.moduleMbsId)), meta: meta(req, page, perPage, total) });
  });

  router.get('/:apiVersion/component-builds/:id', async (req, res) => {
    const id = idOf(req);
    const component = id === undefined ? undefined : await readMbsComponentBuild(deps.prisma, id);
    if (!component) throw notFound('component');
    res.json(mbsComponentJson(component, component.moduleMbsId));
  });

  router.use(((err, _req, res, next) => {
    if (!(err instanceof ApiError)) return next(err);
    res.status(err.status).json({
      status: err.status,
      error: REASONS[err.status] ?? 'Error',
      message: err.message,
      code: err.code,
      details: err.details ?? null,
    });
  }) satisfies ErrorRequestHandler);

  return router;
}

/** MBS's Conflict, with the existing build's id beside its words. */
function conflict(state: MbsModuleState, id: number | undefined): ApiError {
  return new ApiError(
    409,
    'conflict',
    `Module (state=${MBS_BUILD_STATES[state]}) already exists. Only a new build, resubmission of a failed build or build against new buildrequirements is allowed.`,
    { id: id ?? null },
  );
}

/** The commit an scmurl's revision names: a full hash as it is, a branch by its head. */
async function commitOf(distGit: DistGit, name: string, revision: string): Promise<string> {
  if (/^[0-9a-f]{40}$/.test(revision)) return revision;
  const head = await distGit.resolveBranch({ namespace: 'modules', name }, revision).catch((err: Error) => {
    throw new ApiError(422, 'module_not_buildable', err.message, { field: 'scmurl' });
  });
  if (!head)
    throw badRequest(
      'scmurl',
      `The scmurl's revision ${revision} is neither a commit hash nor a branch of modules/${name}`,
    );
  return head;
}

/** MBS records a build before it answers; Cascade's workflow records it in its first step, awaited here. */
async function recordedBuild(
  deps: MbsRouteDeps,
  workflowId: string,
  scmurl: (name: string, commit: string) => string,
): Promise<MbsModuleFacts> {
  const deadline = Date.now() + (deps.submitRecordTimeoutMs ?? 60_000);
  for (;;) {
    const id = await mbsIdOfWorkflow(deps.prisma, workflowId);
    const build = id === undefined ? undefined : await readMbsModuleBuild(deps.prisma, id, scmurl);
    if (build) return build;
    const handle = deps.temporal.workflow.getHandle(workflowId);
    if ((await handle.describe()).status.name !== 'RUNNING') {
      // planning failed (a buildrequire without a ready build, a bad modulemd): no record, the reason
      const outcome = await handle.result().then(
        (o: { reason?: string }) => o.reason ?? 'the build ended before it was recorded',
        (err: Error) => innermost(err).message,
      );
      throw new ApiError(422, 'module_not_buildable', outcome, { workflowId });
    }
    if (Date.now() > deadline)
      throw new ApiError(503, 'not_recorded', `the build ${workflowId} started but has not been recorded yet`, {
        workflowId,
      });
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Temporal wraps a failure in its workflow's and activity's: the innermost says what went wrong. */
function innermost(err: Error): Error {
  return err.cause instanceof Error ? innermost(err.cause) : err;
}
