import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalDistGit, readSpool, removeSpooled, signBody, writeHookConfig } from '../../../activities/distgit';
import { ZERO_HASH } from '../../../domain/git-refs';
import type { DistGitPushEvent, RepoId } from '../../../activities/distgit';
import { GitPerson, closedPort, makeTempDir, personEnv, startRecordingServer } from '../../support/git-person';

const foo: RepoId = { namespace: 'rpms', name: 'foo' };
const secret = 'hook-test-secret';

describe('the post-receive hook', () => {
  let tmp: string;
  let root: string;
  let secretFile: string;
  let distGit: LocalDistGit;

  before(async () => {
    tmp = await makeTempDir('post-receive');
    root = path.join(tmp, 'dist-git');
    secretFile = path.join(tmp, 'hook-secret');
    await fs.writeFile(secretFile, `${secret}\n`, { mode: 0o600 });
    distGit = new LocalDistGit({ root });
  });
  after(async () => fs.rm(tmp, { recursive: true, force: true }));

  it('posts one signed body for a push of two branches, then old=previous new for the next push', async () => {
    const server = await startRecordingServer(202);
    try {
      await distGit.ensureRepo(foo);
      await writeHookConfig(root, { url: `${server.url}/api/v1/events/dist-git`, secretFile });
      const person = await GitPerson.clone(distGit.cloneUrl(foo), tmp, personEnv(tmp, { GL_USER: 'alice' }));
      const f29 = await person.commit('f29', { 'foo.spec': 'Name: foo\n' }, 'import');
      const f30 = await person.commit('f30', { 'foo.spec': 'Name: foo\nVersion: 2\n' }, 'f30 update');
      const before = Date.now();
      await person.push('f29', 'f30');

      assert.equal(server.requests.length, 1, 'one request for one push');
      const [request] = server.requests;
      assert.ok(request);
      assert.equal(request.method, 'POST');
      assert.equal(request.url, '/api/v1/events/dist-git');
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(request.headers['x-cascade-signature'], signBody(secret, request.body));
      const event = JSON.parse(request.body.toString('utf8')) as DistGitPushEvent;
      assert.equal(event.source, 'hook');
      assert.equal(event.pusher, 'alice');
      assert.ok(Date.parse(event.pushedAt) >= before - 1000 && Date.parse(event.pushedAt) <= Date.now());
      // Inside the signed bytes, against replays: when it was sent, and an id of this delivery's own.
      const stamp = event as unknown as { sentAt: string; deliveryId: string };
      assert.ok(Date.parse(stamp.sentAt) >= Date.parse(event.pushedAt) && Date.parse(stamp.sentAt) <= Date.now());
      assert.match(stamp.deliveryId, /^[0-9a-f-]{36}$/);
      assert.deepEqual(
        [...event.updates].sort((a, b) => a.branch.localeCompare(b.branch)),
        [
          { namespace: 'rpms', name: 'foo', branch: 'f29', oldHash: ZERO_HASH, newHash: f29 },
          { namespace: 'rpms', name: 'foo', branch: 'f30', oldHash: ZERO_HASH, newHash: f30 },
        ],
      );

      await person.run(['checkout', '--quiet', 'f29']);
      const f29Next = await person.commit('f29', { 'foo.spec': 'Name: foo\nRelease: 2\n' }, 'rebuild');
      await person.push('f29');
      assert.equal(server.requests.length, 2);
      const second = JSON.parse(server.requests[1]?.body.toString('utf8') ?? '') as DistGitPushEvent;
      assert.deepEqual(second.updates, [
        { namespace: 'rpms', name: 'foo', branch: 'f29', oldHash: f29, newHash: f29Next },
      ]);
      const ids = server.requests.map(
        (r) => (JSON.parse(r.body.toString('utf8')) as { deliveryId: string }).deliveryId,
      );
      assert.notEqual(ids[0], ids[1], 'each delivery has its own id');
    } finally {
      await server.close();
    }
  });

  it('keeps the push working when the API is down, and spools the body for replay', async () => {
    const bar: RepoId = { namespace: 'rpms', name: 'bar' };
    await distGit.ensureRepo(bar);
    await writeHookConfig(root, { url: `http://127.0.0.1:${await closedPort()}/api/v1/events/dist-git`, secretFile });
    for (const event of await readSpool(root)) await removeSpooled(event.file);

    const person = await GitPerson.clone(distGit.cloneUrl(bar), tmp, personEnv(tmp, { GL_USER: 'bob' }));
    const commit = await person.commit('f29', { 'bar.spec': 'Name: bar\n' }, 'import bar');
    const pushed = await person.push('f29');
    assert.match(pushed.stderr, /saved in .*spool/, 'the pusher is told the event was spooled');
    assert.equal(await distGit.resolveBranch(bar, 'f29'), commit, 'the push itself succeeded');

    const spooled = await readSpool(root);
    assert.equal(spooled.length, 1);
    const [entry] = spooled;
    assert.ok(entry);
    assert.equal(path.dirname(entry.file), path.join(root, 'spool'));
    const event = JSON.parse(entry.body) as DistGitPushEvent;
    assert.equal(event.pusher, 'bob');
    assert.deepEqual(event.updates, [
      { namespace: 'rpms', name: 'bar', branch: 'f29', oldHash: ZERO_HASH, newHash: commit },
    ]);
    // Stamped when sent, not when spooled: the workers replay the spool however late, with no window.
    assert.ok(!('sentAt' in event) && !('deliveryId' in event));

    await removeSpooled(entry.file);
    assert.deepEqual(await readSpool(root), []);
  });

  it('spools when the API answers with an error status', async () => {
    const server = await startRecordingServer(401);
    try {
      const baz: RepoId = { namespace: 'rpms', name: 'baz' };
      await distGit.ensureRepo(baz);
      await writeHookConfig(root, { url: server.url, secretFile });
      const person = await GitPerson.clone(distGit.cloneUrl(baz), tmp, personEnv(tmp));
      await person.commit('f29', { 'baz.spec': 'Name: baz\n' }, 'import baz');
      await person.push('f29');
      assert.equal(server.requests.length, 1);
      const spooled = await readSpool(root);
      assert.equal(spooled.length, 1);
      const refused = JSON.parse(server.requests[0]?.body.toString('utf8') ?? '') as Record<string, unknown>;
      const { sentAt, deliveryId, ...event } = refused;
      assert.ok(sentAt && deliveryId);
      assert.deepEqual(JSON.parse(spooled[0]?.body ?? ''), event, 'the event that was refused, without its stamp');
      for (const event of spooled) await removeSpooled(event.file);
    } finally {
      await server.close();
    }
  });

  it('spools when there is no hook.json, and ignores pushes of tags only', async () => {
    const qux: RepoId = { namespace: 'rpms', name: 'qux' };
    const bare = new LocalDistGit({ root: path.join(tmp, 'unconfigured') });
    await bare.ensureRepo(qux);
    const person = await GitPerson.clone(bare.cloneUrl(qux), tmp, personEnv(tmp));
    await person.commit('f29', { 'qux.spec': 'Name: qux\n' }, 'import qux');
    await person.push('f29');
    assert.equal((await readSpool(bare.root)).length, 1);
    await person.run(['tag', 'v1']);
    await person.run(['push', '--quiet', 'origin', 'v1']);
    assert.equal((await readSpool(bare.root)).length, 1, 'a tag push sends no event');
  });

  it('never fails a push, even when the notifier itself cannot run', async () => {
    const broken = new LocalDistGit({ root: path.join(tmp, 'broken-notifier'), notifierPath: '/bin/false' });
    await broken.ensureRepo(foo);
    const person = await GitPerson.clone(broken.cloneUrl(foo), tmp, personEnv(tmp));
    const commit = await person.commit('f29', { 'foo.spec': 'Name: foo\n' }, 'import');
    const pushed = await person.push('f29');
    assert.match(pushed.stderr, /notifier failed/);
    assert.equal(await broken.resolveBranch(foo, 'f29'), commit);
  });
});
