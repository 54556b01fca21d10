// MBS's request forms (module-build-service 3.9.2): the list's query arguments turned into a store filter
// the way web/utils.py's filter_module_builds reads them, the submission body SCMHandler validates, and
// the OpenAPI description of /module-build-service/{api_version}/. Bad input is an MbsError naming the
// argument, in MBS's words where MBS has them.
import type { ModuleBuildState } from '@prisma/client';
import type { Request } from 'express';
import { mbsStateNumber, MBS_BUILD_STATES } from '../../domain/mbs';
import { REBUILD_STRATEGY_NAMES, type RebuildStrategy } from '../../domain/module-build';
import type { MbsModuleFilter, MbsModuleOrder } from '../../store/mbs-module-builds';
import { ApiError } from '../errors';
import { bearerAuth, registry, z } from '../openapi-registry';

export const badRequest = (field: string, message: string) => new ApiError(400, 'invalid_request', message, { field });

/** A query argument's values, however often it was given. */
function values(req: Request, key: string): string[] {
  const v = (req.query as Record<string, unknown>)[key];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}
const first = (req: Request, key: string) => values(req, key)[0];

function positiveInt(req: Request, key: string, fallback: number, max: number): number {
  const text = first(req, key);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw badRequest(key, `"${key}" must be an integer from 1 to ${max}`);
  return n;
}

export function pageOf(req: Request) {
  return { page: positiveInt(req, 'page', 1, 1_000_000), perPage: positiveInt(req, 'per_page', 10, 100) };
}

export function flag(req: Request, key: string): boolean {
  return ['true', '1'].includes((first(req, key) ?? 'false').toLowerCase());
}

const NAME_OF_NUMBER = new Map<number, string>(Object.entries(MBS_BUILD_STATES).map(([name, n]) => [n, name]));
const CASCADE_STATES = new Set<string>(['init', 'wait', 'build', 'done', 'ready', 'failed']);

function moduleStates(req: Request): ModuleBuildState[] | undefined {
  const given = values(req, 'state');
  if (given.length === 0) return undefined;
  return given.flatMap((s) => {
    const n = mbsStateNumber(s);
    if (n === undefined) throw badRequest('state', `Invalid state was supplied: ${s}`);
    const name = NAME_OF_NUMBER.get(n);
    // garbage (6) and numbers MBS has no name for select nothing, as they would in MBS's database
    return name && CASCADE_STATES.has(name) ? [name as ModuleBuildState] : [];
  });
}

const STATE_PATTERN = new RegExp(`^([0-9]{1,9}|${Object.keys(MBS_BUILD_STATES).join('|')})$`);
const ZULU = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(?:Z|[-+]00(?::00)?)?$/;

function moment(req: Request, key: string): Date | undefined {
  const text = first(req, key);
  if (!text) return undefined;
  const m = ZULU.exec(text);
  const at = m ? new Date(`${m[1]}Z`) : undefined;
  // the pattern holds any digits: month 82 matches it and is no time at all, and the store has no year 0
  if (!at || Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1)
    throw badRequest(key, `An invalid Zulu ISO 8601 timestamp was provided for the "${key}" parameter`);
  return at;
}

const span = (req: Request, item: string) => ({
  before: moment(req, `${item}_before`),
  after: moment(req, `${item}_after`),
});

export function moduleFilterOf(req: Request): MbsModuleFilter {
  if (first(req, 'id') !== undefined)
    throw badRequest(
      'id',
      `The "id" query option is invalid. Did you mean to go to "${req.baseUrl}/${first(req, 'id')}"?`,
    );
  const nsvc = (first(req, 'nsvc') ?? '').split(':');
  const part = (key: string, index: number) => first(req, key) ?? (nsvc[index] || undefined);
  return {
    name: part('name', 0),
    stream: part('stream', 1),
    version: part('version', 2),
    context: part('context', 3),
    owner: first(req, 'owner'),
    states: moduleStates(req),
    kojiTag: first(req, 'koji_tag'),
    submitted: span(req, 'submitted'),
    modified: span(req, 'modified'),
    completed: span(req, 'completed'),
  };
}

