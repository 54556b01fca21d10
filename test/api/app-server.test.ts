// The API's HTTP server builds requests and responses on the Express app's own prototypes, so that
// Express's per-request prototype swap has nothing to do (the swap made V8 keep each request's
// garbage through young-generation collections: api/app-server.ts). Requests still behave as Express
// requests: properties, query, JSON answers, errors and keep-alive.
import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { createAppServer } from '../../api/app-server';

describe('the API HTTP server', () => {
  const app = express();
  app.get('/things/:id', (req, res) => {
    res.json({
      id: req.params.id,
      q: req.query.q,
      host: req.hostname,
      ownApp: req.app === app,
      nodeTypes: req instanceof IncomingMessage && res instanceof ServerResponse,
    });
  });
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found' } });
  });
  const server = createAppServer(app);
  const born: boolean[] = [];
  // Runs before Express's own listener: what node:http built, before Express touched it.
  server.prependListener('request', (req, res) => {
    born.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
  });
  let base = '';

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("hands Express requests and responses already on the app's prototypes", async () => {
    for (let i = 0; i < 3; i += 1) {
      const answer = await fetch(`${base}/things/${i}?q=x`);
      assert.equal(answer.status, 200);
      assert.deepEqual(await answer.json(), {
        id: String(i),
        q: 'x',
        host: '127.0.0.1',
        ownApp: true,
        nodeTypes: true,
      });
      assert.match(answer.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/);
      assert.ok(answer.headers.get('etag'), 'res.json still sets an ETag');
    }
    assert.deepEqual(born, [true, true, true]);
  });

  it('keeps the rest of the chain: unknown paths fall through to the app', async () => {
    const answer = await fetch(`${base}/nothing`);
    assert.equal(answer.status, 404);
    assert.deepEqual(await answer.json(), { error: { code: 'not_found' } });
  });
});
