// One OpenAPI registry; routes register their zod schemas here, so the document served at
// /api/v1/openapi.json is generated from the very schemas that validate requests.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

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

export function openApiDocument() {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Cascade API', version: '1', description: 'Durable build orchestrator for a modular distribution' },
    servers: [{ url: '/' }],
  });
}

export { z };
