// What the generated OpenAPI document adds to the routes' own registrations, the same for every route:
// an operationId from the method and path, a request body marked required when the route's schema
// refuses an empty one, the statuses every route may answer (400, 401, 404, 413, 415), and the links between operations (a created
// campaign's id to its actions, a module build's NSVC to its log, …) that a stateful client or fuzzer
// follows. Imported by api/openapi-registry.ts only.
import type { z } from 'zod';

type Json = Record<string, unknown>;

/** `post /api/v1/campaigns/{id}/cancel` → `post_api_v1_campaigns_id_cancel`: stable, unique per operation. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .join('_');
  return `${method.toLowerCase()}_${words}`;
}

interface RouteDefinition {
  type: string;
  route?: { request?: { body?: { required?: boolean; content?: Record<string, { schema?: unknown }> } } };
}

/**
 * Marks each JSON request body required unless its schema accepts `{}`: the routes read an absent body
 * as `{}` (api/validate.ts), so a body is optional exactly when `{}` passes.
 */
export function markRequiredBodies(definitions: readonly unknown[]): void {
  for (const definition of definitions as RouteDefinition[]) {
    const body = definition.route?.request?.body;
    if (definition.type !== 'route' || !body || body.required !== undefined) continue;
    const schema = body.content?.['application/json']?.schema as z.ZodType | undefined;
    body.required = schema && typeof schema.safeParse === 'function' ? !schema.safeParse({}).success : true;
  }
}

interface Link {
  from: string;
  status: string;
  to: string;
  name: string;
  parameters: Record<string, string>;
}

const L = (from: string, status: string, to: string, name: string, parameters: Record<string, string>): Link => ({
  from,
  status,
  to,
  name,
  parameters,
});

const campaign = { id: '$response.body#/id' };
const release = { release: '$response.body#/key' };
const sameRelease = (idField: string, idParam = 'id') => ({
  release: '$request.path.release',
  [idParam]: `$response.body#/${idField}`,
});

