// Branch history of dist-git repositories, and the embedded dist-git served read-only over HTTP
// (git's dumb protocol: static files), so builders and people can clone from the API.
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import express, { Router } from 'express';
import { branchHistory, headAt, staleBuilds } from '../../store/branch-history';
import type { DistGit, LocalDistGit } from '../../activities/distgit';
import { ApiError, notFound, validationError } from '../errors';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';
import { parse } from '../validate';
import { artifactName } from './campaigns.schemas';
import { AtQuery } from './modules.schemas';

const BranchParams = z.object({
  namespace: z.enum(['rpms', 'modules']),
  name: artifactName,
  branch: z.string().regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._+/-]{1,200}$/, 'must be a branch name'),
});

const RefMove = registry.register(
  'RefMove',
  z.object({
    branch: z.string(),
    oldHash: z.string(),
    newHash: z.string(),
    movedAt: z.string(),
    pusher: z.string(),
    source: z.string(),
  }),
);
for (const [suffix, summary, schema] of [
  ['history', 'Every hash the branch has pointed to, oldest first', z.object({ items: z.array(RefMove) })],
  ['head', 'Where the branch pointed at a time (default now)', RefMove],
  [
    'stale-builds',
    'Builds made from an earlier hash than the head: what a patch must rebuild',
    z.object({ head: z.string(), builds: z.array(z.unknown()) }),
  ],
] as const) {
  registry.registerPath({
    method: 'get',
    path: `/api/v1/repos/{namespace}/{name}/branches/{branch}/${suffix}`,
    summary,
    request: { params: BranchParams, ...(suffix === 'head' ? { query: AtQuery } : {}) },
    responses: {
      200: { description: summary, content: { 'application/json': { schema } } },
      ...errorResponses(400, 404),
    },
  });
}

const RepoCreate = registry.register(
  'RepoCreate',
  z.object({ namespace: z.enum(['rpms', 'modules']), name: artifactName }).strict(),
);
const RepoCreated = registry.register(
  'RepoCreated',
  z.object({
    namespace: z.string(),
    name: z.string(),
    created: z.boolean(),
    cloneUrl: z.string(),
    pushUrl: z.string(),
  }),
);
registry.registerPath({
  method: 'post',
  path: '/api/v1/repos',
  summary: 'Create a repository in the embedded dist-git (release engineers); idempotent',
  security: [{ [bearerAuth.name]: [] }],
  request: { body: { content: { 'application/json': { schema: RepoCreate } } } },
  responses: {
    200: { description: 'the repository', content: { 'application/json': { schema: RepoCreated } } },
    ...errorResponses(400, 401, 403, 409),
  },
});

export function repoRoutes(deps: { prisma: PrismaClient; distGit: DistGit; localDistGit?: LocalDistGit }): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const repo = parse(RepoCreate, req, 'body');
    ensureAllowed(actor, 'store.import', { kind: 'global' });
    const local = deps.localDistGit;
    if (!local) {
      throw new ApiError(409, 'remote_dist_git', 'dist-git is remote (CASCADE_DISTGIT_URL): create repositories there');
    }
    const { created } = await local.ensureRepo(repo);
    await deps.prisma.repo.upsert({ where: { namespace_name: repo }, create: repo, update: {} });
    res.json({ ...repo, created, cloneUrl: local.cloneUrl(repo), pushUrl: local.repoPath(repo) });
  });
  const label = (p: z.infer<typeof BranchParams>) => `${p.namespace}/${p.name} ${p.branch}`;

  // Branch names may contain '/': the branch is everything between /branches/ and the last segment.
  router.get(/^\/([^/]+)\/([^/]+)\/branches\/(.+)\/(history|head|stale-builds)$/, async (req, res) => {
    const captures = req.params as unknown as Record<string, string>;
    const [namespace, name, branch, what] = ['0', '1', '2', '3'].map((i) => captures[i]);
    const checked = BranchParams.safeParse({ namespace, name, branch });
    if (!checked.success) throw validationError(checked.error, 'params');
    const params = checked.data;
    if (what === 'history') {
      const items = await branchHistory(deps.prisma, params.namespace, params.name, params.branch);
      if (!items || items.length === 0) throw notFound('branch', label(params));
      res.json({ items });
    } else if (what === 'head') {
      const { at } = parse(AtQuery, req, 'query');
      const head = await headAt(deps.prisma, params.namespace, params.name, params.branch, at ?? new Date());
      if (!head) throw notFound('branch head', `${label(params)}${at ? ` at ${at.toISOString()}` : ''}`);
      res.json(head);
    } else {
      const stale = await staleBuilds(deps.prisma, params.namespace, params.name, params.branch);
      if (!stale) throw notFound('branch', label(params));
      res.json(stale);
    }
  });
  return router;
}

/** Read-only dumb-HTTP serving of <root>/<namespace>/<name>.git: only what `git clone` reads. */
export function gitServing(root: string): Router {
  const router = Router();
  const allowed =
    /^\/(rpms|modules)\/[A-Za-z0-9][A-Za-z0-9._+-]{0,99}\.git\/(HEAD|info\/refs|objects\/(info\/(packs|alternates|http-alternates)|[0-9a-f]{2}\/[0-9a-f]{38}|pack\/pack-[0-9a-f]{40}\.(pack|idx)))$/;
  const files = express.static(path.resolve(root), { dotfiles: 'deny', index: false, fallthrough: false });
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!allowed.test(req.path)) return next();
    files(req, res, next);
  });
  return router;
}