/** MBS's column names and the store's: what order_by and order_desc_by may name. */
const ORDER_COLUMNS: Record<string, (dir: 'asc' | 'desc') => MbsModuleOrder[number]> = {
  id: (d) => ({ mbsId: d }),
  name: (d) => ({ name: d }),
  stream: (d) => ({ stream: d }),
  version: (d) => ({ version: d }),
  context: (d) => ({ context: d }),
  state: (d) => ({ state: d }),
  owner: (d) => ({ owner: d }),
  rebuild_strategy: (d) => ({ strategy: d }),
  time_submitted: (d) => ({ createdAt: d }),
  time_modified: (d) => ({ updatedAt: d }),
};

/** _add_order_by_clause: newest id first unless order_by (ascending) or order_desc_by names columns. */
export function moduleOrderOf(req: Request): MbsModuleOrder {
  const asc = values(req, 'order_by');
  const desc = values(req, 'order_desc_by');
  if (asc.length && desc.length) throw badRequest('order_by', 'You may not specify both order_by and order_desc_by');
  const [columns, dir] = asc.length ? [asc, 'asc' as const] : [desc.length ? desc : ['id'], 'desc' as const];
  return columns.map((c) => {
    const order = ORDER_COLUMNS[c];
    if (!order)
      throw badRequest(asc.length ? 'order_by' : 'order_desc_by', `An invalid ordering key of "${c}" was supplied`);
    return order(dir);
  });
}

/** The fields SCMHandler knows; Cascade serves scmurl, branch and rebuild_strategy and says so for the rest. */
const KNOWN_FIELDS = new Set([
  'branch',
  'buildrequire_overrides',
  'rpm_component_ref_overrides',
  'modulemd',
  'module_name',
  'module_stream',
  'owner',
  'rebuild_strategy',
  'reuse_components_from',
  'require_overrides',
  'scmurl',
  'scratch',
  'side_tag',
  'srpms',
]);

export const MbsSubmit = registry.register(
  'MbsSubmit',
  z.object({
    scmurl: z.string().describe('<dist-git>/modules/<name>[.git]?#<commit or branch>'),
    branch: z.string().describe("the module's stream"),
    rebuild_strategy: z.enum(REBUILD_STRATEGY_NAMES).optional(),
  }),
);

export function submissionOf(body: unknown): { scmurl: string; branch: string; strategy?: RebuildStrategy } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('body', 'Invalid JSON submitted');
  const data = body as Record<string, unknown>;
  const unknown = Object.keys(data).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length)
    throw badRequest(unknown[0]!, `The request contains unspecified parameters: ${unknown.join(', ')}`);
  if ('modulemd' in data) throw new ApiError(403, 'forbidden', 'YAML submission is not enabled', { field: 'modulemd' });
  if (data.scratch === true || data.scratch === 'true')
    throw new ApiError(403, 'forbidden', 'Scratch builds are not enabled', { field: 'scratch' });
  if ('owner' in data)
    throw badRequest('owner', "The request contains 'owner' parameter, however NO_AUTH is not allowed");
  for (const unserved of [
    'buildrequire_overrides',
    'require_overrides',
    'rpm_component_ref_overrides',
    'reuse_components_from',
    'side_tag',
    'srpms',
    'module_name',
    'module_stream',
  ])
    if (unserved in data) throw badRequest(unserved, `${unserved} is not served by Cascade's MBS API`);
  if (typeof data.scmurl !== 'string' || !data.scmurl) throw badRequest('scmurl', 'Missing scmurl');
  if (typeof data.branch !== 'string' || !data.branch) throw badRequest('branch', 'Missing branch');
  if (!/^[A-Za-z0-9._+-]{1,100}$/.test(data.branch))
    throw badRequest('branch', `The branch ${data.branch} is not a stream name`);
  const strategy = data.rebuild_strategy;
  if (strategy !== undefined && !REBUILD_STRATEGY_NAMES.includes(strategy as RebuildStrategy))
    throw badRequest(
      'rebuild_strategy',
      `The rebuild_strategy of "${String(strategy)}" is invalid. Choose from: ${REBUILD_STRATEGY_NAMES.join(', ')}`,
    );
  return { scmurl: data.scmurl, branch: data.branch, strategy: strategy as RebuildStrategy | undefined };
}

