// The OpenAPI description of the paths whose answers are not Cascade's own zod shapes: the document
// itself, the dashboard's settings, and the compatibility APIs' read paths that mirror another
// service's answers (ODCS's about and repo file, MBS's about and one component build, ResultsDB 2.x).
// Their bodies are described loosely (the other service's documentation is the reference); their
// paths, parameters and statuses are Cascade's. Registered once, by api/app.ts.
import { errorResponses, registry, z } from '../openapi-registry';
import { OdcsIdParams } from './composes.schemas';

const json = (description: string) => ({ description, content: { 'application/json': { schema: z.unknown() } } });
const foreignError = (shape: string) => ({
  description: shape,
  content: { 'application/json': { schema: z.unknown() } },
});

let registered = false;

export function registerCompatPaths(): void {
  if (registered) return;
  registered = true;
  registry.registerPath({
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document',
    responses: { 200: json('the OpenAPI 3.1 document') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/ui-config',
    summary: "The dashboard's settings: where the Temporal Web UI is, and its namespace",
    responses: {
      200: {
        description: 'settings',
        content: {
          'application/json': { schema: z.object({ temporalUiUrl: z.string(), temporalNamespace: z.string() }) },
        },
      },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/1/about',
    summary: "ODCS: the server's version and settings, as odcs-client reads them",
    responses: { 200: json('about') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/1/composes/{id}/{file}',
    summary: "ODCS: a done compose's repo file (odcs-<id>.repo), pointing at /mirror",
    request: {
      params: OdcsIdParams.extend({ file: z.string().regex(/^odcs-[1-9][0-9]{0,9}\.repo$/) }),
    },
    responses: {
      200: { description: 'the repo file', content: { 'text/plain': { schema: z.string() } } },
      ...errorResponses(400, 404),
    },
  });
  const apiVersion = z.enum(['1', '2']);
  const mbsError = foreignError("MBS's error: { status, error, message }");
  registry.registerPath({
    method: 'get',
    path: '/module-build-service/{api_version}/about/',
    summary: 'MBS: the API version and auth method',
    request: { params: z.object({ api_version: apiVersion }) },
    responses: { 200: json('about'), 404: mbsError },
  });
  registry.registerPath({
    method: 'get',
    path: '/module-build-service/{api_version}/component-builds/{id}',
    summary: 'MBS: one component build',
    request: { params: z.object({ api_version: apiVersion, id: z.string().regex(/^[0-9]{1,9}$/) }) },
    responses: { 200: json('the component build'), 404: mbsError },
  });
  registerResultsDbPaths();
}

function registerResultsDbPaths(): void {
  const resultsDbError = foreignError(
    "ResultsDB's error: { message } (a bad parameter: { message, validation_error })",
  );
  const read = (path: string, summary: string, params?: z.ZodObject, query?: z.ZodObject) =>
    registry.registerPath({
      method: 'get',
      path: `/api/v2.0${path}`,
      summary: `ResultsDB 2.x: ${summary}`,
      request: { ...(params ? { params } : {}), ...(query ? { query } : {}) },
      responses: { 200: json(summary), 400: resultsDbError, 404: resultsDbError },
    });
  // ResultsDB's root answers 300 Multiple Choices, as upstream's does
  registry.registerPath({
    method: 'get',
    path: '/api/v2.0/',
    summary: 'ResultsDB 2.x: the API root, links to results, groups and test cases',
    responses: { 300: json('the links') },
  });
  read(
    '/results',
    "results with ResultsDB's filters (testcases, outcome, since, groups, item, type and any extra-data key) and paging",
  );
  read('/results/latest', 'the latest result per test case, with the same filters');
  read('/results/{id}', 'one result', z.object({ id: z.string().regex(/^[0-9]{1,15}$/) }));
  read('/testcases', 'test cases, paged');
  read('/testcases/{name}', 'one test case', z.object({ name: z.string().min(1) }));
  read('/groups', 'groups (one per CI run, one per campaign), paged');
  read('/groups/{uuid}', 'one group', z.object({ uuid: z.string().min(1) }));
}
