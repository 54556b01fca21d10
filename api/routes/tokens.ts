// /api/v1/tokens: a release engineer issues a token for a user (created when new), optionally with an
// expiry; everyone lists their own tokens (release engineers: all), never their secrets; a token's
// owner or a release engineer revokes it, refused from that request on.
import type { PrismaClient } from '@prisma/client';
import { Router } from 'express';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import { authorize } from '../identity/authorize';
import { issueToken, listTokens, revokeToken } from '../identity/tokens';
import { ApiError, notFound } from '../errors';
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';
import { parse } from '../validate';

const MAX_DAYS = 3650;

const TokenCreate = registry.register(
  'TokenCreate',
  z
    .object({
      user: z.string().regex(/^[a-z_][a-z0-9_.-]{0,63}$/, 'must be a user name: lowercase letters, digits, _ . -'),
      role: z.enum(['release-engineer', 'maintainer', 'reader']),
      description: z.string().max(200).optional(),
      expiresInDays: z.number().int().min(1).max(MAX_DAYS).optional(),
      expiresAt: z.iso.datetime({ offset: true }).optional(),
    })
    .strict()
    .refine((b) => b.expiresInDays === undefined || b.expiresAt === undefined, {
      message: 'give expiresInDays or expiresAt, not both',
      path: ['expiresAt'],
    }),
);
const TokenIssued = registry.register(
  'TokenIssued',
  z.object({
    id: z.string(),
    token: z.string(),
    user: z.string(),
    role: z.string(),
    expiresAt: z.string().nullable(),
  }),
);
const TokenSummary = registry.register(
  'TokenSummary',
  z.object({
    id: z.string(),
    user: z.string(),
    prefix: z.string().describe('the first characters of the token, to tell tokens apart'),
    description: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable().describe('to the minute'),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  }),
);
const TokenIdParams = z.object({ id: z.string().min(1).max(64) });

registry.registerPath({
  method: 'post',
  path: '/api/v1/tokens',
  summary:
    'Issue a bearer token for a user (release engineers only); the token is shown once. With expiresInDays or expiresAt it is refused (401) from then on',
  security: [{ [bearerAuth.name]: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: TokenCreate } } } },
  responses: {
    201: { description: 'issued', content: { 'application/json': { schema: TokenIssued } } },
    ...errorResponses(400, 401, 403),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/tokens',
  summary: "Tokens without their secrets: a release engineer's list holds everyone's, anyone else's their own",
  security: [{ [bearerAuth.name]: [] }],
  responses: {
    200: {
      description: 'newest first',
      content: { 'application/json': { schema: z.object({ items: z.array(TokenSummary) }) } },
    },
    ...errorResponses(401),
  },
});
registry.registerPath({
  method: 'delete',
  path: '/api/v1/tokens/{id}',
  summary: 'Revoke a token (its owner or a release engineer): every request from then on is refused (401)',
  security: [{ [bearerAuth.name]: [] }],
  request: { params: TokenIdParams },
  responses: {
    204: { description: 'revoked (revoking again changes nothing)' },
    ...errorResponses(401, 403, 404),
  },
});

const ROLES = { 'release-engineer': 'RELEASE_ENGINEER', maintainer: 'MAINTAINER', reader: 'READER' } as const;

function expiryOf(body: { expiresInDays?: number; expiresAt?: string }, now: Date): Date | undefined {
  if (body.expiresInDays !== undefined) return new Date(now.getTime() + body.expiresInDays * 86_400_000);
  if (body.expiresAt === undefined) return undefined;
  const at = new Date(body.expiresAt);
  if (at <= now) throw new ApiError(400, 'invalid_request', 'expiresAt must be in the future', { field: 'expiresAt' });
  return at;
}

export function tokenRoutes(deps: { prisma: PrismaClient }): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const body = parse(TokenCreate, req, 'body');
    const expiresAt = expiryOf(body, new Date());
    ensureAllowed(actor, 'token.create', { kind: 'global' });
    const issued = await issueToken(deps.prisma, {
      userName: body.user,
      role: ROLES[body.role],
      description: body.description,
      expiresAt,
    });
    res.status(201).json({
      id: issued.id,
      token: issued.token,
      user: issued.userName,
      role: body.role,
      expiresAt: expiresAt?.toISOString() ?? null,
    });
  });
  router.get('/', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const all = authorize(actor, 'token.list-all', { kind: 'global' }).allowed;
    res.json({ items: await listTokens(deps.prisma, all ? undefined : actor.id) });
  });
  router.delete('/:id', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const { id } = parse(TokenIdParams, req, 'params');
    const owner = await deps.prisma.apiToken.findUnique({
      where: { id },
      select: { user: { select: { name: true } } },
    });
    if (!owner) throw notFound('token', id);
    ensureAllowed(actor, 'token.revoke', { kind: 'owned', owner: owner.user.name });
    await revokeToken(deps.prisma, id);
    res.status(204).end();
  });
  return router;
}
