// /api/v1/module-builds: start a module build (its maintainers and release engineers), list and read
// builds with their components, reuse records and state history, component logs, Temporal history.
import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { DistGit } from '../../activities/distgit';
import type { Builder } from '../../activities/koji';
import { offerFixToWaitingCampaigns } from '../../clients/campaign-client';
import { moduleBuildTarget, startModuleBuild } from '../../clients/module-build-client';
import { DEFAULT_REBUILD_STRATEGY, REBUILD_STRATEGY_NAMES } from '../../domain/module-build';
import type { CascadeConfig } from '../../platform/config';
import { ApiError, notFound } from '../errors';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';
import { readWorkflowHistory } from '../temporal-history';
import { parse } from '../validate';
import { artifactName } from './campaigns.schemas';
import { streamName } from './modules.schemas';

const ModuleBuildCreate = registry.register(
  'ModuleBuildCreate',
  z
    .object({
      name: artifactName,
      stream: streamName,
      commit: z
        .string()
        .regex(/^[0-9a-f]{40}$/, 'must be a 40-character commit hash')
        .optional(),
      strategy: z.enum(REBUILD_STRATEGY_NAMES).default(DEFAULT_REBUILD_STRATEGY),
    })
    .strict(),
);
const NsvcParams = z.object({
  nsvc: z
    .string()
    .regex(/^[A-Za-z0-9._+-]+:[A-Za-z0-9._+-]+:[0-9]{1,20}:[A-Za-z0-9_]{1,64}$/, 'must be name:stream:version:context'),
});
const ListQuery = z
  .object({
    name: artifactName.optional(),
    stream: streamName.optional(),
    state: z.enum(['init', 'wait', 'build', 'done', 'ready', 'failed']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

registry.registerPath({
  method: 'post',
  path: '/api/v1/module-builds',
  summary: 'Build a module stream at a commit (default: its branch head); its maintainers and release engineers',
  security: [{ [bearerAuth.name]: [] }],
  request: { body: { content: { 'application/json': { schema: ModuleBuildCreate } } } },
  responses: {
    202: {
      description: 'started (or already running: same id)',
      content: {
        'application/json': {
          schema: z.object({
            workflowId: z.string(),
            version: z.string(),
            commit: z.string(),
            adoptedBy: z.array(z.object({ campaignId: z.string(), module: z.string() })),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 422),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/module-builds',
  summary: 'Module builds, newest first',
  request: { query: ListQuery },
  responses: {
    200: {
      description: 'builds',
      content: { 'application/json': { schema: z.object({ items: z.array(z.unknown()) }) } },
    },
    ...errorResponses(400),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/module-builds/{nsvc}',
  summary: 'A module build with its components, reuse records and states',
  request: { params: NsvcParams },
  responses: {
    200: { description: 'the build', content: { 'application/json': { schema: z.unknown() } } },
    ...errorResponses(400, 404),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/module-builds/{nsvc}/components/{component}/log',
  summary: "A component build's log (text)",
  request: { params: NsvcParams.extend({ component: artifactName }) },
  responses: {
    200: { description: 'the log', content: { 'text/plain': { schema: z.string() } } },
    ...errorResponses(400, 404),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/module-builds/{nsvc}/history',
  summary: "The Temporal history of the workflow that ran the module build (its own, or a campaign attempt's)",
  request: { params: NsvcParams },
  responses: {
    200: { description: 'events', content: { 'application/json': { schema: z.unknown() } } },
    ...errorResponses(400, 404),
  },
});

export interface ModuleBuildRouteDeps {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  distGit: DistGit;
  builder: Builder;
  builds: CascadeConfig['builds'];
}

export function moduleBuildRoutes(deps: ModuleBuildRouteDeps): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const body = parse(ModuleBuildCreate, req, 'body');
    ensureAllowed(actor, 'module-build.start', { kind: 'artifacts', modules: [body.name], components: [] });
    let at: { commit: string; version: string };
    try {
      at = await moduleBuildTarget(deps.distGit, body.name, body.stream, body.commit);
    } catch (err) {
      throw new ApiError(422, 'module_not_buildable', (err as Error).message);
    }
    const { workflowId } = await startModuleBuild(
      deps.temporal,
      deps.taskQueue,
      {
        name: body.name,
        stream: body.stream,
        commit: at.commit,
        strategy: body.strategy,
        owner: actor.name,
        campaignId: null,
        concurrency: deps.builds.concurrency,
        componentTimeoutMs: deps.builds.componentTimeoutMs,
      },
      at.version,
    );
    // A maintainer's new build of a module a campaign waits on: the campaign adopts it once CI passes.
    const offers = await offerFixToWaitingCampaigns(deps.temporal, deps.prisma, {
      modules: [{ name: body.name, stream: body.stream }],
      actor: actor.name,
      reason: `new build ${workflowId}`,
      buildWorkflowId: workflowId,
      key: `module-build/${workflowId}`,
      at: new Date().toISOString(),
    });
    res.status(202).json({
      workflowId,
      version: at.version,
      commit: at.commit,
      adoptedBy: offers.filter((o) => o.outcome.ok).map((o) => ({ campaignId: o.campaignId, module: o.module })),
    });
  });

  router.get('/', async (req, res) => {
    const q = parse(ListQuery, req, 'query');
    const rows = await deps.prisma.moduleBuild.findMany({
      where: { name: q.name, stream: q.stream, state: q.state },
      orderBy: { createdAt: 'desc' },
      take: q.limit,
    });
    res.json({ items: rows.map(({ modulemd: _modulemd, ...r }) => r) });
  });

  router.get('/:nsvc', async (req, res) => {
    const { nsvc } = parse(NsvcParams, req, 'params');
    const row = await deps.prisma.moduleBuild.findUnique({
      where: { nsvc },
      include: { components: { orderBy: [{ batch: 'asc' }, { name: 'asc' }] }, states: { orderBy: { at: 'asc' } } },
    });
    if (!row) throw notFound('module build', nsvc);
    const origins = await deps.prisma.componentBuild.findMany({
      where: { id: { in: row.components.flatMap((c) => (c.reusedFromId ? [c.reusedFromId] : [])) } },
      include: { moduleBuild: { select: { nsvc: true } } },
    });
    const origin = new Map(origins.map((o) => [o.id, { nsvc: o.moduleBuild.nsvc, nvr: o.nvr }]));
    res.json({
      ...row,
      states: row.states.map((s) => ({ state: s.state, reason: s.reason, at: s.at })),
      components: row.components.map((c) => ({
        ...c,
        reusedFrom: c.reusedFromId ? (origin.get(c.reusedFromId) ?? null) : null,
      })),
    });
  });

  router.get('/:nsvc/components/:component/log', async (req, res) => {
    const { nsvc, component } = parse(NsvcParams.extend({ component: artifactName }), req, 'params');
    const row = await deps.prisma.componentBuild.findFirst({ where: { name: component, moduleBuild: { nsvc } } });
    if (!row?.taskId) throw notFound('component build log', `${nsvc} ${component}`);
    res.type('text/plain').send(await deps.builder.taskLog(row.taskId));
  });

  router.get('/:nsvc/history', async (req, res) => {
    const { nsvc } = parse(NsvcParams, req, 'params');
    const row = await deps.prisma.moduleBuild.findUnique({ where: { nsvc } });
    if (!row) throw notFound('module build', nsvc);
    res.json({ workflowId: row.workflowId, events: await readWorkflowHistory(deps.temporal, row.workflowId) });
  });

  return router;
}
