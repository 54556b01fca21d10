// `make start`'s process, for real: the Temporal dev server persisting to the data directory, PGlite,
// the worker and the API; stopped with SIGINT and started again with all state kept.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { applyMigrations } from '../../platform/migrations';
import { freePort } from '../../platform/temporal-dev-server';
import { testEnvironment } from '../support/environment';
import { embeddedEnv, startEmbeddedStack } from '../support/embedded-stack';
import { eventually } from '../support/stack';

// JSON bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

describe('the embedded stack (make start)', () => {
  const dataDir = path.join(testEnvironment.scratch(), 'stack-data');
  const running: ChildProcess[] = [];
  after(() => running.forEach((c) => c.kill('SIGKILL')));

  // a UI port of its own per start: the last one may have been handed to an outgoing connection since
  const start = async (env: Record<string, string>) =>
    startEmbeddedStack({ ...env, TEMPORAL_UI_PORT: String(await freePort()) }, running);

  it('keeps a campaign and its history across Ctrl-C and a second start, and prints the first token once', async () => {
    await applyMigrations({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    const env = await embeddedEnv(dataDir);
    const first = await start(env);
    const health = await json(fetch(`${first.api}/healthz`));
    assert.equal(health.temporal.status, 'up');
    assert.equal(health.database.status, 'up');
    assert.equal(health.database.kind, 'pglite');

    const token = fs.readFileSync(path.join(dataDir, 'initial-admin-token'), 'utf8').trim();
    assert.ok(first.output.join('').includes(token), 'the first start prints the token');
    const post = (path: string, body: unknown) =>
      fetch(`${first.api}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    // nodejs:f29 is known to the store, but dist-git has no repository: its build fails and the campaign waits.
    const imported = await post('/api/v1/imports/module-streams', {
      streams: [{ name: 'nodejs', stream: 'f29', edges: [], components: [{ name: 'nodejs', ref: 'f29' }] }],
    });
    assert.equal(imported.status, 200);
    const res = await post('/api/v1/campaigns', { modules: ['nodejs'], branch: 'f29' });
    assert.equal(res.status, 202);
    const { id } = await json(res);
    await eventually(async () => {
      const c = await json(fetch(`${first.api}/api/v1/campaigns/${id}`));
      return c.state === 'waiting' ? c : undefined;
    });
    assert.equal((await post(`/api/v1/campaigns/${id}/cancel`, { reason: 'test' })).status, 202);
    await eventually(async () => {
      const h = await json(fetch(`${first.api}/api/v1/campaigns/${id}/history`));
      return h.events?.at(-1)?.type === 'WorkflowExecutionCompleted' ? true : undefined;
    });
    assert.equal(await first.stop(), 0);
    assert.ok(fs.existsSync(path.join(dataDir, 'temporal.db')));

    const second = await start(env);
    const campaign = await json(fetch(`${second.api}/api/v1/campaigns/${id}`));
    assert.equal(campaign.state, 'cancelled');
    assert.deepEqual(campaign.trigger.modules, ['nodejs']);
    const history = await json(fetch(`${second.api}/api/v1/campaigns/${id}/history`));
    assert.equal(history.events.at(-1).type, 'WorkflowExecutionCompleted');
    assert.ok(!second.output.join('').includes(token), 'a second start does not print the token again');
    assert.equal(await second.stop(), 0);
  });
});
