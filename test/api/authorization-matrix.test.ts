// The authorization matrix, generated from the route table: every mutating route of the Express app
// (found by walking its router, so a new route without a row here fails the test) is called as
// anonymous, a reader, a maintainer of the target, a maintainer of something else and a release
// engineer, with a body that passes validation, and must answer exactly the expected status; on every
// refusal (401, 403) no row of any table is added or removed. Allowed calls stay cheap: dry runs,
// idempotent creates, or a target that does not exist, answered 404/409/422 after the authorization
// step (marked `afterAuth` with why). Routes authorized before they validate (comps writes) are given
// an empty body: the refusals still answer 401/403, and the release engineer's 400 shows the check passed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Prisma } from '@prisma/client';
import type { Express } from 'express';
import { createApp } from '../../api/app';
import { apiDependencies } from '../../workers/api-server';
import { createLogger } from '../../platform/logger';
import { issueToken } from '../../api/identity/tokens';
import { eventually, startTestStack, type TestStack } from '../support/stack';

type Persona = 'anonymous' | 'reader' | 'maintainer' | 'otherMaintainer' | 'releaseEngineer';
const PERSONAS: Persona[] = ['anonymous', 'reader', 'otherMaintainer', 'maintainer', 'releaseEngineer'];

interface Fixture {
  campaignId: string;
  /** another of the maintainer's campaigns, for the release engineer to cancel */
  secondCampaignId: string;
  odcsId: number;
  odcsComposeId: string;
  tokenOfMaintainer: string;
  notificationOfMaintainer?: string;
}

interface Row {
  /** `METHOD /path/:param` as the router declares it */
  route: string;
  /** the request each persona sends (same for all unless it depends on who asks) */
  request: (fx: Fixture, persona: Persona) => { path: string; body?: unknown };
  expect: Record<Persona, number>;
  /** why an allowed call is answered 4xx: what it shows and why the real action is not run */
  afterAuth?: string;
}

/** Release engineers only: everyone else is refused; `re` is the release engineer's answer. */
const reOnly = (re: number): Record<Persona, number> => ({
  anonymous: 401,
  reader: 403,
  otherMaintainer: 403,
  maintainer: 403,
  releaseEngineer: re,
});
/** Maintainers of the target and release engineers. */
const maintainers = (maintainer: number, re = maintainer): Record<Persona, number> => ({
  anonymous: 401,
  reader: 403,
  otherMaintainer: 403,
  maintainer,
  releaseEngineer: re,
});
/** Any signed-in person, for what is their own (their inbox). */
const anyone = (status: number): Record<Persona, number> => ({
  anonymous: 401,
  reader: status,
  otherMaintainer: status,
  maintainer: status,
  releaseEngineer: status,
});

const comps = (route: string, path: string, re = 400): Row => ({
  route,
  request: () => ({ path, body: {} }),
  expect: reOnly(re),
  afterAuth:
    re === 200
      ? 'an empty document: it replaces the test release’s (empty) one'
      : 'comps writes are authorized before they validate: the empty JSON body passes the check and is then refused',
});

const PERL_STREAM = {
  name: 'perl',
  stream: 'f29',
  edges: [{ type: 'BUILDREQUIRES', toName: 'platform', toStream: 'f29' }],
  components: [{ name: 'perl', ref: 'f29' }],
};