// The list's arguments as moduleFilterOf, moduleOrderOf and pageOf read them (a little stricter), so
// that the published document offers nothing the route refuses.
const zulu = z
  .string()
  .regex(
    /^(|([1-9]\d{3}|0[1-9]\d{2}|00[1-9]\d|000[1-9])-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[-+]00(:00)?)?)$/,
  )
  .describe('Zulu ISO 8601, e.g. 2026-11-30T12:00:00Z; empty is no bound, as in MBS');
const orderColumn = z.enum(Object.keys(ORDER_COLUMNS) as [string, ...string[]]);
const ListQuery = z.object({
  name: z.string().optional(),
  stream: z.string().optional(),
  version: z.string().optional(),
  context: z.string().optional(),
  nsvc: z.string().optional(),
  state: z
    .union([z.string().regex(STATE_PATTERN), z.array(z.string().regex(STATE_PATTERN))])
    .optional()
    .describe('name or number (init 0 … ready 5), repeatable'),
  owner: z.string().optional(),
  koji_tag: z.string().optional(),
  submitted_before: zulu.optional(),
  submitted_after: zulu.optional(),
  modified_before: zulu.optional(),
  modified_after: zulu.optional(),
  completed_before: zulu.optional(),
  completed_after: zulu.optional(),
  order_by: orderColumn.optional(),
  order_desc_by: orderColumn.optional(),
  verbose: z.string().optional(),
  short: z.string().optional(),
  page: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/)
    .optional(),
  per_page: z
    .string()
    .regex(/^([1-9][0-9]?|100)$/)
    .optional(),
});

const IdParams = z.object({ api_version: z.enum(['1', '2']), id: z.string().regex(/^[0-9]{1,9}$/) });
const mbsJson = (description: string) => ({ description, content: { 'application/json': { schema: z.unknown() } } });
const mbsErrors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, mbsJson("MBS's error: { status, error, message }")]));

registry.registerPath({
  method: 'get',
  path: '/module-build-service/{api_version}/module-builds/',
  summary: 'Module builds as MBS 3.9.2 lists them (its filters, paging and fields)',
  request: { params: IdParams.pick({ api_version: true }), query: ListQuery },
  responses: { 200: mbsJson('{ items, meta }'), ...mbsErrors(400, 404) },
});
registry.registerPath({
  method: 'get',
  path: '/module-build-service/{api_version}/module-builds/{id}',
  summary: 'A module build as MBS 3.9.2 answers it (verbose=true: extended, with modulemd and state_trace)',
  request: { params: IdParams },
  responses: { 200: mbsJson('the build'), ...mbsErrors(400, 404) },
});
registry.registerPath({
  method: 'post',
  path: '/module-build-service/{api_version}/module-builds/',
  summary: "Build a module from its scmurl and branch (its maintainers and release engineers), as MBS's submission",
  security: [{ [bearerAuth.name]: [] }],
  request: {
    params: IdParams.pick({ api_version: true }),
    body: { content: { 'application/json': { schema: MbsSubmit } } },
  },
  responses: {
    201: mbsJson('the new build (a list of one in API version 2)'),
    ...mbsErrors(400, 401, 403, 404, 409, 422),
  },
});
registry.registerPath({
  method: 'get',
  path: '/module-build-service/{api_version}/component-builds/',
  summary:
    "Component builds as MBS 3.9.2 lists them (package, module_build, nvr, task_id, state; Koji's state numbers)",
  request: { params: IdParams.pick({ api_version: true }) },
  responses: { 200: mbsJson('{ items, meta }'), ...mbsErrors(400, 404) },
});
