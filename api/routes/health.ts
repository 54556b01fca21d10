// GET /healthz: Temporal and the database, each reported on its own.
import type { PrismaClient } from '@prisma/client';
import type { Client, Connection } from '@temporalio/client';
import { Router } from 'express';
import { pingDatabase } from '../../platform/database';
import { registry, z } from '../openapi-registry';

const Check = z.object({ status: z.enum(['up', 'down']), latencyMs: z.number(), error: z.string().optional() });
const Health = registry.register(
  'Health',
  z.object({
    status: z.enum(['up', 'down']),
    temporal: Check.extend({ address: z.string(), namespace: z.string() }),
    database: Check.extend({ kind: z.string() }),
  }),
);
registry.registerPath({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness of Temporal and the database',
  responses: {
    200: { description: 'everything up', content: { 'application/json': { schema: Health } } },
    503: { description: 'something down', content: { 'application/json': { schema: Health } } },
  },
});

async function check(probe: () => Promise<unknown>, timeoutMs = 3000) {
  const started = performance.now();
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    return { status: 'up' as const, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      status: 'down' as const,
      latencyMs: Math.round(performance.now() - started),
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

export function healthRoutes(deps: { prisma: PrismaClient; temporal: Client; databaseKind: string }): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [temporal, database] = await Promise.all([
      check(() => deps.temporal.workflowService.describeNamespace({ namespace: deps.temporal.options.namespace })),
      check(() => pingDatabase(deps.prisma)),
    ]);
    const status = temporal.status === 'up' && database.status === 'up' ? 'up' : 'down';
    res.status(status === 'up' ? 200 : 503).json({
      status,
      temporal: {
        ...temporal,
        address: (deps.temporal.connection as Connection).options.address,
        namespace: deps.temporal.options.namespace,
      },
      database: { ...database, kind: deps.databaseKind },
    });
  });
  return router;
}
