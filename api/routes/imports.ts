// POST /api/v1/imports/module-streams: bulk-load module stream definitions (what `cascade import
// index` sends, in batches) into the PDC store. Release engineers only; idempotent.
import type { PrismaClient } from '@prisma/client';
import { Router } from 'express';
import type { ModuleDefinition } from '../../domain/pdc';
import { applyModuleDefinitions } from '../../store/pdc-relationships';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';
import { parse } from '../validate';
import { artifactName } from './campaigns.schemas';
import { streamName } from './modules.schemas';

const ModuleStreamImport = registry.register(
  'ModuleStreamImport',
  z
    .object({
      at: z.iso
        .datetime({ offset: true })
        // the store holds no year 0 (PostgreSQL counts 1 BC before 1 AD)
        .refine((v) => new Date(v).getUTCFullYear() >= 1, 'must be in the year 1 or later')
        .optional()
        .describe('when these definitions took effect; default now'),
      streams: z
        .array(
          z
            .object({
              name: artifactName,
              stream: streamName,
              version: z
                .string()
                .regex(/^[0-9]{1,20}$/, 'must be a decimal version')
                .optional(),
              context: z
                .string()
                .regex(/^[A-Za-z0-9_]{1,64}$/, 'must be a context')
                .optional(),
              release: z.string().max(100).nullable().default(null),
              edges: z
                .array(
                  z
                    .object({
                      type: z.enum(['BUILDREQUIRES', 'REQUIRES']),
                      toName: artifactName,
                      toStream: z.union([streamName, z.literal('*')]),
                    })
                    .strict(),
                )
                .max(1000),
              components: z
                .array(
                  z
                    .object({
                      name: artifactName,
                      ref: z.string().max(200).nullable().default(null),
                      // the store's column is a 4-byte integer
                      buildorder: z
                        .number()
                        .int()
                        .min(-(2 ** 31))
                        .max(2 ** 31 - 1)
                        .default(0),
                      rationale: z.string().max(2000).nullable().default(null),
                    })
                    .strict(),
                )
                .max(5000),
            })
            .strict(),
        )
        .min(1)
        .max(5000),
    })
    .strict(),
);

registry.registerPath({
  method: 'post',
  path: '/api/v1/imports/module-streams',
  summary: 'Load module stream definitions into the dependency store (release engineers)',
  security: [{ [bearerAuth.name]: [] }],
  request: { body: { content: { 'application/json': { schema: ModuleStreamImport } } } },
  responses: {
    200: {
      description: 'what changed',
      content: {
        'application/json': {
          schema: z.object({
            streams: z.number(),
            changedStreams: z.number(),
            edgesAdded: z.number(),
            edgesRemoved: z.number(),
            componentsAdded: z.number(),
            componentsRemoved: z.number(),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** The metadata service is nudged to catch up while a bulk import is still sending batches. */
export function importRoutes(deps: { prisma: PrismaClient; metadata?: { nudge(): void } }): Router {
  const router = Router();
  router.post('/module-streams', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const body = parse(ModuleStreamImport, req, 'body');
    ensureAllowed(actor, 'store.import', { kind: 'global' });
    const at = body.at ? new Date(body.at) : new Date();
    const report = await applyModuleDefinitions(
      deps.prisma,
      body.streams.map((s) => ({
        definition: {
          name: s.name,
          stream: s.stream,
          release: s.release,
          edges: s.edges,
          components: s.components,
        } satisfies ModuleDefinition,
        source: { at, version: s.version ?? null, context: s.context ?? null },
      })),
    );
    if (report.changedStreams > 0) deps.metadata?.nudge();
    res.json(report);
  });
  return router;
}