const ROWS: Row[] = [
  {
    route: 'POST /api/v1/campaigns/',
    request: () => ({ path: '/api/v1/campaigns', body: { components: ['perl'], branch: 'f29', dryRun: true } }),
    expect: maintainers(200),
  },
  ...(['skip', 'retry', 'resume'] as const).map((action): Row => ({
    route: `POST /api/v1/campaigns/:id/modules/:module/${action}`,
    request: (fx) => ({
      path: `/api/v1/campaigns/${fx.campaignId}/modules/nomodule:f29/${action}`,
      body: { reason: 'matrix' },
    }),
    expect: { ...maintainers(409), maintainer: 403 },
    afterAuth: 'a module the campaign does not hold: maintained by nobody, so only the release engineer passes (409)',
  })),
  {
    route: 'POST /api/v1/campaigns/:id/cancel',
    request: (fx, persona) => ({
      path: `/api/v1/campaigns/${persona === 'releaseEngineer' ? fx.secondCampaignId : fx.campaignId}/cancel`,
      body: { reason: 'matrix' },
    }),
    expect: maintainers(202),
  },
  {
    route: 'POST /api/v1/releases/',
    request: () => ({ path: '/api/v1/releases', body: { key: 'f40' } }),
    expect: reOnly(200),
    afterAuth: 'the release exists already: an idempotent create (200)',
  },
  comps('PUT /api/v1/releases/:release/comps', '/api/v1/releases/f40/comps', 200),
  comps('POST /api/v1/releases/:release/comps.xml', '/api/v1/releases/f40/comps.xml', 415),
  comps('PUT /api/v1/releases/:release/variants', '/api/v1/releases/f40/variants', 200),
  comps('POST /api/v1/releases/:release/variants.xml', '/api/v1/releases/f40/variants.xml', 415),
  ...(['groups', 'categories', 'environments', 'langpacks', 'variants'] as const).flatMap((c) => {
    const param = c === 'variants' ? ':uid' : ':id';
    return [
      comps(`POST /api/v1/releases/:release/${c}`, `/api/v1/releases/f40/${c}`),
      comps(`PUT /api/v1/releases/:release/${c}/${param}`, `/api/v1/releases/f40/${c}/x`),
      {
        route: `DELETE /api/v1/releases/:release/${c}/${param}`,
        request: () => ({ path: `/api/v1/releases/f40/${c}/nothing` }),
        expect: reOnly(404),
        afterAuth: 'an item that does not exist: deleting a real one is tested in comps.test.ts',
      },
    ];
  }),
  {
    route: 'POST /api/v1/composes/',
    request: () => ({ path: '/api/v1/composes', body: { release: 'f-40', variants: ['Nothing'] } }),
    expect: reOnly(422),
    afterAuth: 'a variant the release does not have (422): a real compose is the compose tests’ business',
  },
  {
    route: 'POST /api/v1/composes/:id/cancel',
    request: (fx) => ({ path: `/api/v1/composes/${fx.odcsComposeId}/cancel`, body: {} }),
    expect: reOnly(409),
    afterAuth: 'the compose has ended (409)',
  },
  {
    route: 'POST /api/1/composes/',
    request: () => ({ path: '/api/1/composes/', body: { source: { type: 'module', source: 'perl:f29' } } }),
    expect: maintainers(200),
  },
  {
    route: 'PATCH /api/1/composes/:id',
    request: (fx) => ({ path: `/api/1/composes/${fx.odcsId}`, body: { 'seconds-to-live': 3600 } }),
    expect: maintainers(409),
    afterAuth: 'the compose is not done (409): only its owner and release engineers get that far',
  },
  {
    route: 'DELETE /api/1/composes/:id',
    request: (fx) => ({ path: `/api/1/composes/${fx.odcsId}` }),
    expect: maintainers(202),
  },
  {
    route: 'POST /api/v1/tokens/',
    request: () => ({ path: '/api/v1/tokens', body: { user: 'mia', role: 'maintainer', expiresInDays: 1 } }),
    expect: reOnly(201),
  },
  {
    route: 'DELETE /api/v1/tokens/:id',
    request: (fx) => ({ path: `/api/v1/tokens/${fx.tokenOfMaintainer}` }),
    expect: maintainers(204),
  },
  {
    route: 'POST /api/v1/admin/store-dump',
    request: () => ({ path: '/api/v1/admin/store-dump' }),
    expect: reOnly(409),
    afterAuth: 'the test store is PostgreSQL, not the embedded one (409)',
  },
  {
    route: 'PUT /api/v1/users/me',
    request: () => ({ path: '/api/v1/users/me', body: { notifyBy: ['inbox'] } }),
    expect: anyone(200),
  },
  {
    route: 'PUT /api/v1/users/:name',
    request: () => ({ path: '/api/v1/users/mia', body: { notifyBy: ['inbox'] } }),
    expect: maintainers(200),
  },
  {
    route: 'POST /api/v1/imports/module-streams',
    request: () => ({ path: '/api/v1/imports/module-streams', body: { streams: [PERL_STREAM] } }),
    expect: reOnly(200),
    afterAuth: 'the fixture’s stream again: an import that changes nothing',
  },
  {
    route: 'POST /api/v1/module-builds/',
    request: () => ({ path: '/api/v1/module-builds', body: { name: 'perl', stream: 'f29' } }),
    expect: maintainers(422),
    afterAuth: 'no dist-git repository for the module (422): real builds are the module-build tests’ business',
  },
  {
    route: 'POST /module-build-service/:apiVersion/module-builds/',
    request: () => ({
      path: '/module-build-service/2/module-builds/',
      body: {
        scmurl: 'https://src.example.org/modules/perl.git?#0123456789abcdef0123456789abcdef01234567',
        branch: 'f29',
      },
    }),
    expect: maintainers(422),
    afterAuth: 'no dist-git repository for the module: refused after the check',
  },
  {
    route: 'POST /api/v1/notifications/read-all',
    request: () => ({ path: '/api/v1/notifications/read-all' }),
    expect: anyone(200),
  },
  {
    route: 'POST /api/v1/notifications/:id/read',
    request: () => ({ path: '/api/v1/notifications/00000000-0000-0000-0000-000000000000/read' }),
    expect: anyone(404),
    afterAuth: "each person's own inbox: another's notification is not found",
  },
  {
    route: 'POST /api/v1/repos/',
    request: () => ({ path: '/api/v1/repos', body: { namespace: 'rpms', name: 'matrix' } }),
    expect: reOnly(200),
  },
];