/** Each link: the operation and status it leaves from, the operation it leads to, how its parameters are filled. */
export const LINKS: Link[] = [
  ...['resume', 'retry', 'skip'].map((action) =>
    L('post /api/v1/campaigns', '202', `post /api/v1/campaigns/{id}/modules/{module}/${action}`, action, campaign),
  ),
  L('post /api/v1/campaigns', '202', 'get /api/v1/campaigns/{id}', 'campaign', campaign),
  L('post /api/v1/campaigns', '202', 'get /api/v1/campaigns/{id}/progress', 'progress', campaign),
  L('post /api/v1/campaigns', '202', 'get /api/v1/campaigns/{id}/history', 'history', campaign),
  L('post /api/v1/campaigns', '202', 'post /api/v1/campaigns/{id}/cancel', 'cancel', campaign),
  L('get /api/v1/campaigns/{id}', '200', 'get /api/v1/campaigns/{id}/history', 'history', {
    id: '$request.path.id',
  }),
  L('get /api/v1/module-builds/{nsvc}', '200', 'get /api/v1/module-builds/{nsvc}/components/{component}/log', 'log', {
    nsvc: '$request.path.nsvc',
    component: '$response.body#/components/0/name',
  }),
  L('get /api/v1/module-builds/{nsvc}', '200', 'get /api/v1/module-builds/{nsvc}/history', 'history', {
    nsvc: '$request.path.nsvc',
  }),
  L('get /api/v1/module-builds/{nsvc}', '200', 'get /api/v1/pipeline/modules/{nsvc}', 'pipeline', {
    nsvc: '$request.path.nsvc',
  }),
  L('get /api/v1/module-builds', '200', 'get /api/v1/module-builds/{nsvc}', 'first', {
    nsvc: '$response.body#/items/0/nsvc',
  }),
  L('get /api/v1/ci/results', '200', 'get /api/v1/ci/results/{id}', 'first', { id: '$response.body#/items/0/id' }),
  L('get /api/v1/ci/results', '200', 'get /api/v1/ci/results/{id}/log', 'log', { id: '$response.body#/items/0/id' }),
  L('get /api/v1/notifications', '200', 'post /api/v1/notifications/{id}/read', 'read', {
    id: '$response.body#/items/0/id',
  }),
  L('post /api/v1/tokens', '201', 'delete /api/v1/tokens/{id}', 'revoke', { id: '$response.body#/id' }),
  L('post /api/v1/releases', '201', 'get /api/v1/releases/{release}', 'release', release),
  L('post /api/v1/releases', '201', 'get /api/v1/releases/{release}/comps', 'comps', release),
  L('post /api/v1/releases', '201', 'get /api/v1/releases/{release}/variants', 'variants', release),
  ...['groups', 'categories', 'environments'].flatMap((kind) => [
    L(
      `post /api/v1/releases/{release}/${kind}`,
      '201',
      `get /api/v1/releases/{release}/${kind}/{id}`,
      'read',
      sameRelease('id'),
    ),
    L(
      `post /api/v1/releases/{release}/${kind}`,
      '201',
      `put /api/v1/releases/{release}/${kind}/{id}`,
      'replace',
      sameRelease('id'),
    ),
    L(
      `post /api/v1/releases/{release}/${kind}`,
      '201',
      `delete /api/v1/releases/{release}/${kind}/{id}`,
      'delete',
      sameRelease('id'),
    ),
  ]),
  L(
    'post /api/v1/releases/{release}/langpacks',
    '201',
    'get /api/v1/releases/{release}/langpacks/{id}',
    'read',
    sameRelease('name'),
  ),
  L(
    'post /api/v1/releases/{release}/langpacks',
    '201',
    'delete /api/v1/releases/{release}/langpacks/{id}',
    'delete',
    sameRelease('name'),
  ),
  L(
    'post /api/v1/releases/{release}/variants',
    '201',
    'get /api/v1/releases/{release}/variants/{uid}',
    'read',
    sameRelease('uid', 'uid'),
  ),
  L(
    'post /api/v1/releases/{release}/variants',
    '201',
    'delete /api/v1/releases/{release}/variants/{uid}',
    'delete',
    sameRelease('uid', 'uid'),
  ),
  L('post /api/v1/composes', '202', 'get /api/v1/composes/{id}', 'compose', { id: '$response.body#/id' }),
  L('post /api/v1/composes', '202', 'post /api/v1/composes/{id}/cancel', 'cancel', { id: '$response.body#/id' }),
  L('post /api/1/composes/', '200', 'get /api/1/composes/{id}', 'compose', { id: '$response.body#/id' }),
  L('post /api/1/composes/', '200', 'patch /api/1/composes/{id}', 'renew', { id: '$response.body#/id' }),
  L('post /api/1/composes/', '200', 'delete /api/1/composes/{id}', 'expire', { id: '$response.body#/id' }),
];

/**
 * What any route answers besides its own statuses: 400 when it reads parameters or a body, 401 (every
 * read needs a token when CASCADE_READS_REQUIRE_AUTH is set; /healthz never does), 404 when its path
 * names something, 413 and 415 when it takes a body.
 */
function statusesEveryRouteMayAnswer(path: string, operation: Json): number[] {
  const parameters = (operation.parameters ?? []) as { in: string }[];
  const statuses: number[] = [];
  if (parameters.length > 0 || operation.requestBody) statuses.push(400);
  if (path !== '/healthz') statuses.push(401);
  if (parameters.some((p) => p.in === 'path')) statuses.push(404);
  if (operation.requestBody) statuses.push(413, 415);
  return statuses;
}
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/** Adds operationIds, the statuses every route may answer, and the links, to a generated document. */
export function completeDocument<D extends { paths?: Json }>(doc: D, errorResponse: (status: number) => Json): D {
  const operations = new Map<string, Json>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Json)[method] as Json | undefined;
      if (!operation) continue;
      operation.operationId ??= operationIdOf(method, path);
      const responses = (operation.responses ?? {}) as Json;
      for (const status of statusesEveryRouteMayAnswer(path, operation)) responses[status] ??= errorResponse(status);
      operations.set(`${method} ${path}`, operation);
    }
  }
  for (const link of LINKS) {
    const from = operations.get(link.from);
    const to = operations.get(link.to);
    if (!from || !to) throw new Error(`OpenAPI link ${link.from} → ${link.to}: no such operation`);
    const response = (from.responses as Json)[link.status] as Json | undefined;
    if (!response) throw new Error(`OpenAPI link from ${link.from}: it documents no ${link.status}`);
    const links = (response.links ??= {}) as Json;
    links[`${link.name}`] = { operationId: to.operationId, parameters: link.parameters };
  }
  return doc;
}
