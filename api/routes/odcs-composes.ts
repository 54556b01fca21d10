// /api/1/composes/: ODCS's API over Cascade's composes, so that ODCS's own client (and the tools
// built on it) can ask for a module compose, wait for it and use its repo file. A module compose is a
// Cascade compose of one variant, "Temporary", holding the named modules (and, unless the no_deps
// flag is given, the modules they require at run time), published like any other.
import type { PrismaClient } from '@prisma/client';
import { Router, type Request } from 'express';
import type { ComposeClient } from '../../clients/compose-client';
import { readCompose, type ComposeView } from '../../store/compose-views';
import { ApiError, notFound } from '../errors';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import { parse } from '../validate';
import { OdcsComposeCreate, OdcsIdParams, OdcsListQuery, OdcsRenewBody } from './composes.schemas';

export interface OdcsRouteDeps {
  prisma: PrismaClient;
  composes: ComposeClient;
  /** the URL the API is reached at, for result_repofile; the request's own host when not configured */
  publicUrl?: string;
  /** seconds a compose lives when the request does not say */
  defaultSecondsToLive: number;
}

/** ODCS's COMPOSE_STATES. */
const STATES = { wait: 0, generating: 1, done: 2, failed: 3, removed: 4 } as const;
type StateName = keyof typeof STATES;

const SOURCE_TYPE_MODULE = 2;

function stateOf(c: ComposeView, now: Date): StateName {
  if (c.removedAt || (c.expiresAt && new Date(c.expiresAt) <= now && c.status !== 'STARTED')) return 'removed';
  if (c.status === 'STARTED') return c.phase && c.phase !== 'init' ? 'generating' : 'wait';
  if ((c.status === 'FINISHED' || c.status === 'FINISHED_INCOMPLETE') && c.mirrorPath) return 'done';
  if (c.status === 'FINISHED' || c.status === 'FINISHED_INCOMPLETE') return 'generating';
  return 'failed';
}

const isoSeconds = (text: string | null) => (text ? text.replace(/\.\d{3}Z$/, 'Z') : null);

/** The compose in ODCS's JSON, with the field names ODCS 0.9 answers. */
function odcsView(c: ComposeView, publicUrl: string, now: Date) {
  const state = stateOf(c, now);
  const request =
    (c as unknown as { request?: { source?: string; flags?: string[]; arches?: string[] } }).request ?? {};
  const name = `odcs-${c.number}`;
  const repofile = `${publicUrl}/api/1/composes/${c.number}/${name}.repo`;
  const variant = c.variants[0];
  return {
    id: c.number,
    owner: c.createdBy,
    source_type: SOURCE_TYPE_MODULE,
    source: request.source ?? '',
    state: STATES[state],
    state_name: state,
    state_reason: c.statusReason ?? (state === 'done' ? 'Compose is generated successfully' : null),
    time_submitted: isoSeconds(c.createdAt),
    time_started: isoSeconds(c.createdAt),
    time_done: isoSeconds(c.finishedAt),
    time_to_expire: isoSeconds(c.expiresAt),
    time_removed: isoSeconds(c.removedAt),
    removed_by: null,
    result_repo: c.mirrorPath ? `${publicUrl}/mirror/${c.composeId}/compose/Temporary` : null,
    result_repofile: state === 'done' ? repofile : null,
    toplevel_url: c.mirrorPath ? `${publicUrl}/mirror/${c.composeId}` : null,
    flags: request.flags ?? [],
    results: ['repository'],
    arches: (variant?.arches ?? request.arches ?? ['x86_64']).join(' '),
    sigkeys: '',
    koji_event: null,
    koji_task_id: null,
    packages: null,
    builds: null,
    lookaside_repos: '',
    modular_koji_tags: null,
    module_defaults_url: null,
    multilib_arches: '',
    multilib_method: 0,
    label: c.label,
    compose_type: c.type,
    pungi_compose_id: c.composeId,
    pungi_config_dump: null,
    target_dir: 'default',
    parent_pungi_compose_ids: null,
    respin_of: null,
    scratch_modules: null,
    scratch_build_tasks: null,
  };
}

function pageLinks(req: Request, page: number, perPage: number, pages: number) {
  const link = (p: number) => {
    const url = new URL(req.originalUrl, 'http://cascade.invalid');
    url.searchParams.set('page', String(p));
    url.searchParams.set('per_page', String(perPage));
    return `${url.pathname}${url.search}`;
  };
  return {
    first: link(1),
    last: link(Math.max(1, pages)),
    next: page < pages ? link(page + 1) : null,
    prev: page > 1 ? link(page - 1) : null,
  };
}

