// POST /api/v1/admin/store-dump: the embedded store (PGlite's data directory) as a gzipped tarball,
// for `bin/cascade backup`. PGlite is one connection owned by `make start`'s process, so only that
// process can copy it consistently; it does so between queries, after a checkpoint. The tarball is
// streamed back rather than written to a path the caller names: the API never writes where it is told.
import type { PrismaClient } from '@prisma/client';
import { Router } from 'express';
import { ApiError } from '../errors';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';

registry.registerPath({
  method: 'post',
  path: '/api/v1/admin/store-dump',
  summary: "The embedded store's data directory as a gzipped tarball (release engineers; PGlite only)",
  security: [{ [bearerAuth.name]: [] }],
  responses: {
    200: {
      description: "PGlite's data directory, taken between queries after a checkpoint",
      content: { 'application/gzip': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errorResponses(401, 403, 409),
  },
});

export function storeDumpRoutes(deps: { prisma: PrismaClient; storeDump?: () => Promise<Blob> }): Router {
  const router = Router();
  router.post('/store-dump', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    ensureAllowed(actor, 'store.backup', { kind: 'global' });
    if (!deps.storeDump) {
      throw new ApiError(
        409,
        'not_embedded',
        'this API does not own an embedded store: back up PostgreSQL with pg_dump or its archive (README, Backups)',
      );
    }
    const tarball = Buffer.from(await (await deps.storeDump()).arrayBuffer());
    res.status(200).type('application/gzip').setHeader('content-length', tarball.length).end(tarball);
  });
  return router;
}
