// The published OpenAPI document and the Express router agree: every route the router serves is an
// operation of the document (but the few that are not JSON APIs, listed with why), and every operation
// of the document is a route. The 405 answer and OPTIONS come from the same router, so a method the
// document does not list for a path is refused with an Allow header naming exactly the ones it does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Express } from 'express';
import { createApp, type ApiDependencies } from '../../api/app';
import { allowedMethods } from '../../api/method-not-allowed';
import { openApiDocument } from '../../api/openapi-registry';
import { createLogger } from '../../platform/logger';

/** Routes outside the document, and why. */
const NOT_DOCUMENTED: Record<string, string> = {
  'GET /': 'the dashboard (HTML pages)',
  'GET /campaigns': 'the dashboard (HTML pages)',
  'GET /campaigns/{}': 'the dashboard (HTML pages)',
  'GET /module-builds/{}': 'the dashboard (HTML pages)',
  'GET /composes': 'the dashboard (HTML pages)',
  'GET /composes/{}': 'the dashboard (HTML pages)',
  'GET /pipeline': 'the dashboard (HTML pages)',
  'GET /notifications': 'the dashboard (HTML pages)',
  'POST /kojihub': "Koji's XML-RPC hub: one POST for every method, described by Koji's own API",
  'POST /kojihub/ssllogin': "Koji's XML-RPC login",
  'GET /kojifiles/packages/{}/{}/{}/{}/{}': "Koji's file tree (RPMs), as a Koji web server serves it",
  'GET /kojifiles/work/tasks/{}/{}/{}': "Koji's file tree (task logs), as a Koji web server serves it",
};

/** Routes declared with a regular expression, and the document paths they serve. */
const REGEX_ROUTES: Record<string, string[]> = {
  '/api/v2.0/^\\/testcases\\/(.+)$/': ['/api/v2.0/testcases/{}'],
  '/api/v1/repos/^\\/([^/]+)\\/([^/]+)\\/branches\\/(.+)\\/(history|head|stale-builds)$/': [
    '/api/v1/repos/{}/{}/branches/{}/history',
    '/api/v1/repos/{}/{}/branches/{}/head',
    '/api/v1/repos/{}/{}/branches/{}/stale-builds',
  ],
};

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

const pathsOf = (raw: unknown): string[] =>
  (Array.isArray(raw) ? raw : [raw]).map((p) => (typeof p === 'string' ? (p === '/' ? '' : p) : String(p)));

/** Placeholders named alike and no trailing slash: `/a/:id/` and `/a/{id}` both read `/a/{}`. */
const normal = (path: string) =>
  path
    .replace(/:[A-Za-z_]+/g, '{}')
    .replace(/\{[A-Za-z_]+\}/g, '{}')
    .replace(/(.)\/$/, '$1') || '/';

function routesOf(app: Express): Set<string> {
  const out = new Set<string>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of pathsOf(layer.route.path)) {
          const full = prefix + path;
          const served = REGEX_ROUTES[full] ?? [full || '/'];
          for (const method of Object.keys(layer.route.methods))
            for (const p of served) out.add(`${method.toUpperCase()} ${normal(p)}`);
        }
      } else if (layer.handle.stack) {
        for (const path of pathsOf(layer.rawPath)) walk(layer.handle.stack, prefix + path);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out;
}

/** Enough of the dependencies to build the router; no request is served. */
function routerOnlyApp(): Express {
  const deps = {
    logger: createLogger('warn'),
    builds: { kojiRoot: '/nonexistent' },
    mirrorRoot: '/nonexistent',
    readsRequireAuth: false,
  } as unknown as ApiDependencies;
  return createApp(deps);
}

function documentedOperations(): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(openApiDocument().paths ?? {}))
    for (const method of Object.keys(item as object)) out.add(`${method.toUpperCase()} ${normal(path)}`);
  return out;
}

describe('the OpenAPI document and the router', () => {
  const app = routerOnlyApp();
  const routes = routesOf(app);
  const documented = documentedOperations();

  it('documents every route the router serves (but the listed non-JSON ones)', () => {
    const missing = [...routes].filter((r) => !documented.has(r) && !NOT_DOCUMENTED[r]);
    assert.deepEqual(missing, [], `routes missing from the OpenAPI document:\n${missing.join('\n')}`);
    const stale = Object.keys(NOT_DOCUMENTED).filter((r) => !routes.has(r));
    assert.deepEqual(stale, [], 'listed as undocumented but no longer routes');
  });

  it('documents no operation the router does not serve', () => {
    const extra = [...documented].filter((d) => !routes.has(d));
    assert.deepEqual(extra, [], `operations the router does not serve:\n${extra.join('\n')}`);
  });

  it("answers OPTIONS and 405 with the document's methods for each path", () => {
    const doc = openApiDocument();
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const concrete = path.replace(/\{nsvc\}/g, 'a:b:1:c').replace(/\{[A-Za-z_]+\}/g, '1');
      const expected = Object.keys(item as object).map((m) => m.toUpperCase());
      const allowed = allowedMethods(app, concrete);
      for (const method of expected) assert.ok(allowed.includes(method), `${path}: ${method} missing from ${allowed}`);
      const extra = allowed.filter((m) => !expected.includes(m) && m !== 'HEAD' && m !== 'OPTIONS');
      // Paths shared with another document path (a concrete value matching two templates) may allow more.
      if (extra.length > 0) assert.ok(path.includes('{'), `${path} allows undocumented ${extra.join(', ')}`);
    }
  });

  it('gives every operation an id, marks the bodies a route needs as required, and links operations', () => {
    const doc = openApiDocument();
    const ids = new Set<string>();
    for (const item of Object.values(doc.paths ?? {}))
      for (const operation of Object.values(item as Record<string, { operationId?: string }>)) {
        assert.ok(operation.operationId && !ids.has(operation.operationId), `operationId ${operation.operationId}`);
        ids.add(operation.operationId);
      }
    const created = doc.paths?.['/api/v1/campaigns']?.post;
    assert.equal((created?.requestBody as { required?: boolean }).required, true);
    const cancel = doc.paths?.['/api/v1/campaigns/{id}/cancel']?.post;
    assert.equal((cancel?.requestBody as { required?: boolean }).required, false, 'cancel takes an empty body');
    const links = (created?.responses?.['202'] as { links?: Record<string, { operationId: string }> }).links ?? {};
    assert.equal(links.cancel?.operationId, 'post_api_v1_campaigns_id_cancel');
    const build = doc.paths?.['/api/v1/module-builds/{nsvc}']?.get;
    const logLink = (build?.responses?.['200'] as { links?: Record<string, { parameters: object }> }).links?.log;
    assert.deepEqual(logLink?.parameters, {
      nsvc: '$request.path.nsvc',
      component: '$response.body#/components/0/name',
    });
  });
});
