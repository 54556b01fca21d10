// The OpenAPI description of /api/v1/releases (Comps-as-a-Service), from the schemas the routes validate with.
import { bearerAuth, errorResponses, registry, z } from '../openapi-registry';
import { Variant } from '../../domain/comps';
import {
  CategoryBody,
  CompsBody,
  CompsChange,
  CompsXmlQuery,
  EnvironmentBody,
  GroupBody,
  HistoryQuery,
  ItemParams,
  LangpackBody,
  Release,
  ReleaseCreate,
  ReleaseParams,
  VariantBody,
  VariantParams,
  VariantsBody,
} from './releases.schemas';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const xml = { content: { 'application/xml': { schema: z.string() } } };
const writer = { security: [{ [bearerAuth.name]: [] }] };
const base = '/api/v1/releases/{release}';

let registered = false;

export function registerReleasePaths(): void {
  if (registered) return;
  registered = true;
  registry.registerPath({
    method: 'get',
    path: '/api/v1/releases',
    summary: 'Releases with comps or variants, and how many of each they hold',
    responses: { 200: { description: 'releases', ...json(z.object({ items: z.array(Release) })) } },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/releases',
    summary: 'Create a release (201), or meet the existing one (200). Release engineers.',
    ...writer,
    request: { body: json(ReleaseCreate) },
    responses: {
      201: { description: 'created', ...json(Release) },
      200: { description: 'exists', ...json(Release) },
      ...errorResponses(400, 401, 403),
    },
  });
  registry.registerPath({
    method: 'get',
    path: base,
    summary: 'A release and its counts',
    request: { params: ReleaseParams },
    responses: { 200: { description: 'the release', ...json(Release) }, ...errorResponses(400, 404) },
  });
  registerDocuments();
  registerItems();
}

function registerDocuments(): void {
  for (const [doc, schema] of [
    ['comps', CompsBody],
    ['variants', VariantsBody],
  ] as const) {
    registry.registerPath({
      method: 'get',
      path: `${base}/${doc}`,
      summary: `The release's ${doc} as JSON`,
      request: { params: ReleaseParams },
      responses: { 200: { description: doc, ...json(schema) }, ...errorResponses(400, 404) },
    });
    registry.registerPath({
      method: 'put',
      path: `${base}/${doc}`,
      summary: `Replace the release's ${doc} with a JSON document, in one transaction (the release is created if needed). Release engineers.`,
      ...writer,
      request: { params: ReleaseParams, body: json(schema) },
      responses: { 200: { description: 'counts', ...json(z.unknown()) }, ...errorResponses(400, 401, 403) },
    });
    registry.registerPath({
      method: 'post',
      path: `${base}/${doc}.xml`,
      summary: `Import ${doc === 'comps' ? 'a comps.xml' : 'a Pungi variants.xml'} (application/xml or text/xml), replacing the release's ${doc} in one transaction; errors name the element and line. Release engineers.`,
      ...writer,
      request: { params: ReleaseParams, body: xml },
      responses: { 200: { description: 'counts', ...json(z.unknown()) }, ...errorResponses(400, 401, 403, 415) },
    });
  }
  registry.registerPath({
    method: 'get',
    path: `${base}/comps.xml`,
    summary: "The release's comps.xml, generated now; with ?variant= pruned to what that variant holds",
    request: { params: ReleaseParams, query: CompsXmlQuery },
    responses: { 200: { description: 'comps.xml', ...xml }, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: `${base}/variants.xml`,
    summary: "The release's variants as Pungi's variants.xml, generated now",
    request: { params: ReleaseParams },
    responses: { 200: { description: 'variants.xml', ...xml }, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: `${base}/comps/history`,
    summary: "Who changed what in the release's comps and variants, newest first",
    request: { params: ReleaseParams, query: HistoryQuery },
    responses: {
      200: {
        description: 'a page',
        ...json(z.object({ items: z.array(CompsChange), nextCursor: z.string().nullable() })),
      },
      ...errorResponses(400),
    },
  });
}

const VariantAnswer = registry.register(
  'VariantAnswer',
  Variant.extend({ uid: z.string().describe('parent-child, as the path names it') }),
);

function registerItems(): void {
  const collections = [
    ['groups', GroupBody, ItemParams, '{id}'],
    ['categories', CategoryBody, ItemParams, '{id}'],
    ['environments', EnvironmentBody, ItemParams, '{id}'],
    ['langpacks', LangpackBody, ItemParams, '{id}'],
    ['variants', VariantBody, VariantParams, '{uid}'],
  ] as const;
  for (const [path, schema, params, key] of collections) {
    const one = `${base}/${path}/${key}`;
    // a variant is answered with its uid (parent-child) beside its own fields
    const answer = path === 'variants' ? VariantAnswer : schema;
    if (path !== 'variants') {
      registry.registerPath({
        method: 'get',
        path: `${base}/${path}`,
        summary: `The release's ${path}`,
        request: { params: ReleaseParams },
        responses: {
          200: { description: path, ...json(z.object({ items: z.array(schema) })) },
          ...errorResponses(400, 404),
        },
      });
    }
    registry.registerPath({
      method: 'get',
      path: one,
      summary: `One of the release's ${path}`,
      request: { params },
      responses: { 200: { description: 'found', ...json(answer) }, ...errorResponses(400, 404) },
    });
    registry.registerPath({
      method: 'post',
      path: `${base}/${path}`,
      summary: `Add to the release's ${path} (409 when it exists). Release engineers.`,
      ...writer,
      request: { params: ReleaseParams, body: json(schema) },
      responses: { 201: { description: 'created', ...json(answer) }, ...errorResponses(400, 401, 403, 404, 409, 422) },
    });
    registry.registerPath({
      method: 'put',
      path: one,
      summary: `Create or replace one of the release's ${path}. Release engineers.`,
      ...writer,
      request: { params, body: json(schema) },
      responses: {
        200: { description: 'replaced', ...json(answer) },
        201: { description: 'created', ...json(answer) },
        ...errorResponses(400, 401, 403, 404, 422),
      },
    });
    registry.registerPath({
      method: 'delete',
      path: one,
      summary: `Delete one of the release's ${path}. Release engineers.`,
      ...writer,
      request: { params },
      responses: { 204: { description: 'deleted' }, ...errorResponses(400, 401, 403, 404, 409) },
    });
  }
}
