// The metadata service's REST face: what depends on a module stream (direct or transitive, by
// relation, optionally in rebuild tiers, now or at a past time), a stream's components and
// relationships, and the modules holding a component. Answers carry ETags.
import crypto from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import { Router, type Request, type Response } from 'express';
import { componentsOfStream, modulesOfComponent, relationshipsOfStream } from '../../store/pdc-queries';
import { ApiError } from '../errors';
import type { MetadataService } from '../metadata/metadata-service';
import { streamDependentsPage } from '../metadata/stream-dependents';
import { errorResponses, registry, z } from '../openapi-registry';
import { parse } from '../validate';
import { AtQuery, ComponentParams, DependentsPage, DependentsQuery, ModuleStreamParams } from './modules.schemas';

registry.registerPath({
  method: 'get',
  path: '/api/v1/modules/{name}/streams/{stream}/dependents',
  summary: 'What depends on a module stream',
  request: { params: ModuleStreamParams, query: DependentsQuery },
  responses: {
    200: { description: 'a page of dependents', content: { 'application/json': { schema: DependentsPage } } },
    304: { description: 'not modified' },
    ...errorResponses(400, 404),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/modules/{name}/streams/{stream}/components',
  summary: 'The components a module stream holds',
  request: { params: ModuleStreamParams, query: AtQuery },
  responses: {
    200: {
      description: 'components',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(
              z.object({
                name: z.string(),
                ref: z.string().nullable(),
                buildorder: z.number(),
                rationale: z.string().nullable(),
                since: z.string(),
              }),
            ),
          }),
        },
      },
    },
    ...errorResponses(400),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/modules/{name}/streams/{stream}/relationships',
  summary: "A module stream's buildrequires and requires",
  request: { params: ModuleStreamParams, query: AtQuery },
  responses: {
    200: {
      description: 'relationships',
      content: { 'application/json': { schema: z.object({ items: z.array(z.unknown()) }) } },
    },
    ...errorResponses(400),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/components/{name}/modules',
  summary: 'The module streams holding a component',
  request: { params: ComponentParams, query: AtQuery },
  responses: {
    200: {
      description: 'module streams',
      content: { 'application/json': { schema: z.object({ items: z.array(z.unknown()) }) } },
    },
    ...errorResponses(400),
  },
});

/** Answers 304 when the client's ETag matches; otherwise sets the ETag and sends the body. */
function sendWithEtag(req: Request, res: Response, version: string, body: unknown): void {
  const etag = `W/"${crypto.createHash('sha1').update(version).update(req.originalUrl).digest('base64url').slice(0, 22)}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'no-cache');
  if (req.get('if-none-match') === etag) {
    res.status(304).end();
    return;
  }
  res.json(body);
}

export function moduleRoutes(deps: { prisma: PrismaClient; metadata: MetadataService }): Router {
  const router = Router();

  router.get('/modules/:name/streams/:stream/dependents', async (req, res) => {
    const { name, stream } = parse(ModuleStreamParams, req, 'params');
    const q = parse(DependentsQuery, req, 'query');
    const resolver = q.at ? await deps.metadata.at(q.at) : await deps.metadata.resolve();
    const page = streamDependentsPage(resolver, name, stream, q);
    if (!page) {
      throw new ApiError(
        404,
        'not_found',
        `no module stream ${name}:${stream} in the dependency store${q.at ? ` at ${q.at.toISOString()}` : ''}`,
      );
    }
    sendWithEtag(req, res, deps.metadata.version(), page);
  });

  router.get('/modules/:name/streams/:stream/components', async (req, res) => {
    const { name, stream } = parse(ModuleStreamParams, req, 'params');
    const { at } = parse(AtQuery, req, 'query');
    await deps.metadata.catchUp();
    sendWithEtag(req, res, deps.metadata.version(), { items: await componentsOfStream(deps.prisma, name, stream, at) });
  });

  router.get('/modules/:name/streams/:stream/relationships', async (req, res) => {
    const { name, stream } = parse(ModuleStreamParams, req, 'params');
    const { at } = parse(AtQuery, req, 'query');
    await deps.metadata.catchUp();
    sendWithEtag(req, res, deps.metadata.version(), {
      items: await relationshipsOfStream(deps.prisma, name, stream, at),
    });
  });

  router.get('/components/:name/modules', async (req, res) => {
    const { name } = parse(ComponentParams, req, 'params');
    const { at } = parse(AtQuery, req, 'query');
    await deps.metadata.catchUp();
    sendWithEtag(req, res, deps.metadata.version(), { items: await modulesOfComponent(deps.prisma, name, at) });
  });

  return router;
}
