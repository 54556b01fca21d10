// /api/v1/pipeline: where a thing is in the pipeline — a component on a branch, a module stream, a
// module build (NSVC), a component build (NVR), a compose or a commit — in one answer shape, with a
// verdict a person reads at a glance and lineage both ways. Read-only; never waits on a running build.
import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import { Router, type Request, type Response } from 'express';
import { classifyPipelineQuery, type PipelineTarget } from '../../domain/pipeline';
import { splitNvr } from '../../domain/pipeline/classify';
import { ApiError, notFound } from '../errors';
import { pipelineOverview } from '../pipeline/pipeline-overview';
import { parse } from '../validate';
import { registerPipelinePaths } from './pipeline.openapi';
import {
  CommitParams,
  ComponentParams,
  ComponentQuery,
  ComposeParams,
  ModuleStreamParams,
  NsvcParams,
  NvrParams,
  PipelineSearchQuery,
} from './pipeline.schemas';

export interface PipelineRouteDeps {
  prisma: PrismaClient;
  temporal: Client;
  /** the Temporal Web UI, for links to workflows: CASCADE_TEMPORAL_UI_URL, else the request's host on `port` */
  temporalUi?: { explicitUrl?: string; port: number; namespace: string };
  /** injected by tests that fix the clock; the relative times in verdicts are computed from it */
  now?: () => Date;
}

registerPipelinePaths();

const DEFAULT_TEMPORAL_UI_PORT = 8233;
const LIVE_QUERY_TIMEOUT_MS = 1500;

export function pipelineRoutes(deps: PipelineRouteDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const overviewDeps = (req: Request) => ({
    prisma: deps.prisma,
    temporal: deps.temporal,
    temporalUiUrl:
      deps.temporalUi?.explicitUrl ??
      `${req.protocol}://${req.hostname}:${deps.temporalUi?.port ?? DEFAULT_TEMPORAL_UI_PORT}`,
    temporalNamespace: deps.temporalUi?.namespace ?? deps.temporal.options.namespace,
    liveQueryTimeoutMs: LIVE_QUERY_TIMEOUT_MS,
  });

  async function answer(req: Request, res: Response, candidates: PipelineTarget[], what: string, key: string) {
    const overview = await pipelineOverview(overviewDeps(req), candidates, now());
    if (!overview) throw notFound(what, key);
    res.json(overview);
  }

  router.get('/', async (req, res) => {
    const { q } = parse(PipelineSearchQuery, req, 'query');
    const classified = classifyPipelineQuery(q);
    if (!classified.ok) throw new ApiError(400, 'invalid_request', `query.q: ${classified.message}`);
    await answer(req, res, classified.candidates, 'component, module, build, compose or commit', q.trim());
  });

  router.get('/components/:name', async (req, res) => {
    const { name } = parse(ComponentParams, req, 'params');
    const { branch } = parse(ComponentQuery, req, 'query');
    await answer(
      req,
      res,
      [{ kind: 'component', name, branch: branch ?? null }],
      'component',
      branch ? `${name}@${branch}` : name,
    );
  });

  router.get('/modules/:name/:stream', async (req, res) => {
    const { name, stream } = parse(ModuleStreamParams, req, 'params');
    await answer(req, res, [{ kind: 'module', name, stream }], 'module stream', `${name}:${stream}`);
  });

  router.get('/modules/:nsvc', async (req, res) => {
    const { nsvc } = parse(NsvcParams, req, 'params');
    const [name, stream, version, context] = nsvc.split(':') as [string, string, string, string];
    await answer(req, res, [{ kind: 'nsvc', nsvc, name, stream, version, context }], 'module build', nsvc);
  });

  router.get('/nvrs/:nvr', async (req, res) => {
    const { nvr } = parse(NvrParams, req, 'params');
    const target = splitNvr(nvr);
    if (!target)
      throw new ApiError(400, 'invalid_request', 'params.nvr: not name-version-release', {
        fields: [{ field: 'params.nvr', message: 'not name-version-release' }],
      });
    await answer(req, res, [target], 'component build', target.nvr);
  });

  router.get('/composes/:id', async (req, res) => {
    const { id } = parse(ComposeParams, req, 'params');
    await answer(req, res, [{ kind: 'compose', composeId: id }], 'compose', id);
  });

  router.get('/commits/:hash', async (req, res) => {
    const { hash } = parse(CommitParams, req, 'params');
    await answer(req, res, [{ kind: 'commit', hash }], 'commit', hash);
  });

  return router;
}
