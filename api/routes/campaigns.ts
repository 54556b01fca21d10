// /api/v1/campaigns: start a rebuild campaign, read it back, read its Temporal history.
import crypto from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Router } from 'express';
import type { CampaignInput } from '../../domain/campaign';
import { workflowIds } from '../../domain/workflow-ids';
import { notFound } from '../errors';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';
import { readWorkflowHistory } from '../temporal-history';
import { parse } from '../validate';
import { Campaign, CampaignCreate, CampaignIdParams, HistoryEvent } from './campaigns.schemas';

export interface CampaignRouteDeps {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
}

registry.registerPath({
  method: 'post',
  path: '/api/v1/campaigns',
  summary: 'Start a rebuild campaign',
  security: [{ [bearerAuth.name]: [] }],
  request: { body: { content: { 'application/json': { schema: CampaignCreate } } } },
  responses: {
    202: {
      description: 'started',
      content: { 'application/json': { schema: z.object({ id: z.string(), workflowId: z.string() }) } },
    },
    ...errorResponses(400, 401, 403),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/campaigns/{id}',
  summary: 'Read a campaign',
  request: { params: CampaignIdParams },
  responses: {
    200: { description: 'the campaign', content: { 'application/json': { schema: Campaign } } },
    ...errorResponses(400, 404),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/campaigns/{id}/history',
  summary: "The campaign workflow's Temporal event history",
  request: { params: CampaignIdParams },
  responses: {
    200: {
      description: 'events',
      content: { 'application/json': { schema: z.object({ workflowId: z.string(), events: z.array(HistoryEvent) }) } },
    },
    ...errorResponses(400, 404),
  },
});

function newCampaignId(): string {
  // 60 random bits in lowercase base32: short enough to type, unique enough for a distribution.
  return crypto.randomBytes(8).readBigUInt64BE().toString(32).slice(0, 12).padStart(12, '0');
}

export function campaignRoutes(deps: CampaignRouteDeps): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const body = parse(CampaignCreate, req, 'body');
    ensureAllowed(actor, 'campaign.start', {
      kind: 'artifacts',
      modules: body.modules,
      components: body.components,
    });
    const campaignId = newCampaignId();
    const workflowId = workflowIds.campaign(campaignId);
    const input: CampaignInput = { campaignId, request: body, requestedBy: actor.name };
    try {
      await deps.temporal.workflow.start('rebuildCampaign', {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [input],
        searchAttributes: { CascadeCampaignId: [campaignId] },
      });
    } catch (err) {
      // the same id started twice is the same campaign, not a duplicate
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    res.status(202).location(`/api/v1/campaigns/${campaignId}`).json({ id: campaignId, workflowId });
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(CampaignIdParams, req, 'params');
    const row = await deps.prisma.campaign.findUnique({ where: { id } });
    if (row) {
      res.json({ ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() });
      return;
    }
    // Started but its first activity has not written the row yet: answer from Temporal.
    const workflowId = workflowIds.campaign(id);
    const description = await deps.temporal.workflow
      .getHandle(workflowId)
      .describe()
      .catch(() => undefined);
    if (!description) throw notFound('campaign', id);
    res.json({
      id,
      workflowId,
      state: 'starting',
      stateReason: 'the workflow has started; its record is not written yet',
      branch: null,
      strategy: null,
      dryRun: null,
      trigger: null,
      createdBy: null,
      createdAt: description.startTime.toISOString(),
      updatedAt: null,
    });
  });

  router.get('/:id/history', async (req, res) => {
    const { id } = parse(CampaignIdParams, req, 'params');
    const workflowId = workflowIds.campaign(id);
    res.json({ workflowId, events: await readWorkflowHistory(deps.temporal, workflowId) });
  });

  return router;
}
