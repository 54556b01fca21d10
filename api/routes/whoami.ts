// GET /api/v1/whoami: who the bearer token belongs to, so a client (the dashboard) shows only the
// actions this person may take. The API checks every action again: this answer only hides buttons.
import type { PrismaClient } from '@prisma/client';
import { Router } from 'express';
import { requireActor } from '../identity/authenticate';
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';

const ROLE_NAMES = { RELEASE_ENGINEER: 'release-engineer', MAINTAINER: 'maintainer', READER: 'reader' } as const;

const WhoAmI = registry.register(
  'WhoAmI',
  z.object({
    name: z.string(),
    role: z.enum(['release-engineer', 'maintainer', 'reader']),
    /** 'modules/<name>' and 'rpms/<name>' entries this person maintains */
    maintains: z.array(z.string()),
  }),
);
registry.registerPath({
  method: 'get',
  path: '/api/v1/whoami',
  summary: "The token's user, role and what they maintain",
  security: [{ [bearerAuth.name]: [] }],
  responses: {
    200: { description: 'the signed-in person', content: { 'application/json': { schema: WhoAmI } } },
    ...errorResponses(401),
  },
});

export function whoamiRoutes(deps: { prisma: PrismaClient }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    res.json({ name: actor.name, role: ROLE_NAMES[actor.role], maintains: [...actor.maintains].sort() });
  });
  return router;
}
