// POST /api/v1/events/dist-git: signed push events from dist-git hooks or any sender holding the
// shared secret. Unsigned or badly signed: 401, nothing written or started.
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { signatureHeader, verifySignature } from '../../platform/body-signature';
import type { RequestWithRawBody } from '../raw-body';
import { DistGitPushEvent, startPushWorkflows } from '../dist-git-events';
import { ApiError } from '../errors';
import { errorResponses, registry, z } from '../openapi-registry';
import { parse } from '../validate';

registry.register('DistGitPushEvent', DistGitPushEvent);
registry.registerPath({
  method: 'post',
  path: '/api/v1/events/dist-git',
  summary: `A dist-git push (one body per push); signed with ${signatureHeader}: sha256=<HMAC-SHA256 of the raw body>`,
  request: { body: { content: { 'application/json': { schema: DistGitPushEvent } } } },
  responses: {
    202: {
      description: 'one workflow per ref move',
      content: { 'application/json': { schema: z.object({ workflowIds: z.array(z.string()) }) } },
    },
    ...errorResponses(400, 401),
  },
});

export function eventRoutes(deps: { temporal: Client; taskQueue: string; webhookSecret: string }): Router {
  const router = Router();
  router.post('/dist-git', async (req, res) => {
    const raw = (req as unknown as RequestWithRawBody).rawBody;
    const signature = req.get(signatureHeader);
    if (!raw || !signature || !verifySignature(deps.webhookSecret, raw, signature)) {
      throw new ApiError(
        401,
        'invalid_signature',
        `the body must be signed: ${signatureHeader}: sha256=<hex HMAC-SHA256 of the raw body with the shared secret>`,
      );
    }
    const event = parse(DistGitPushEvent, req, 'body');
    const workflowIds = await startPushWorkflows(deps.temporal, deps.taskQueue, event);
    res.status(202).json({ workflowIds });
  });
  return router;
}
