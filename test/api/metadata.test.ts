// The dependency store and the metadata service through the API: a real module index imported with
// the CLI, what-depends-on answers with paths, tiers, pagination, ETags and time travel.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueToken } from '../../api/identity/tokens';
import { DATABASE_KINDS } from '../support/databases';
import { startTestStack, type TestStack } from '../support/stack';

const projectRoot = path.join(__dirname, '..', '..');
const fedora29 = path.join(projectRoot, '..', 'shared', 'fixtures', 'modulemd', 'valid', 'fedora29-index.yaml');

function cascade(
  stack: TestStack,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(projectRoot, 'bin', 'cascade'), [
      '--url',
      stack.api.url,
      '--token',
      stack.adminToken,
      ...args,
    ]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const stream = (name: string, s: string, edges: [string, string, string][], components: string[] = []) => ({
  name,
  stream: s,
  edges: edges.map(([type, toName, toStream]) => ({ type, toName, toStream })),
  components: components.map((c) => ({ name: c })),
});

for (const kind of DATABASE_KINDS) {
  describe(`dependency store and metadata service (${kind})`, () => {
    let stack: TestStack;
    before(async () => {
      stack = await startTestStack(kind);
    });
    after(async () => {
      await stack?.stop();
    });

    it('imports the 48 streams of Fedora 29 with the CLI, and platform:f29 has them all as dependents', async () => {
      const run = await cascade(stack, '--json', 'import', 'index', fedora29);
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.equal(report.streams, 48);
      assert.equal(await stack.db.prisma.moduleStream.count(), 48);

      const direct = await stack.request(
        'GET',
        '/api/v1/modules/platform/streams/f29/dependents?relation=buildrequires&transitive=false',
      );
      // ant, eog, maven and scala buildrequire no platform stream; stratis:1 buildrequires platform:f30.
      assert.equal(direct.body.total, 43);
      // ant, maven and scala require any platform stream, stratis:1 requires platform:f29, and eog
      // buildrequires flatpak-runtime:f29, which buildrequires platform:f29.
      const res = await stack.request('GET', '/api/v1/modules/platform/streams/f29/dependents?limit=10000');
      assert.equal(res.status, 200);
      assert.equal(res.body.total, 48);
      const eog = res.body.items.find((i: { name: string }) => i.name === 'eog');
      assert.deepEqual(eog.path, ['platform:f29', 'flatpak-runtime:f29', 'eog:main']);
      for (const item of res.body.items) {
        assert.equal(item.path[0], 'platform:f29');
        assert.equal(item.path.at(-1), `${item.name}:${item.stream}`);
      }
      const names = new Set(res.body.items.map((i: { name: string; stream: string }) => `${i.name}:${i.stream}`));
      const streams = await stack.db.prisma.moduleStream.findMany();
      assert.deepEqual([...names].sort(), streams.map((s) => `${s.name}:${s.stream}`).sort());
    });

    it('re-importing the same index changes nothing', async () => {
      const before = await stack.db.prisma.moduleRelationship.count();
      const run = await cascade(stack, '--json', 'import', 'index', fedora29);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).changedStreams, 0);
      assert.equal(await stack.db.prisma.moduleRelationship.count(), before);
    });

    it('pages with a cursor and answers 304 to a matching ETag', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { name: string; stream: string }[]; nextCursor: string | null } } =
          await stack.request(
            'GET',
            `/api/v1/modules/platform/streams/f29/dependents?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
          );
        seen.push(...res.body.items.map((i) => `${i.name}:${i.stream}`));
        cursor = res.body.nextCursor;
      } while (cursor);
      assert.equal(seen.length, 48);
      assert.equal(new Set(seen).size, 48);

      const first = await fetch(`${stack.api.url}/api/v1/modules/platform/streams/f29/dependents`);
      const etag = first.headers.get('etag');
      assert.ok(etag);
      const again = await fetch(`${stack.api.url}/api/v1/modules/platform/streams/f29/dependents`, {
        headers: { 'if-none-match': etag },
      });
      assert.equal(again.status, 304);
    });

    it('groups transitive dependents into rebuild tiers with the path that explains each', async () => {
      const at = '2026-01-01T00:00:00Z';
      const res = await stack.request('POST', '/api/v1/imports/module-streams', {
        token: stack.adminToken,
        body: {
          at,
          streams: [
            stream('libfoo', '1', [['BUILDREQUIRES', 'platform', 'f40']], ['foo']),
            stream(
              'app',
              '1',
              [
                ['BUILDREQUIRES', 'libfoo', '1'],
                ['REQUIRES', 'libfoo', '1'],
              ],
              ['app', 'foo'],
            ),
            stream(
              'suite',
              '1',
              [
                ['BUILDREQUIRES', 'app', '1'],
                ['BUILDREQUIRES', 'libfoo', '1'],
              ],
              ['suite'],
            ),
          ],
        },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const tiers = await stack.request('GET', '/api/v1/modules/libfoo/streams/1/dependents?tiers=true');
      assert.deepEqual(
        tiers.body.items.map((i: { name: string; tier: number; path: string[] }) => [i.name, i.tier, i.path]),
        [
          ['app', 1, ['libfoo:1', 'app:1']],
          ['suite', 2, ['libfoo:1', 'suite:1']],
        ],
      );
      const direct = await stack.request(
        'GET',
        '/api/v1/modules/libfoo/streams/1/dependents?transitive=false&relation=requires',
      );
      assert.deepEqual(
        direct.body.items.map((i: { name: string }) => i.name),
        ['app'],
      );
      const modules = await stack.request('GET', '/api/v1/components/foo/modules');
      assert.deepEqual(
        modules.body.items.map((m: { name: string }) => m.name),
        ['app', 'libfoo'],
      );
      const components = await stack.request('GET', '/api/v1/modules/app/streams/1/components');
      assert.deepEqual(
        components.body.items.map((c: { name: string }) => c.name),
        ['app', 'foo'],
      );
    });

    it('answers for a past time after a relationship is removed', async () => {
      const later = '2026-06-01T00:00:00Z';
      const res = await stack.request('POST', '/api/v1/imports/module-streams', {
        token: stack.adminToken,
        body: { at: later, streams: [stream('suite', '1', [['BUILDREQUIRES', 'app', '1']], ['suite'])] },
      });
      assert.equal(res.body.edgesRemoved, 1);
      const now = await stack.request('GET', '/api/v1/modules/libfoo/streams/1/dependents?transitive=false');
      assert.deepEqual(
        now.body.items.map((i: { name: string }) => i.name),
        ['app'],
      );
      const before = await stack.request(
        'GET',
        '/api/v1/modules/libfoo/streams/1/dependents?transitive=false&at=2026-03-01T00:00:00Z',
      );
      assert.deepEqual(
        before.body.items.map((i: { name: string }) => i.name),
        ['app', 'suite'],
      );
      const rel = await stack.request('GET', '/api/v1/modules/suite/streams/1/relationships?at=2026-03-01T00:00:00Z');
      assert.deepEqual(rel.body.items.map((r: { name: string }) => r.name).sort(), ['app', 'libfoo']);
    });

    it('catches up after a bulk import of more streams than it replays one by one', async () => {
      const streams = Array.from({ length: 1100 }, (_, i) =>
        stream(`bulk${i}`, '1', [
          ['BUILDREQUIRES', 'platform', 'bulk'],
          ...(i > 0 ? [['REQUIRES', `bulk${i - 1}`, '1'] as [string, string, string]] : []),
        ]),
      );
      const res = await stack.request('POST', '/api/v1/imports/module-streams', {
        token: stack.adminToken,
        body: { streams },
      });
      assert.equal(res.body.changedStreams, 1100);
      const direct = await stack.request(
        'GET',
        '/api/v1/modules/platform/streams/bulk/dependents?transitive=false&limit=10000',
      );
      // plus the Fedora 29 modules that accept any platform stream
      assert.equal(direct.body.items.filter((i: { name: string }) => i.name.startsWith('bulk')).length, 1100);
      const chain = await stack.request(
        'GET',
        '/api/v1/modules/bulk0/streams/1/dependents?relation=requires&tiers=true&limit=10000',
      );
      assert.equal(chain.body.total, 1099);
      assert.equal(chain.body.items.at(-1).tier, 1099);
    });

    it('takes concurrent imports that share component names', async () => {
      const shared = Array.from({ length: 200 }, (_, i) => `shared${i}`);
      const batch = (prefix: string, names: string[]) =>
        Array.from({ length: 50 }, (_, i) =>
          stream(`${prefix}${i}`, '1', [['BUILDREQUIRES', 'platform', 'f29']], names),
        );
      const posts = [
        batch('left', shared),
        batch('right', [...shared].reverse()),
        batch('middle', shared.slice(50)),
      ].map((streams) =>
        stack.request('POST', '/api/v1/imports/module-streams', { token: stack.adminToken, body: { streams } }),
      );
      const results = await Promise.all(posts);
      assert.deepEqual(
        results.map((r) => r.status),
        [200, 200, 200],
      );
      assert.equal(await stack.db.prisma.component.count({ where: { name: { startsWith: 'shared' } } }), 200);
      const modules = await stack.request('GET', '/api/v1/components/shared100/modules');
      assert.equal(modules.body.items.length, 150);
    });

    it('keeps quotes, backslashes, braces and NULL-like text through the bulk writes, and updates a stream’s version', async () => {
      const odd = ['say "hi"', 'back\\slash', '{a,b}', 'NULL', '', 'two\nlines', 'ünïcödé, comma'];
      const components = odd.map((text, i) => ({ name: `odd${i}`, ref: text, rationale: text }));
      const first = { name: 'oddities', stream: '1', version: '1', context: 'c1', edges: [], components };
      const post = (streams: object[]) =>
        stack.request('POST', '/api/v1/imports/module-streams', { token: stack.adminToken, body: { streams } });
      assert.equal((await post([first])).status, 200);
      const rows = await stack.db.prisma.moduleComponent.findMany({
        where: { moduleName: 'oddities' },
        orderBy: { componentName: 'asc' },
      });
      assert.deepEqual(
        rows.map((r) => [r.ref, r.rationale]),
        odd.map((text) => [text, text]),
      );
      assert.equal((await post([{ ...first, version: '2', context: undefined }])).status, 200);
      const recorded = await stack.db.prisma.moduleStream.findUnique({
        where: { name_stream: { name: 'oddities', stream: '1' } },
      });
      assert.deepEqual([recorded?.version, recorded?.context], ['2', 'c1']);
    });

    it('names the bad query field (400), answers 404 for an unknown stream, and guards imports (401, 403)', async () => {
      const bad = await stack.request('GET', '/api/v1/modules/libfoo/streams/1/dependents?limit=0&relation=sometimes');
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort(), [
        'query.limit',
        'query.relation',
      ]);
      assert.equal((await stack.request('GET', '/api/v1/modules/nosuch/streams/1/dependents')).status, 404);
      const body = { streams: [stream('x', '1', [])] };
      assert.equal((await stack.request('POST', '/api/v1/imports/module-streams', { body })).status, 401);
      const reader = await issueToken(stack.db.prisma, { userName: `reader-${kind}`, role: 'READER' });
      assert.equal(
        (await stack.request('POST', '/api/v1/imports/module-streams', { body, token: reader.token })).status,
        403,
      );
      assert.equal(await stack.db.prisma.moduleStream.count({ where: { name: 'x' } }), 0);
    });
  });
}
