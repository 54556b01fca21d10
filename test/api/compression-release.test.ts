// Once a compressed answer's response has closed, its zlib stream holds no listeners (which held the
// request and the response alive through young-generation collections: api/compression-release.ts);
// the answer itself is unchanged, compressed or not.
import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import compression from 'compression';
import express, { type Response } from 'express';
import { releaseCompressionStreams } from '../../api/compression-release';

const body = { items: Array.from({ length: 200 }, (_, i) => ({ name: `module-${i}`, stream: 'main', tier: i % 7 })) };

/** After the release's own close listener: how many listeners the response's compression stream still has. */
function listenersLeft(res: Response, seen: (compressed: boolean, left: number) => void): void {
  res.once('close', () => {
    const target = res.on('drain', () => undefined) as unknown as EventEmitter;
    if (target === res) return seen(false, 0);
    seen(true, target.listenerCount('data') + target.listenerCount('end'));
  });
}

function appWith(release: boolean, seen: (compressed: boolean, left: number) => void): express.Express {
  const app = express();
  app.use(compression());
  if (release) app.use(releaseCompressionStreams());
  app.get('/page', (_req, res) => {
    listenersLeft(res, seen);
    res.json(body);
  });
  return app;
}

function get(port: number, gzip: boolean): Promise<{ encoding?: string; json: unknown }> {
  return new Promise((resolve, reject) => {
    const headers = gzip ? { 'accept-encoding': 'gzip' } : {};
    http
      .get({ host: '127.0.0.1', port, path: '/page', headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          const text = (encoding === 'gzip' ? zlib.gunzipSync(raw) : raw).toString('utf8');
          resolve({ encoding, json: JSON.parse(text) });
        });
      })
      .on('error', reject);
  });
}

describe('compression streams are released when their response closes', () => {
  const servers: http.Server[] = [];
  const seen = { released: [] as [boolean, number][], kept: [] as [boolean, number][] };
  const ports = { released: 0, kept: 0 };

  before(async () => {
    for (const kind of ['released', 'kept'] as const) {
      const server = http.createServer(appWith(kind === 'released', (c, left) => seen[kind].push([c, left])));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      ports[kind] = (server.address() as AddressInfo).port;
    }
  });
  after(async () => {
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const closed = async (list: [boolean, number][], count: number) => {
    for (let i = 0; i < 100 && list.length < count; i += 1) await new Promise((r) => setTimeout(r, 10));
    return list;
  };

  it('a gzip answer arrives whole, and its stream has no listeners left after the close', async () => {
    const answer = await get(ports.released, true);
    assert.equal(answer.encoding, 'gzip');
    assert.deepEqual(answer.json, body);
    assert.deepEqual(await closed(seen.released, 1), [[true, 0]]);
  });

  it('an uncompressed answer is untouched', async () => {
    const answer = await get(ports.released, false);
    assert.equal(answer.encoding, undefined);
    assert.deepEqual(answer.json, body);
    assert.deepEqual((await closed(seen.released, 2))[1], [false, 0]);
  });

  it('without the release, the closed stream still holds the listeners that reach the response', async () => {
    const answer = await get(ports.kept, true);
    assert.equal(answer.encoding, 'gzip');
    const [[compressed, left]] = (await closed(seen.kept, 1)) as [[boolean, number]];
    assert.equal(compressed, true);
    assert.ok(left > 0, `the stream kept ${left} listeners`);
  });
});