/** Routes that do not take a bearer token, with what refuses them instead and where that is tested. */
const OTHERWISE_AUTHENTICATED: Record<string, string> = {
  'POST /api/v1/events/dist-git': 'signed with the shared secret, not a token: test/api/dist-git-push.test.ts',
  'POST /kojihub': 'XML-RPC: one POST for every method; tagBuild/untagBuild ask authorize() per call (Koji faults)',
  'POST /kojihub/ssllogin': "Koji's login call over XML-RPC; the bearer token is checked per method",
};

interface Layer {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every `METHOD /path` the app's router declares, mounted paths joined. */
function routesOf(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods))
          out.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      } else if (layer.handle.stack) {
        const paths = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath];
        for (const p of paths) walk(layer.handle.stack, prefix + (typeof p === 'string' && p !== '/' ? p : ''));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out.flatMap((r) => {
    // app.use(['/a', '/b']) and route paths given as arrays come out joined by commas
    const [method, path] = r.split(' ') as [string, string];
    return path.split(',').map((p) => `${method} ${p}`);
  });
}

const MUTATING = /^(POST|PUT|PATCH|DELETE) /;

describe('the authorization matrix', () => {
  let stack: TestStack;
  let app: Express;
  const tokens = {} as Record<Persona, string | undefined>;
  const fx = {} as Fixture;

  /** Rows of every table, by table. */
  async function storeCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const model of Prisma.dmmf.datamodel.models) {
      const delegate = (stack.db.prisma as unknown as Record<string, { count(): Promise<number> }>)[
        model.name.charAt(0).toLowerCase() + model.name.slice(1)
      ];
      counts[model.name] = await delegate!.count();
    }
    return counts;
  }

  before(async () => {
    stack = await startTestStack('postgres');
    app = createApp(apiDependencies(stack.config, stack.db.prisma, stack.temporal, createLogger('warn')));
    const prisma = stack.db.prisma;
    const reader = await issueToken(prisma, { userName: 'rita', role: 'READER' });
    const mia = await issueToken(prisma, { userName: 'mia', role: 'MAINTAINER' });
    const otto = await issueToken(prisma, { userName: 'otto', role: 'MAINTAINER' });
    await prisma.maintainership.createMany({
      data: [
        { userId: mia.userId, namespace: 'rpms', name: 'perl' },
        { userId: mia.userId, namespace: 'modules', name: 'perl' },
        { userId: otto.userId, namespace: 'rpms', name: 'python3' },
        { userId: otto.userId, namespace: 'modules', name: 'python3' },
      ],
    });
    Object.assign(tokens, {
      anonymous: undefined,
      reader: reader.token,
      maintainer: mia.token,
      otherMaintainer: otto.token,
      releaseEngineer: stack.adminToken,
    });
    const admin = { token: stack.adminToken };
    const ok = (res: { status: number; body: unknown }, what: string) =>
      assert.ok(res.status < 300, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
    ok(await stack.request('POST', '/api/v1/releases', { ...admin, body: { key: 'f40' } }), 'release');
    ok(
      await stack.request('POST', '/api/v1/imports/module-streams', {
        ...admin,
        body: { streams: [PERL_STREAM] },
      }),
      'import',
    );
    const campaign = await stack.request('POST', '/api/v1/campaigns', {
      token: mia.token,
      body: { components: ['perl'], branch: 'f29' },
    });
    ok(campaign, 'campaign');
    fx.campaignId = campaign.body.id;
    const second = await stack.request('POST', '/api/v1/campaigns', {
      token: mia.token,
      body: { modules: ['perl'], branch: 'f29', reason: 'the second' },
    });
    ok(second, 'second campaign');
    fx.secondCampaignId = second.body.id;
    await eventually(
      async () => (await prisma.campaign.count({ where: { id: fx.secondCampaignId } })) > 0 || undefined,
    );
    await eventually(async () => (await prisma.campaign.count({ where: { id: fx.campaignId } })) > 0 || undefined);
    const odcs = await stack.request('POST', '/api/1/composes/', {
      token: mia.token,
      body: { source: { type: 'module', source: 'perl:f29' } },
    });
    ok(odcs, 'odcs compose');
    fx.odcsId = odcs.body.id;
    // Settled before the matrix runs, so that the cancel and renew rows meet one known state.
    const compose = await eventually(async () => {
      const row = await prisma.compose.findFirst({ where: { number: fx.odcsId } });
      return row && row.status !== 'STARTED' ? row : undefined;
    }, 60_000);
    fx.odcsComposeId = compose.composeId;
    const spare = await issueToken(prisma, { userName: 'mia', role: 'MAINTAINER', description: 'to revoke' });
    fx.tokenOfMaintainer = spare.id;
    // The fixtures' workflows write as they go: wait until the store has stopped changing.
    let last = JSON.stringify(await storeCounts());
    await eventually(async () => {
      await new Promise((r) => setTimeout(r, 1500));
      const now = JSON.stringify(await storeCounts());
      const still = now === last;
      last = now;
      return still || undefined;
    }, 60_000);
  });
  after(async () => {
    await stack?.stop();
  });

  it('has a row for every mutating route, and no row for a route that is gone', () => {
    const routes = routesOf(app).filter((r) => MUTATING.test(r));
    const rows = new Set([...ROWS.map((r) => r.route), ...Object.keys(OTHERWISE_AUTHENTICATED)]);
    const missing = routes.filter((r) => !rows.has(r));
    assert.deepEqual(missing, [], 'mutating routes without a row in the authorization matrix');
    const stale = [...rows].filter((r) => !routes.includes(r));
    assert.deepEqual(stale, [], 'rows for routes the app no longer has');
  });

  const call = async (row: Row, persona: Persona) => {
    const { path, body } = row.request(fx, persona);
    const method = row.route.split(' ')[0]!;
    const res = await stack.request(method, path, { token: tokens[persona], body });
    return { res, where: `${persona}: ${method} ${path} answered ${res.status} ${JSON.stringify(res.body)}` };
  };
  const refused = (row: Row) => PERSONAS.filter((p) => row.expect[p] === 401 || row.expect[p] === 403);
  const allowed = (row: Row) => PERSONAS.filter((p) => row.expect[p] !== 401 && row.expect[p] !== 403);

  // First every refusal, while the store is still: the fixtures' workflows have settled and no allowed
  // call has started anything, so any row added or removed would be the refused request's.
  for (const row of ROWS) {
    it(`refuses ${row.route}: ${refused(row)
      .map((p) => `${p} ${row.expect[p]}`)
      .join(', ')}`, async () => {
      for (const persona of refused(row)) {
        const before = await storeCounts();
        const { res, where } = await call(row, persona);
        assert.equal(res.status, row.expect[persona], where);
        // MBS's routes answer MBS's error shape, with Cascade's code beside it
        const code = res.body.error?.code ?? res.body.code;
        assert.equal(code, res.status === 401 ? 'unauthenticated' : 'forbidden', where);
        assert.deepEqual(await storeCounts(), before, `${where}: a refusal wrote to the store`);
      }
    });
  }
  for (const row of ROWS) {
    const why = row.afterAuth ? ` (${row.afterAuth})` : '';
    it(`allows ${row.route}: ${allowed(row)
      .map((p) => `${p} ${row.expect[p]}`)
      .join(', ')}${why}`, async () => {
      for (const persona of allowed(row)) {
        const { res, where } = await call(row, persona);
        assert.equal(res.status, row.expect[persona], where);
      }
    });
  }
});
