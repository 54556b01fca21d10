// /api/v1/campaigns: start a rebuild campaign (or answer its plan: dry run), list and read campaigns,
// their live progress (the workflow's query) and Temporal history, and the actions people take on
// them: resume, retry, skip a module; cancel the campaign.
import crypto from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { DistGit } from '../../activities/distgit';
import { campaignStartTime, changeKeyFor, sendCampaignAction, startCampaign } from '../../clients/campaign-client';
import {
  campaignGraphOf,
  campaignIdFor,
  countStates,
  planCampaign,
  type CampaignAction,
  type CampaignRequest,
  type CampaignSettings,
} from '../../domain/campaign';
import { splitModuleStreamKey } from '../../domain/dependencies';
import { workflowIds } from '../../domain/workflow-ids';
import { componentHolders } from '../../store/campaigns';
import { listCampaigns, readCampaign } from '../../store/campaign-views';
import { ApiError, notFound } from '../errors';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import type { MetadataService } from '../metadata/metadata-service';
import { readWorkflowHistory } from '../temporal-history';
import { parse } from '../validate';
import {
  CampaignCreate,
  CampaignIdParams,
  CampaignListQuery,
  CampaignModuleParams,
  CampaignReadQuery,
  CancelBody,
  DryRunQuery,
  type CampaignAnswer,
  ModuleActionBody,
  ProgressQuery,
  SkipBody,
} from './campaigns.schemas';
import { dryRunAnswer, progressAnswer } from './campaign-progress';
import { registerCampaignPaths } from './campaigns.openapi';

export interface CampaignRouteDeps {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  metadata: MetadataService;
  distGit: DistGit;
  campaignSettings: CampaignSettings;
}

registerCampaignPaths();

export function campaignRoutes(deps: CampaignRouteDeps): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const body = parse(CampaignCreate, req, 'body');
    ensureAllowed(actor, 'campaign.start', { kind: 'artifacts', modules: body.modules, components: body.components });
    const request: CampaignRequest = body;
    const planned = planCampaign(
      request,
      campaignGraphOf(await deps.metadata.current(), await componentHolders(deps.prisma, request.components)),
    );
    if (!planned.ok) {
      throw new ApiError(422, planned.error.code, planned.error.message, {
        fields: [{ field: `body.${planned.error.field}`, message: planned.error.message }],
      });
    }
    if (request.dryRun) {
      res.json(dryRunAnswer(planned.plan, parse(DryRunQuery, req, 'query')));
      return;
    }
    const triggeredAt = new Date().toISOString();
    const changeKey = await changeKeyFor(deps.distGit, request, triggeredAt);
    const started = await startCampaign(deps.temporal, deps.taskQueue, {
      campaignId: campaignIdFor(changeKey),
      request,
      requestedBy: actor.name,
      changeKey,
      triggeredAt,
      settings: deps.campaignSettings,
    });
    res
      .status(started.existing ? 200 : 202)
      .location(`/api/v1/campaigns/${started.id}`)
      .json({ ...started, modules: planned.plan.modules.length, tiers: planned.plan.tiers.length });
  });

  router.get('/', async (req, res) => {
    const query = parse(CampaignListQuery, req, 'query');
    res.json(await listCampaigns(deps.prisma, query));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(CampaignIdParams, req, 'params');
    const campaign = await readCampaign(deps.prisma, id, parse(CampaignReadQuery, req, 'query'));
    if (campaign) {
      res.json(campaign);
      return;
    }
    // Started, but its plan is not recorded yet: answer from Temporal.
    const startTime = await campaignStartTime(deps.temporal, id);
    if (!startTime) throw notFound('campaign', id);
    res.json({
      id,
      workflowId: workflowIds.campaign(id),
      state: 'planning',
      stateReason: 'the workflow has started; its plan is not recorded yet',
      branch: null,
      strategy: null,
      relation: null,
      dryRun: null,
      trigger: null,
      changeKey: null,
      createdBy: null,
      createdAt: startTime.toISOString(),
      updatedAt: null,
      finishedAt: null,
      tierCount: null,
      counts: countStates([]),
      tiers: [],
      blocking: [],
      actions: [],
    } satisfies CampaignAnswer);
  });

  router.get('/:id/progress', async (req, res) => {
    const { id } = parse(CampaignIdParams, req, 'params');
    res.json(await progressAnswer(deps, id, parse(ProgressQuery, req, 'query')));
  });

  router.get('/:id/history', async (req, res) => {
    const { id } = parse(CampaignIdParams, req, 'params');
    const workflowId = workflowIds.campaign(id);
    res.json({ workflowId, events: await readWorkflowHistory(deps.temporal, workflowId) });
  });

  const moduleAction = (action: Exclude<CampaignAction, 'cancel'>) =>
    router.post(`/:id/modules/:module/${action}`, async (req, res) => {
      const actor = await requireActor(deps.prisma, req);
      const params = parse(CampaignModuleParams, req, 'params');
      const body = action === 'skip' ? parse(SkipBody, req, 'body') : parse(ModuleActionBody, req, 'body');
      const { name } = splitModuleStreamKey(params.module);
      ensureAllowed(actor, 'campaign.signal', { kind: 'artifacts', modules: [name], components: [] });
      await ensureCampaign(deps.prisma, params.id);
      const outcome = await sendCampaignAction(deps.temporal, params.id, {
        action,
        module: params.module,
        actor: actor.name,
        reason: body.reason,
        buildWorkflowId: 'build' in body ? body.build : undefined,
        actionKey: `api/${crypto.randomUUID()}`,
        at: new Date().toISOString(),
      });
      if (!outcome.ok)
        throw new ApiError(409, outcome.code === 'ended' ? 'campaign_ended' : 'action_rejected', outcome.message);
      res.status(202).json(outcome.accepted);
    });
  moduleAction('resume');
  moduleAction('retry');
  moduleAction('skip');

  router.post('/:id/cancel', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const { id } = parse(CampaignIdParams, req, 'params');
    const body = parse(CancelBody, req, 'body');
    const campaign = await ensureCampaign(deps.prisma, id);
    ensureAllowed(actor, 'campaign.cancel', { kind: 'owned', owner: campaign.createdBy });
    const outcome = await sendCampaignAction(deps.temporal, id, {
      action: 'cancel',
      actor: actor.name,
      reason: body.reason,
      actionKey: `api/${crypto.randomUUID()}`,
      at: new Date().toISOString(),
    });
    if (!outcome.ok)
      throw new ApiError(409, outcome.code === 'ended' ? 'campaign_ended' : 'action_rejected', outcome.message);
    res.status(202).json(outcome.accepted);
  });

  return router;
}

async function ensureCampaign(prisma: PrismaClient, id: string) {
  const row = await prisma.campaign.findUnique({ where: { id }, select: { id: true, createdBy: true } });
  if (!row) throw notFound('campaign', id);
  return row;
}
