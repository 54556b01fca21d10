// The OpenAPI description of /api/v1/campaigns, from the same zod schemas the routes validate with.
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';
import {
  ActionAccepted,
  Campaign,
  CampaignCreate,
  CampaignIdParams,
  CampaignList,
  CampaignListQuery,
  CampaignModuleParams,
  CampaignPlanAnswer,
  CampaignStarted,
  CancelBody,
  HistoryEvent,
  ModuleActionBody,
  SkipBody,
  CampaignReadQuery,
  DryRunQuery,
  CampaignProgressAnswer,
  ProgressQuery,
} from './campaigns.schemas';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

let registered = false;

export function registerCampaignPaths(): void {
  if (registered) return;
  registered = true;
  registry.registerPath({
    method: 'post',
    path: '/api/v1/campaigns',
    summary:
      'Start a rebuild campaign (202), meet the one already started for the same change (200), or answer the plan (dryRun)',
    security: [{ [bearerAuth.name]: [] }],
    request: { body: json(CampaignCreate), query: DryRunQuery },
    responses: {
      200: {
        description: 'the plan (dryRun), or the campaign already started for this change',
        ...json(z.union([CampaignPlanAnswer, CampaignStarted])),
      },
      202: { description: 'started', ...json(CampaignStarted) },
      ...errorResponses(400, 401, 403, 422),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/campaigns',
    summary: 'Campaigns, newest first, with per-state module counts',
    request: { query: CampaignListQuery },
    responses: { 200: { description: 'a page', ...json(CampaignList) }, ...errorResponses(400) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/campaigns/{id}',
    summary:
      'A campaign: counts, each tier with its counts and a page of its modules (state, reason), blocking failures and who can act, actions',
    request: { params: CampaignIdParams, query: CampaignReadQuery },
    responses: { 200: { description: 'the campaign', ...json(Campaign) }, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/campaigns/{id}/progress',
    summary:
      "A running campaign's live state: counts first (overall, per tier), then a page of each tier's modules (blocked ones with the failures below them) and the modules its workflow holds (in flight, failed)",
    request: { params: CampaignIdParams, query: ProgressQuery },
    responses: {
      200: { description: 'live state', ...json(CampaignProgressAnswer) },
      ...errorResponses(400, 404),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/campaigns/{id}/history',
    summary: "The campaign workflow's Temporal event history",
    request: { params: CampaignIdParams },
    responses: {
      200: { description: 'events', ...json(z.object({ workflowId: z.string(), events: z.array(HistoryEvent) })) },
      ...errorResponses(400, 404),
    },
  });
  for (const [action, body, summary] of [
    ['resume', ModuleActionBody, 'Resume a failed module after a fix: build the branch head, or adopt the given build'],
    ['retry', ModuleActionBody, 'Retry a failed module (CI only when its build was good)'],
    ['skip', SkipBody, 'Skip a module (reason required); dependents build against its last good build'],
  ] as const) {
    registry.registerPath({
      method: 'post',
      path: `/api/v1/campaigns/{id}/modules/{module}/${action}`,
      summary: `${summary}. The module's maintainers and release engineers.`,
      security: [{ [bearerAuth.name]: [] }],
      request: { params: CampaignModuleParams, body: json(body) },
      responses: {
        202: { description: 'accepted', ...json(ActionAccepted) },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    });
  }
  registry.registerPath({
    method: 'post',
    path: '/api/v1/campaigns/{id}/cancel',
    summary: 'Cancel a campaign: who started it and release engineers',
    security: [{ [bearerAuth.name]: [] }],
    request: { params: CampaignIdParams, body: json(CancelBody) },
    responses: {
      202: { description: 'accepted', ...json(ActionAccepted) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
}
