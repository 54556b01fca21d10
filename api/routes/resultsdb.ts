// /api/v2.0: ResultsDB 2.x's read API over Cascade's CI results (module CI and compose validation),
// so that ResultsDB's own client and the gating tools that read ResultsDB (Greenwave, Bodhi) read
// Cascade: results with ResultsDB's filters and paging, the latest result per test case, test cases,
// and groups (one per CI run, one per campaign). Errors are ResultsDB's: `{"message": …}`, and a bad
// parameter `{"validation_error": [{loc, msg, type, input}]}` (plus a message naming it).
import type { PrismaClient } from '@prisma/client';
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Logger } from '../../platform/logger';
import { findCiResult } from '../../store/ci-results';
import {
  selectGroups,
  selectLatestResults,
  selectResults,
  selectTestcases,
  testcaseExists,
  type ResultsQuery,
} from '../../store/resultsdb-queries';
import { GroupDirectory } from '../resultsdb/group-directory';
import {
  parseGroupsParams,
  parseResultsParams,
  parseTestcasesParams,
  ValidationFailure,
  type Paging,
  type ResultsParams,
} from '../resultsdb/resultsdb-params';
import { API_PREFIX, groupView, OUTCOMES, resultView, testcaseView } from '../resultsdb/resultsdb-shape';

export interface ResultsDbRouteDeps {
  prisma: PrismaClient;
  logger: Logger;
  /** the URL the API is reached at, for hrefs; the request's own host when not configured */
  publicUrl?: string;
}

const PAGE = /([?&])page=([0-9]+)/;

/** ResultsDB's prev/next: the request's own URL with its page replaced (or added). */
function pageLinks<T>(base: string, req: Request, rows: T[], paging: Paging) {
  const url = new URL(req.originalUrl, base);
  const here = `${base}${url.pathname}${url.search}`;
  const match = PAGE.exec(here);
  const page = match ? Number(match[2]) : 0;
  const at = (n: number) =>
    match ? here.replace(PAGE, `$1page=${n}`) : `${here}${here.includes('?') ? '&' : '?'}page=${n}`;
  const more = rows.length > paging.limit;
  return {
    prev: page > 0 ? at(page - 1) : null,
    next: more ? at(page + 1) : null,
    data: rows.slice(0, paging.limit),
  };
}

const searchOf = (req: Request) => new URL(req.originalUrl, 'http://x').searchParams;

export function resultsDbRoutes(deps: ResultsDbRouteDeps): Router {
  const router = Router();
  const groups = new GroupDirectory(deps.prisma);
  const base = (req: Request) => deps.publicUrl ?? `${req.protocol}://${req.get('host')}`;

  // The arguments are read from the query string as they come, not through parse(): the NUL character,
  // which the store cannot hold, is refused here for all of them, in ResultsDB's error shape.
  router.use((req, res, next) => {
    for (const [key, value] of searchOf(req))
      if (key.includes('\u0000') || value.includes('\u0000')) {
        res.status(400).json({ message: `'${key.replaceAll('\u0000', '')}' must not contain the NUL character` });
        return;
      }
    next();
  });

  async function resultsQuery(p: ResultsParams): Promise<ResultsQuery> {
    const query: ResultsQuery = {
      testcases: p.testcases,
      testcasePatterns: p.testcasePatterns,
      outcomes: p.outcomes,
      since: p.since,
      data: p.data,
    };
    if (!p.groups?.length) return query;
    const keys = await groups.resolve(p.groups);
    const of = (kind: string) => keys.filter((k) => k.kind === kind).map((k) => k.key);
    return { ...query, groups: { runKeys: of('run'), campaignIds: of('campaign') } };
  }

  router.get(['', '/'], (req, res) => {
    const b = `${base(req)}${API_PREFIX}`;
    res.status(300).json({
      message: 'ResultsDB 2.0 API over Cascade’s CI results; read-only.',
      documentation: `${base(req)}/api/v1/openapi.json`,
      groups: `${b}/groups`,
      results: `${b}/results`,
      testcases: `${b}/testcases`,
      outcomes: OUTCOMES,
    });
  });

  router.get('/results', async (req, res) => {
    const p = parseResultsParams(searchOf(req));
    const rows = await selectResults(deps.prisma, await resultsQuery(p), { ...p.paging, ascending: p.ascending });
    const page = pageLinks(base(req), req, rows, p.paging);
    res.json({ ...page, data: page.data.map((r) => resultView(base(req), r)) });
  });

  router.get('/results/latest', async (req, res) => {
    const p = parseResultsParams(searchOf(req));
    const distinctOn = p.distinctOn ?? [];
    const filtered = p.testcases || p.testcasePatterns || p.since || p.groups || p.data.length > 0;
    if (distinctOn.length > 0 && !filtered) {
      res.status(400).json({ message: "Please, provide at least one filter beside '_distinct_on'" });
      return;
    }
    const rows = await selectLatestResults(deps.prisma, await resultsQuery(p), distinctOn);
    res.json({ data: rows.map((r) => resultView(base(req), r)) });
  });

  router.get('/results/:id', async (req: Request<{ id: string }>, res) => {
    const id = /^[0-9]{1,18}$/.test(req.params.id) ? BigInt(req.params.id) : undefined;
    const row = id === undefined ? null : await findCiResult(deps.prisma, id);
    if (!row) {
      res.status(404).json({ message: 'Result not found' });
      return;
    }
    res.json(resultView(base(req), row));
  });

  router.get('/testcases', async (req, res) => {
    const p = parseTestcasesParams(searchOf(req));
    const names = await selectTestcases(deps.prisma, p, p.paging);
    const page = pageLinks(base(req), req, names, p.paging);
    res.json({ ...page, data: page.data.map((n) => testcaseView(base(req), n)) });
  });

  router.get(/^\/testcases\/(.+)$/, async (req, res) => {
    const name = decodeURIComponent((req.params as Record<string, string>)[0] ?? '');
    if (!(await testcaseExists(deps.prisma, name))) {
      res.status(404).json({ message: 'Testcase not found' });
      return;
    }
    res.json(testcaseView(base(req), name));
  });

  router.get('/groups', async (req, res) => {
    const p = parseGroupsParams(searchOf(req));
    const keys = p.uuids ? await groups.resolve(p.uuids) : undefined;
    const rows = await selectGroups(
      deps.prisma,
      { keys, descriptions: p.descriptions, descriptionPatterns: p.descriptionPatterns },
      p.paging,
    );
    const page = pageLinks(base(req), req, rows, p.paging);
    res.json({ ...page, data: page.data.map((g) => groupView(base(req), g)) });
  });

  router.get('/groups/:uuid', async (req: Request<{ uuid: string }>, res) => {
    const [key] = await groups.resolve([req.params.uuid]);
    const [row] = key ? await selectGroups(deps.prisma, { keys: [key] }, { offset: 0, limit: 1 }) : [];
    if (!row) {
      res.status(404).json({ message: 'Group not found' });
      return;
    }
    res.json(groupView(base(req), row));
  });

  router.use((req: Request, res: Response, next) => {
    // another method on a path served here is the app's 405, not ResultsDB's 404
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.status(404).json({ message: 'Not found' });
  });
  router.use(resultsDbErrors(deps.logger));
  return router;
}

function resultsDbErrors(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof ValidationFailure) {
      res.status(400).json({ message: err.message, validation_error: err.issues });
      return;
    }
    logger.error({ err }, 'ResultsDB API error');
    res.status(500).json({ message: 'Internal Server Error' });
  };
}
