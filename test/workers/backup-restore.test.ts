// bin/cascade backup and restore, for real: `make start`'s process on one data directory with a
// finished campaign, a campaign waiting for a person and a pushed dist-git repository; a backup taken
// while it runs; the stack stopped; the backup restored into a fresh data directory and started from
// there: the campaigns, their Temporal histories, the repository and the secrets (modes kept) are back,
// and the waiting campaign's workflow still answers.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { applyMigrations } from '../../platform/migrations';
import { embeddedEnv, runCli, startEmbeddedStack } from '../support/embedded-stack';
import { testEnvironment } from '../support/environment';
import { closedPort, git, GitPerson, personEnv } from '../support/git-person';
import { eventually } from '../support/stack';

// JSON bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const modeOf = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describe('bin/cascade backup and restore (embedded mode)', () => {
  const scratch = path.join(testEnvironment.scratch(), 'backup-restore');
  const running: ChildProcess[] = [];
  after(() => running.forEach((c) => c.kill('SIGKILL')));

  it('restores a running stack’s campaigns, histories, dist-git and secrets into a fresh data directory', async () => {
    const original = path.join(scratch, 'original');
    await applyMigrations({ kind: 'pglite', dataDir: path.join(original, 'pglite') });
    const first = await startEmbeddedStack(await embeddedEnv(original), running);
    const token = fs.readFileSync(path.join(original, 'initial-admin-token'), 'utf8').trim();
    const call = async (
      api: string,
      method: string,
      route: string,
      body?: unknown,
    ): Promise<{ status: number; body: Json }> => {
      const res = await fetch(`${api}${route}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const waitFor = (api: string, id: string, state: string) =>
      eventually(
        async () => ((await call(api, 'GET', `/api/v1/campaigns/${id}`)).body.state === state ? true : undefined),
        60_000,
      );

    // Two streams the store knows whose component repositories hold no branch: each build fails and its campaign waits.
    const streams = ['nodejs', 'perl'].map((name) => ({
      name,
      stream: 'f29',
      edges: [],
      components: [{ name, ref: 'f29' }],
    }));
    assert.equal((await call(first.api, 'POST', '/api/v1/imports/module-streams', { streams })).status, 200);
    const cancelled = (await call(first.api, 'POST', '/api/v1/campaigns', { modules: ['nodejs'], branch: 'f29' })).body
      .id;
    const waiting = (await call(first.api, 'POST', '/api/v1/campaigns', { modules: ['perl'], branch: 'f29' })).body.id;
    await waitFor(first.api, cancelled, 'waiting');
    await waitFor(first.api, waiting, 'waiting');
    assert.equal(
      (await call(first.api, 'POST', `/api/v1/campaigns/${cancelled}/cancel`, { reason: 'test' })).status,
      202,
    );
    await waitFor(first.api, cancelled, 'cancelled');
    const historyBefore = await eventually(async () => {
      const h = (await call(first.api, 'GET', `/api/v1/campaigns/${cancelled}/history`)).body;
      return h.events?.at(-1)?.type === 'WorkflowExecutionCompleted' ? h : undefined;
    });

    // A repository with a pushed commit, through the embedded dist-git's own push path.
    const repo = await call(first.api, 'POST', '/api/v1/repos', { namespace: 'rpms', name: 'hello' });
    assert.equal(repo.status, 200);
    const home = path.join(scratch, 'alice');
    fs.mkdirSync(home, { recursive: true });
    const person = await GitPerson.clone(repo.body.pushUrl, home, personEnv(home));
    const pushed = await person.commit('main', { 'hello.spec': 'Name: hello\n' }, 'hello 1.0');
    await person.push('main');

    // While the stack runs, the CLI never opens its store: without the API it refuses, and writes nothing.
    const refused = await runCli(['backup', path.join(scratch, 'refused')], {
      ...first.env,
      CASCADE_URL: `http://127.0.0.1:${await closedPort()}`,
    });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /has the store .* open, but no API answers/);
    assert.deepEqual(
      fs.readdirSync(scratch).filter((f) => f.startsWith('refused')),
      [],
    );

    // The backup, while the stack runs: the store comes from the running process.
    const backupDir = path.join(scratch, 'backup');
    const backup = await runCli(['backup', backupDir], first.env);
    assert.equal(backup.code, 0, backup.stderr);
    const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.storeCopiedBy, 'running-stack');
    assert.deepEqual(
      manifest.pieces.map((p: { name: string }) => p.name),
      ['temporal', 'store', 'distgit', 'secrets'],
    );
    assert.equal(manifest.files['webhook-secret'].mode, '600');
    assert.equal(manifest.files['initial-admin-token'].mode, '600');
    assert.ok(manifest.files['pglite.tar.gz'].size > 0 && manifest.files['temporal.db'].size > 0);
    const firstExit = await first.stop();
    assert.equal(firstExit, 0, first.output.join('').slice(-3000));
    // Stopped, the CLI copies the store itself.
    const offline = await runCli(['backup', path.join(scratch, 'offline')], first.env);
    assert.equal(offline.code, 0, offline.stderr);
    const offlineManifest = JSON.parse(fs.readFileSync(path.join(scratch, 'offline', 'manifest.json'), 'utf8'));
    assert.equal(offlineManifest.storeCopiedBy, 'offline');

    // A fresh data directory from the backup; a second restore onto it is refused.
    const restored = path.join(scratch, 'restored');
    const second = await embeddedEnv(restored);
    const restore = await runCli(['restore', backupDir], second);
    assert.equal(restore.code, 0, restore.stderr);
    const again = await runCli(['restore', backupDir], second);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /is not empty: restore into a new CASCADE_DATA_DIR, or give --force/);
    for (const secret of ['webhook-secret', 'initial-admin-token']) {
      assert.equal(modeOf(path.join(restored, secret)), '600', secret);
      assert.equal(
        fs.readFileSync(path.join(restored, secret), 'utf8'),
        fs.readFileSync(path.join(original, secret), 'utf8'),
      );
    }
    const head = await git(
      ['--git-dir', path.join(restored, 'distgit', 'rpms', 'hello.git'), 'rev-parse', 'main'],
      scratch,
      personEnv(home),
    );
    assert.equal(head.stdout.trim(), pushed);

    const restarted = await startEmbeddedStack(second, running);
    const campaign = (await call(restarted.api, 'GET', `/api/v1/campaigns/${cancelled}`)).body;
    assert.equal(campaign.state, 'cancelled');
    assert.deepEqual(campaign.trigger.modules, ['nodejs']);
    const history = (await call(restarted.api, 'GET', `/api/v1/campaigns/${cancelled}/history`)).body;
    assert.deepEqual(
      history.events.map((e: { type: string }) => e.type),
      historyBefore.events.map((e: { type: string }) => e.type),
    );
    // The waiting campaign's workflow came back with Temporal's file: it still takes a person's action.
    assert.equal((await call(restarted.api, 'GET', `/api/v1/campaigns/${waiting}`)).body.state, 'waiting');
    assert.equal(
      (await call(restarted.api, 'POST', `/api/v1/campaigns/${waiting}/cancel`, { reason: 'restored' })).status,
      202,
    );
    await waitFor(restarted.api, waiting, 'cancelled');
    const branches = await call(restarted.api, 'GET', `/api/v1/repos/rpms/hello/branches/main/head`);
    assert.equal(branches.status, 200);
    // --force replaces a data directory, but never one a running stack has open.
    const busy = await runCli(['restore', '--force', backupDir], second);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /has files under .* open: stop the stack first/);
    assert.equal(await restarted.stop(), 0);
    fs.writeFileSync(path.join(restored, 'left-over'), 'x');
    const forced = await runCli(['restore', '--force', backupDir], second);
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(!fs.existsSync(path.join(restored, 'left-over')));
    assert.equal(modeOf(path.join(restored, 'webhook-secret')), '600');
  });
});
