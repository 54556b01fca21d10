// POST /api/v1/admin/store-dump: release engineers get the embedded store's data directory as a
// gzipped tarball that PGlite loads again with every row; others are refused; an API on PostgreSQL
// owns no embedded store and says where to look instead.
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { issueToken } from '../../api/identity/tokens';
import { createLogger } from '../../platform/logger';
import { apiDependencies, startApiServer, type RunningApi } from '../../workers/api-server';
import { testEnvironment } from '../support/environment';
import { startTestStack, type TestStack } from '../support/stack';

const dump = (url: string, token?: string) =>
  fetch(`${url}/api/v1/admin/store-dump`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('POST /api/v1/admin/store-dump', () => {
  const stacks: TestStack[] = [];
  const apis: RunningApi[] = [];
  after(async () => {
    for (const api of apis) await api.close();
    for (const stack of stacks) await stack.stop();
  });

  it('gives release engineers a tarball of the PGlite store that loads with every row; refuses others', async () => {
    const stack = await startTestStack('pglite', { worker: false });
    stacks.push(stack);
    // The test stack's API has no store dump (as `npm run api`); this one is built as make start builds it.
    const api = await startApiServer(
      {
        ...apiDependencies(stack.config, stack.db.prisma, stack.temporal, createLogger('warn')),
        storeDump: stack.db.dumpStore,
      },
      '127.0.0.1',
      0,
    );
    apis.push(api);
    const reader = await issueToken(stack.db.prisma, { userName: 'rita', role: 'READER' });
    const maintainer = await issueToken(stack.db.prisma, { userName: 'mo', role: 'MAINTAINER' });
    assert.equal((await dump(api.url)).status, 401);
    assert.equal((await dump(api.url, reader.token)).status, 403);
    assert.equal((await dump(api.url, maintainer.token)).status, 403);

    const res = await dump(api.url, stack.adminToken);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/gzip');
    const tarball = Buffer.from(await res.arrayBuffer());
    assert.match(gunzipSync(tarball).subarray(0, 512).toString('latin1'), /PG_VERSION|base\/|global\//);

    const copy = await PGlite.create({
      dataDir: path.join(testEnvironment.scratch(), `store-dump-${Date.now()}`),
      loadDataDir: new Blob([tarball]),
    });
    try {
      const names = await copy.query<{ name: string }>('SELECT name FROM "User" ORDER BY name');
      assert.deepEqual(
        names.rows.map((r) => r.name),
        ['admin', 'mo', 'rita'],
      );
    } finally {
      await copy.close();
    }
  });

  it('answers 409 on PostgreSQL, where pg_dump is the tool', async () => {
    const stack = await startTestStack('postgres', { worker: false });
    stacks.push(stack);
    const res = await stack.request('POST', '/api/v1/admin/store-dump', { token: stack.adminToken });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'not_embedded');
    assert.match(res.body.error.message, /pg_dump/);
  });
});
