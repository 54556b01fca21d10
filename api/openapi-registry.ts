// One OpenAPI registry; routes register their zod schemas here, so the document served at
// /api/v1/openapi.json is generated from the very schemas that validate requests.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { completeDocument, markRequiredBodies } from './openapi-links';
import { boundScalars } from './openapi-scalar-bounds';

extendZodWithOpenApi(z);

export const registry = new OpenAPIRegistry();

export const ErrorBody = registry.register(
  'Error',
  z.object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().nullable() }),
  }),
);

export const bearerAuth = registry.registerComponent('securitySchemes', 'bearerAuth', {
  type: 'http',
  scheme: 'bearer',
});

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [s, { description: String(s), content: { 'application/json': { schema: ErrorBody } } }]),
  );

const GENERIC_STATUSES: Record<number, string> = {
  400: 'a parameter or the body is not valid; the error names the field',
  401: 'no valid bearer token (reads need one too when CASCADE_READS_REQUIRE_AUTH is set)',
  404: 'what the path names does not exist',
  413: 'the body is larger than the route accepts: 1 MB of JSON (64 MB for the module-stream import), 32 MB of XML',
  415: 'the body is not application/json',
};

export function openApiDocument() {
  markRequiredBodies(registry.definitions);
  const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Cascade API', version: '1', description: 'Durable build orchestrator for a modular distribution' },
    servers: [{ url: '/' }],
  });
  return completeDocument(boundScalars(doc), (status) => ({
    description: GENERIC_STATUSES[status] ?? String(status),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  }));
}

export { z };
