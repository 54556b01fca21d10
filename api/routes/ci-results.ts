// /api/v1/ci: CI results, read-only, in ResultsDB's shape (what Bodhi, Greenwave and people's scripts
// already read): `{ data: [{ id, testcase: { name }, outcome, submit_time, note, data: { item, type,
// … } , ref_url }], next }` with every data value a list of strings, and each result's log as text.
import type { PrismaClient } from '@prisma/client';
import { Router } from 'express';
import { findCiResult, listCiResults, noteOf, readCiResultLog, type ListedCiResult } from '../../store/ci-results';
import { notFound } from '../errors';
import { errorResponses, registry, z } from '../openapi-registry';
import { parse } from '../validate';

const nsvc = z
  .string()
  .regex(/^[A-Za-z0-9._+-]+:[A-Za-z0-9._+-]+:[0-9]{1,20}:[A-Za-z0-9_]{1,64}$/, 'must be name:stream:version:context');
const resultId = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a result id (a positive integer)');

const ResultsQuery = z
  .object({
    item: nsvc.optional(),
    testcase: z
      .string()
      .regex(/^[A-Za-z0-9._+-]{1,200}$/, 'must be a test case name: letters, digits, . _ + -')
      .optional(),
    outcome: z.enum(['PASSED', 'FAILED', 'ERROR']).optional(),
    campaign: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, 'must be a campaign id')
      .optional(),
    runKey: z.string().min(1).max(300).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: resultId.optional().openapi({ description: "the previous page's `next`" }),
  })
  .strict();
const ResultParams = z.object({ id: resultId });

const CiResult = registry.register(
  'CiResult',
  z.object({
    id: z.number().int(),
    testcase: z.object({ name: z.string() }),
    outcome: z.enum(['PASSED', 'FAILED', 'ERROR']),
    submit_time: z.string().openapi({ description: 'ISO 8601, UTC' }),
    note: z.string().openapi({ description: "the first line of the failure; '' when passed" }),
    data: z.record(z.string(), z.array(z.string())).openapi({
      description: 'ResultsDB extra data: item, type, run_key, duration_ms (and campaign when there is one)',
    }),
    ref_url: z.string().openapi({ description: "the result's log" }),
  }),
);
const CiResultPage = registry.register(
  'CiResultPage',
  z.object({
    data: z.array(CiResult),
    next: z.string().nullable().openapi({ description: 'cursor of the next page' }),
  }),
);

registry.registerPath({
  method: 'get',
  path: '/api/v1/ci/results',
  summary: 'CI results, newest first, in the shape of ResultsDB',
  request: { query: ResultsQuery },
  responses: {
    200: { description: 'a page of results', content: { 'application/json': { schema: CiResultPage } } },
    ...errorResponses(400),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/ci/results/{id}',
  summary: 'One CI result',
  request: { params: ResultParams },
  responses: {
    200: { description: 'the result', content: { 'application/json': { schema: CiResult } } },
    ...errorResponses(400, 404),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/ci/results/{id}/log',
  summary: "A CI result's log (its output, the last 64 KiB)",
  request: { params: ResultParams },
  responses: {
    200: { description: 'the log', content: { 'text/plain': { schema: z.string() } } },
    ...errorResponses(400, 404),
  },
});

function toResultsDb(row: ListedCiResult): z.infer<typeof CiResult> {
  const data: Record<string, string[]> = {
    item: [row.item],
    type: [row.itemType],
    run_key: row.runKey ? [row.runKey] : [],
    duration_ms: row.durationMs === null ? [] : [String(row.durationMs)],
  };
  if (row.campaignId) data.campaign = [row.campaignId];
  return {
    id: Number(row.id),
    testcase: { name: row.testcase },
    outcome: row.outcome as z.infer<typeof CiResult>['outcome'],
    submit_time: row.createdAt.toISOString(),
    note: noteOf(row.data),
    data,
    ref_url: `/api/v1/ci/results/${row.id}/log`,
  };
}

export function ciResultRoutes(deps: { prisma: PrismaClient }): Router {
  const router = Router();

  router.get('/results', async (req, res) => {
    const q = parse(ResultsQuery, req, 'query');
    const page = await listCiResults(deps.prisma, {
      item: q.item,
      testcase: q.testcase,
      outcome: q.outcome,
      campaignId: q.campaign,
      runKey: q.runKey,
      beforeId: q.cursor === undefined ? undefined : BigInt(q.cursor),
      limit: q.limit,
    });
    const last = page.rows.at(-1);
    res.json({ data: page.rows.map(toResultsDb), next: page.more && last ? String(last.id) : null });
  });

  router.get('/results/:id', async (req, res) => {
    const { id } = parse(ResultParams, req, 'params');
    const row = await findCiResult(deps.prisma, BigInt(id));
    if (!row) throw notFound('CI result', id);
    res.json(toResultsDb(row));
  });

  router.get('/results/:id/log', async (req, res) => {
    const { id } = parse(ResultParams, req, 'params');
    const log = await readCiResultLog(deps.prisma, BigInt(id));
    if (log === undefined) throw notFound('CI result', id);
    res.type('text/plain').send(log);
  });

  return router;
}
