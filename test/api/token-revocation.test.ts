// Tokens over the API: listed without their secrets (each person their own, release engineers all),
// revoked by their owner or a release engineer and refused at once, expired when their time comes —
// on a stack whose reads need a token, so that the dashboard's event stream is refused too.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { actorForToken } from '../../api/identity/authenticate';
import { startTestStack, type TestStack } from '../support/stack';

/** Opens the SSE stream and resolves with its status once the headers arrive (the stream stays open). */
function openStream(url: string, token: string): Promise<{ status: number; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/api/v1/events/stream`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      resolve({ status: res.statusCode ?? 0, close: () => req.destroy() });
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
  });
}

describe('API tokens: list, revoke, expire', () => {
  let stack: TestStack;
  let rita: { id: string; token: string };
  let max: { id: string; token: string };

  before(async () => {
    stack = await startTestStack('postgres', { worker: false, env: { CASCADE_READS_REQUIRE_AUTH: 'true' } });
    const issue = async (user: string, role: string, extra: Record<string, unknown> = {}) => {
      const res = await stack.request('POST', '/api/v1/tokens', {
        token: stack.adminToken,
        body: { user, role, ...extra },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; token: string; expiresAt: string | null };
    };
    rita = await issue('rita', 'reader', { description: 'dashboard' });
    max = await issue('max', 'maintainer', { expiresInDays: 30 });
  });
  after(async () => {
    await stack?.stop();
  });

  it('lists tokens without their secrets: a person their own, a release engineer everyone', async () => {
    const own = await stack.request('GET', '/api/v1/tokens', { token: rita.token });
    assert.equal(own.status, 200);
    assert.deepEqual(
      own.body.items.map((t: { user: string }) => t.user),
      ['rita'],
    );
    assert.equal(own.body.items[0].id, rita.id);
    assert.equal(own.body.items[0].description, 'dashboard');
    assert.equal(own.body.items[0].prefix, rita.token.slice(0, 10));
    const all = await stack.request('GET', '/api/v1/tokens', { token: stack.adminToken });
    assert.deepEqual(all.body.items.map((t: { user: string }) => t.user).sort(), ['admin', 'max', 'rita']);
    const text = JSON.stringify(all.body);
    for (const secret of [rita.token, max.token, stack.adminToken]) assert.ok(!text.includes(secret));
    const row = await stack.db.prisma.apiToken.findUniqueOrThrow({ where: { id: rita.id } });
    assert.ok(!text.includes(row.tokenHash), 'the digest is not shown either');
    assert.ok(row.lastUsedAt, 'the listing request itself marked the token used');
  });

  it('gives a token an expiry from expiresInDays or expiresAt, and refuses both or a past one', async () => {
    const maxRow = await stack.db.prisma.apiToken.findUniqueOrThrow({ where: { id: max.id } });
    const days = (maxRow.expiresAt!.getTime() - maxRow.createdAt.getTime()) / 86_400_000;
    assert.ok(Math.abs(days - 30) < 0.01, `expires ${days} days after creation`);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const dated = await stack.request('POST', '/api/v1/tokens', {
      token: stack.adminToken,
      body: { user: 'dora', role: 'reader', expiresAt: at },
    });
    assert.equal(dated.status, 201);
    assert.equal(dated.body.expiresAt, at);
    const before = await stack.db.prisma.apiToken.count();
    for (const body of [
      { user: 'x', role: 'reader', expiresInDays: 1, expiresAt: at },
      { user: 'x', role: 'reader', expiresAt: '2000-01-01T00:00:00Z' },
      { user: 'x', role: 'reader', expiresInDays: 0 },
    ]) {
      const res = await stack.request('POST', '/api/v1/tokens', { token: stack.adminToken, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(JSON.stringify(res.body.error), /expires/);
    }
    assert.equal(await stack.db.prisma.apiToken.count(), before);
  });

  it('refuses an expired token with 401 at once', async () => {
    const res = await stack.request('POST', '/api/v1/tokens', {
      token: stack.adminToken,
      body: { user: 'erin', role: 'maintainer', expiresInDays: 1 },
    });
    assert.equal((await stack.request('GET', '/api/v1/whoami', { token: res.body.token })).status, 200);
    // The clock is the store's column: move the expiry into the past rather than waiting for it.
    await stack.db.prisma.apiToken.update({
      where: { id: res.body.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    const refused = await stack.request('GET', '/api/v1/whoami', { token: res.body.token });
    assert.equal(refused.status, 401);
    assert.match(refused.body.error.message, /expired/);
    assert.equal(await actorForToken(stack.db.prisma, res.body.token), undefined);
  });

  it("forbids revoking someone else's token (403) unless a release engineer, and answers 404 for an unknown one", async () => {
    const byMax = await stack.request('DELETE', `/api/v1/tokens/${rita.id}`, { token: max.token });
    assert.equal(byMax.status, 403);
    const anonymous = await stack.request('DELETE', `/api/v1/tokens/${rita.id}`);
    assert.equal(anonymous.status, 401);
    const unknown = await stack.request('DELETE', '/api/v1/tokens/no-such-token', { token: stack.adminToken });
    assert.equal(unknown.status, 404);
    const row = await stack.db.prisma.apiToken.findUniqueOrThrow({ where: { id: rita.id } });
    assert.equal(row.revokedAt, null);
  });

  it('lets a reader revoke their own token: refused at once, and no new event stream opens with it', async () => {
    const stream = await openStream(stack.api.url, rita.token);
    assert.equal(stream.status, 200);
    try {
      const revoked = await stack.request('DELETE', `/api/v1/tokens/${rita.id}`, { token: rita.token });
      assert.equal(revoked.status, 204);
      const again = await openStream(stack.api.url, rita.token);
      again.close();
      assert.equal(again.status, 401);
      assert.equal((await stack.request('GET', '/api/v1/whoami', { token: rita.token })).status, 401);
      assert.equal((await stack.request('GET', '/api/v1/tokens', { token: rita.token })).status, 401);
    } finally {
      stream.close();
    }
    const listed = await stack.request('GET', '/api/v1/tokens', { token: stack.adminToken });
    const entry = listed.body.items.find((t: { id: string }) => t.id === rita.id);
    assert.ok(entry.revokedAt, 'the listing shows when it was revoked');
  });

  it("lets a release engineer revoke anyone's token; revoking again keeps the first time", async () => {
    const first = await stack.request('DELETE', `/api/v1/tokens/${max.id}`, { token: stack.adminToken });
    assert.equal(first.status, 204);
    const at = (await stack.db.prisma.apiToken.findUniqueOrThrow({ where: { id: max.id } })).revokedAt;
    assert.ok(at);
    const second = await stack.request('DELETE', `/api/v1/tokens/${max.id}`, { token: stack.adminToken });
    assert.equal(second.status, 204);
    const later = (await stack.db.prisma.apiToken.findUniqueOrThrow({ where: { id: max.id } })).revokedAt;
    assert.deepEqual(later, at);
    assert.equal((await stack.request('GET', '/api/v1/whoami', { token: max.token })).status, 401);
  });
});
