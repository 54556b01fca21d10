// The OpenAPI description of /api/v1/composes and ODCS's /api/1/composes/, from the same zod schemas
// the routes validate with.
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';
import {
  CancelComposeBody,
  ComposeCreate,
  ComposeIdParams,
  ComposeListQuery,
  OdcsComposeCreate,
  OdcsIdParams,
  OdcsListQuery,
  OdcsRenewBody,
} from './composes.schemas';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

let registered = false;

export function registerComposePaths(): void {
  if (registered) return;
  registered = true;
  registry.registerPath({
    method: 'post',
    path: '/api/v1/composes',
    summary: "Start a compose of a release's variants (release engineers)",
    security: [{ [bearerAuth.name]: [] }],
    request: { body: { required: true, ...json(ComposeCreate) } },
    responses: {
      202: {
        description: 'started',
        ...json(z.object({ composeId: z.string(), workflowId: z.string(), status: z.string() })),
      },
      ...errorResponses(400, 401, 403, 422),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/composes',
    summary: 'Composes, newest first',
    request: { query: ComposeListQuery },
    responses: { 200: { description: 'a page', ...json(z.unknown()) }, ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/composes/{id}',
    summary: 'A compose: status, phases and their timing, variants with validation, modules, images, published or not',
    request: { params: ComposeIdParams },
    responses: { 200: { description: 'the compose', ...json(z.unknown()) }, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/composes/{id}/changes',
    summary: 'What changed since the previous compose of the release: modules and RPMs per variant',
    request: { params: ComposeIdParams },
    responses: { 200: { description: 'the changes', ...json(z.unknown()) }, ...errorResponses(400, 404, 409) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/composes/{id}/history',
    summary: "The compose workflow's Temporal event history",
    request: { params: ComposeIdParams },
    responses: { 200: { description: 'events', ...json(z.unknown()) }, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/composes/{id}/cancel',
    summary: 'Cancel a running compose (release engineers): its builds are cancelled, it ends TERMINATED',
    security: [{ [bearerAuth.name]: [] }],
    request: { params: ComposeIdParams, body: json(CancelComposeBody) },
    responses: { 202: { description: 'cancelling', ...json(z.unknown()) }, ...errorResponses(400, 401, 403, 404, 409) },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/1/composes/',
    summary: 'ODCS: module composes, paged (items and meta)',
    request: { query: OdcsListQuery },
    responses: { 200: { description: 'a page', ...json(z.unknown()) }, ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/1/composes/',
    summary: "ODCS: request a module compose (source type 'module')",
    security: [{ [bearerAuth.name]: [] }],
    request: { body: { required: true, ...json(OdcsComposeCreate) } },
    responses: {
      200: { description: 'the compose, state wait', ...json(z.unknown()) },
      ...errorResponses(400, 401, 403),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/1/composes/{id}',
    summary: 'ODCS: one compose',
    request: { params: OdcsIdParams },
    responses: { 200: { description: 'the compose', ...json(z.unknown()) }, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/1/composes/{id}',
    summary: 'ODCS: renew a done compose (its owner and release engineers)',
    security: [{ [bearerAuth.name]: [] }],
    request: { params: OdcsIdParams, body: json(OdcsRenewBody) },
    responses: {
      200: { description: 'the compose', ...json(z.unknown()) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/1/composes/{id}',
    summary: 'ODCS: expire a compose now (its owner and release engineers)',
    security: [{ [bearerAuth.name]: [] }],
    request: { params: OdcsIdParams },
    responses: { 202: { description: 'accepted', ...json(z.unknown()) }, ...errorResponses(400, 401, 403, 404) },
  });
}
