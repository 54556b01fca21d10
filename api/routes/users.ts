// /api/v1/users: how a person is told. GET and PUT /me read and set one's own e-mail address and
// notification channels; PUT /:name sets another user's (release engineers). The inbox is always
// written; 'email' adds an e-mail when an SMTP server is configured. `/me` always means the caller.
import type { PrismaClient } from '@prisma/client';
import { Router } from 'express';
import { NOTIFY_CHANNELS, updateUserContact, userContactSettings } from '../../store/email-deliveries';
import { ApiError, notFound } from '../errors';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';
import { parse } from '../validate';

const ROLE_NAMES = { RELEASE_ENGINEER: 'release-engineer', MAINTAINER: 'maintainer', READER: 'reader' } as const;

const UserNameParams = z.object({
  name: z.string().regex(/^[a-z_][a-z0-9_.-]{0,63}$/, 'must be a user name: lowercase letters, digits, _ . -'),
});

const UserSettingsChange = registry.register(
  'UserSettingsChange',
  z
    .object({
      email: z.email().max(254).nullable().optional().describe('null removes the address'),
      notifyBy: z
        .array(z.enum(NOTIFY_CHANNELS))
        .min(1)
        .optional()
        .describe("the channels to be told through; the inbox is always kept, 'email' needs an address"),
    })
    .strict()
    .refine((b) => b.email !== undefined || b.notifyBy !== undefined, 'give email, notifyBy or both'),
);
const UserSettings = registry.register(
  'UserSettings',
  z.object({
    name: z.string(),
    role: z.enum(['release-engineer', 'maintainer', 'reader']),
    email: z.string().nullable(),
    notifyBy: z.array(z.enum(NOTIFY_CHANNELS)),
  }),
);

const settingsResponse = {
  200: { description: "the user's settings", content: { 'application/json': { schema: UserSettings } } },
};
registry.registerPath({
  method: 'get',
  path: '/api/v1/users/me',
  summary: 'Your e-mail address and notification channels',
  security: [{ [bearerAuth.name]: [] }],
  responses: { ...settingsResponse, ...errorResponses(401) },
});
registry.registerPath({
  method: 'put',
  path: '/api/v1/users/me',
  summary: 'Set your e-mail address and notification channels',
  security: [{ [bearerAuth.name]: [] }],
  request: { body: { content: { 'application/json': { schema: UserSettingsChange } } } },
  responses: { ...settingsResponse, ...errorResponses(400, 401) },
});
registry.registerPath({
  method: 'put',
  path: '/api/v1/users/{name}',
  summary: "Set a user's e-mail address and notification channels (release engineers, or the user)",
  security: [{ [bearerAuth.name]: [] }],
  request: {
    params: UserNameParams,
    body: { content: { 'application/json': { schema: UserSettingsChange } } },
  },
  responses: { ...settingsResponse, ...errorResponses(400, 401, 403, 404) },
});

type Settings = NonNullable<Awaited<ReturnType<typeof userContactSettings>>>;
const view = (s: Settings) => ({ name: s.name, role: ROLE_NAMES[s.role], email: s.email, notifyBy: s.notifyBy });

export function userRoutes(deps: { prisma: PrismaClient }): Router {
  const router = Router();

  const change = async (name: string, body: z.infer<typeof UserSettingsChange>) => {
    const current = await userContactSettings(deps.prisma, name);
    if (!current) throw notFound('user', name);
    const email = body.email === undefined ? current.email : body.email;
    const notifyBy = body.notifyBy ?? current.notifyBy;
    if (notifyBy.includes('email') && !email) {
      const field = body.notifyBy ? 'body.notifyBy' : 'body.email';
      const message = "'email' among the channels needs an address: give email too, or keep notifyBy to inbox";
      throw new ApiError(400, 'invalid_request', `${field}: ${message}`, { fields: [{ field, message }] });
    }
    const updated = await updateUserContact(deps.prisma, name, body);
    if (!updated) throw notFound('user', name);
    return view(updated);
  };

  router.get('/me', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const settings = await userContactSettings(deps.prisma, actor.name);
    if (!settings) throw notFound('user', actor.name);
    res.json(view(settings));
  });
  router.put('/me', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const body = parse(UserSettingsChange, req, 'body');
    ensureAllowed(actor, 'user.update', { kind: 'owned', owner: actor.name });
    res.json(await change(actor.name, body));
  });
  router.put('/:name', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const { name } = parse(UserNameParams, req, 'params');
    const body = parse(UserSettingsChange, req, 'body');
    ensureAllowed(actor, 'user.update', { kind: 'owned', owner: name });
    res.json(await change(name, body));
  });
  return router;
}