export function odcsComposeRoutes(deps: OdcsRouteDeps): Router {
  const router = Router();

  // Links point where the client reached us, unless the deployment names its public URL.
  const base = (req: Request) => deps.publicUrl ?? `${req.protocol}://${req.get('host')}`;

  const readOne = async (number: number) => {
    const c = await readCompose(deps.prisma, { number });
    if (!c || c.origin !== 'odcs') throw notFound('compose', String(number));
    return c;
  };

  router.get('/about', (_req, res) => {
    res.json({ version: '0.9.2', auth_backend: 'bearer', allowed_clients: {}, raw_config_urls: {}, sigkeys: [] });
  });

  router.get('/composes/', async (req, res) => {
    const q = parse(OdcsListQuery, req, 'query');
    const now = new Date();
    const rows = await deps.prisma.compose.findMany({
      where: { origin: 'odcs', ...(q.owner ? { createdBy: q.owner } : {}) },
      orderBy: { number: 'desc' },
      select: { number: true },
    });
    const views = (await Promise.all(rows.map((r) => readCompose(deps.prisma, { number: r.number })))).flatMap((v) =>
      v ? [odcsView(v, base(req), now)] : [],
    );
    const filtered = views.filter(
      (v) =>
        (!q.state || v.state_name === q.state || String(v.state) === q.state) &&
        (!q.source || v.source === q.source) &&
        (!q.source_type || q.source_type === 'module' || q.source_type === String(SOURCE_TYPE_MODULE)),
    );
    const pages = Math.ceil(filtered.length / q.per_page);
    res.json({
      items: filtered.slice((q.page - 1) * q.per_page, q.page * q.per_page),
      meta: {
        page: q.page,
        pages,
        per_page: q.per_page,
        total: filtered.length,
        ...pageLinks(req, q.page, q.per_page, pages),
      },
    });
  });

  router.get('/composes/:id', async (req, res) => {
    const { id } = parse(OdcsIdParams, req, 'params');
    res.json(odcsView(await readOne(id), base(req), new Date()));
  });

  router.get('/composes/:id/:file', async (req, res) => {
    const { id } = parse(OdcsIdParams, req, 'params');
    if (req.params.file !== `odcs-${id}.repo`) throw notFound('file', String(req.params.file));
    const c = await readOne(id);
    if (stateOf(c, new Date()) !== 'done') throw new ApiError(404, 'not_ready', `compose ${id} has no repository yet`);
    res
      .type('text/plain')
      .send(
        [
          `[odcs-${id}]`,
          `name=ODCS repository for compose odcs-${id}`,
          `baseurl=${base(req)}/mirror/${c.composeId}/compose/Temporary/$basearch/os/`,
          'type=rpm-md',
          'skip_if_unavailable=False',
          'gpgcheck=0',
          'repo_gpgcheck=0',
          'enabled=1',
          'enabled_metadata=1',
          '',
        ].join('\n'),
      );
  });

  router.post('/composes/', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const body = parse(OdcsComposeCreate, req, 'body');
    const modules = body.source.source.trim().split(/\s+/);
    ensureAllowed(actor, 'compose.request', {
      kind: 'artifacts',
      modules: modules.map((m) => m.split(':')[0]!),
      components: [],
    });
    const started = await deps.composes.requestModuleCompose({
      modules,
      withDependencies: !(body.flags ?? []).includes('no_deps'),
      arches: body.arches ?? ['x86_64'],
      label: body.label ?? null,
      type: body.compose_type ?? 'test',
      secondsToLive: body['seconds-to-live'] ?? deps.defaultSecondsToLive,
      flags: body.flags ?? [],
      requestedBy: actor.name,
    });
    res
      .status(200)
      .json(odcsView((await readCompose(deps.prisma, { number: started.number }))!, base(req), new Date()));
  });

  router.patch('/composes/:id', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const { id } = parse(OdcsIdParams, req, 'params');
    const body = parse(OdcsRenewBody, req, 'body');
    const c = await readOne(id);
    ensureAllowed(actor, 'compose.renew', { kind: 'owned', owner: c.createdBy });
    if (stateOf(c, new Date()) !== 'done')
      throw new ApiError(
        409,
        'not_renewable',
        `compose ${id} is ${stateOf(c, new Date())}: only a done compose is renewed`,
      );
    const seconds = body['seconds-to-live'] ?? deps.defaultSecondsToLive;
    await deps.prisma.compose.update({
      where: { composeId: c.composeId },
      data: { expiresAt: new Date(Date.now() + seconds * 1000), ...(body.label ? { label: body.label } : {}) },
    });
    res.json(odcsView(await readOne(id), base(req), new Date()));
  });

  router.delete('/composes/:id', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const { id } = parse(OdcsIdParams, req, 'params');
    const c = await readOne(id);
    ensureAllowed(actor, 'compose.renew', { kind: 'owned', owner: c.createdBy });
    if (c.status === 'STARTED') await deps.composes.cancel(c.composeId, actor.name);
    await deps.prisma.compose.update({ where: { composeId: c.composeId }, data: { expiresAt: new Date() } });
    res.status(202).json({
      status: 202,
      message: `The delete request for compose (id=${id}) has been accepted and will be processed by backend later.`,
    });
  });

  return router;
}
