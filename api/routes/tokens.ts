// POST /api/v1/tokens: a release engineer issues a token for a user (created when new).
import type { PrismaClient } from '@prisma/client';
import { Router } from 'express';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import { issueToken } from '../identity/tokens';
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';
import { parse } from '../validate';

const TokenCreate = registry.register(
  'TokenCreate',
  z
    .object({
      user: z.string().regex(/^[a-z_][a-z0-9_.-]{0,63}$/, 'must be a user name: lowercase letters, digits, _ . -'),
      role: z.enum(['release-engineer', 'maintainer', 'reader']),
      description: z.string().max(200).optional(),
    })
    .strict(),
);
const TokenIssued = registry.register(
  'TokenIssued',
  z.object({ token: z.string(), user: z.string(), role: z.string() }),
);
registry.registerPath({
  method: 'post',
  path: '/api/v1/tokens',
  summary: 'Issue a bearer token for a user (release engineers only); the token is shown once',
  security: [{ [bearerAuth.name]: [] }],
  request: { body: { content: { 'application/json': { schema: TokenCreate } } } },
  responses: {
    201: { description: 'issued', content: { 'application/json': { schema: TokenIssued } } },
    ...errorResponses(400, 401, 403),
  },
});

const ROLES = { 'release-engineer': 'RELEASE_ENGINEER', maintainer: 'MAINTAINER', reader: 'READER' } as const;

export function tokenRoutes(deps: { prisma: PrismaClient }): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const body = parse(TokenCreate, req, 'body');
    ensureAllowed(actor, 'token.create', { kind: 'global' });
    const issued = await issueToken(deps.prisma, {
      userName: body.user,
      role: ROLES[body.role],
      description: body.description,
    });
    res.status(201).json({ token: issued.token, user: issued.userName, role: body.role });
  });
  return router;
}
