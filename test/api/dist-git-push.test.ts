// Real pushes to the embedded dist-git: the post-receive hook signs and posts the event, a
// distGitPush workflow records the ref move and pdc-updater turns the modulemd into relationship
// history — answered now and for past times, and unchanged by a replayed event.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { signBody, signatureHeader } from '../../activities/distgit';
import { writeSpooled } from '../../activities/distgit/hook-config';
import { replaySpooledPushes } from '../../workers/spooled-pushes';
import { createLogger } from '../../platform/logger';
import { workflowIds } from '../../domain/workflow-ids';
import { GitPerson, makeTempDir, personEnv } from '../support/git-person';
import { replayAndRecordHistory } from '../support/recorded-histories';
import { eventually, startTestStack, type TestStack } from '../support/stack';

function modulemd(
  deps: { buildrequires: Record<string, string[]>; requires: Record<string, string[]> },
  components: Record<string, number>,
): string {
  const rpms = Object.entries(components)
    .map(
      ([name, order]) =>
        `      ${name}:\n        rationale: part of the module\n        ref: f29\n        buildorder: ${order}`,
    )
    .join('\n');
  const map = (m: Record<string, string[]>) =>
    Object.entries(m)
      .map(([k, v]) => `        ${k}: [${v.join(', ')}]`)
      .join('\n');
  return `document: modulemd
version: 2
data:
  summary: Javascript runtime
  description: Node.js for the test
  license:
    module: [MIT]
  dependencies:
    - buildrequires:
${map(deps.buildrequires)}
      requires:
${map(deps.requires)}
  components:
    rpms:
${rpms}
`;
}

/** A delivery as a sender makes it: the event stamped with sentAt and a delivery id, then signed. */
function delivery(
  secret: string,
  event: Record<string, unknown>,
  stamp: { sentAt?: string; deliveryId?: string } = { sentAt: new Date().toISOString(), deliveryId: randomUUID() },
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ ...event, ...stamp });
  return { body, headers: { 'content-type': 'application/json', [signatureHeader]: signBody(secret, body) } };
}

describe('dist-git pushes into branch history and the dependency store', () => {
  let stack: TestStack;
  let person: GitPerson;
  const hashes: string[] = [];
  let between: string;

  before(async () => {
    stack = await startTestStack('postgres');
    await stack.distGit.ensureRepo({ namespace: 'modules', name: 'nodejs' });
    await stack.distGit.ensureRepo({ namespace: 'rpms', name: 'nodejs' });
    const home = await makeTempDir('push-test');
    person = await GitPerson.clone(
      stack.distGit
        .cloneUrl({ namespace: 'modules', name: 'nodejs' })
        .replace(stack.api.url + '/git', stack.distGit.root),
      home,
      personEnv(home),
    );
  });
  after(async () => {
    await stack?.stop();
  });

  const moves = () => stack.request('GET', '/api/v1/repos/modules/nodejs/branches/10/history');

  it('records a first push and the module stream it defines', async () => {
    hashes.push(
      await person.commit(
        '10',
        {
          'nodejs.yaml': modulemd(
            { buildrequires: { platform: ['f29'] }, requires: { platform: ['f29'] } },
            { nodejs: 1, libuv: 0 },
          ),
        },
        'nodejs 10',
      ),
    );
    await person.push('10');
    const history = await eventually(async () => {
      const res = await moves();
      return res.status === 200 ? res.body.items : undefined;
    });
    assert.equal(history.length, 1);
    assert.equal(history[0].oldHash, '0'.repeat(40));
    assert.equal(history[0].newHash, hashes[0]);
    assert.equal(history[0].pusher, 'alice');
    assert.equal(history[0].source, 'hook');
    const rel = await eventually(async () => {
      const res = await stack.request('GET', '/api/v1/modules/nodejs/streams/10/relationships');
      return res.body.items.length === 2 ? res.body.items : undefined;
    });
    assert.deepEqual(
      rel.map((r: { type: string; name: string; stream: string }) => `${r.type} ${r.name}:${r.stream}`).sort(),
      ['buildrequires platform:f29', 'requires platform:f29'],
    );
    const components = await stack.request('GET', '/api/v1/modules/nodejs/streams/10/components');
    assert.deepEqual(
      components.body.items.map((c: { name: string }) => c.name),
      ['libuv', 'nodejs'],
    );
    const dependents = await stack.request('GET', '/api/v1/modules/platform/streams/f29/dependents');
    assert.deepEqual(
      dependents.body.items.map((d: { name: string }) => d.name),
      ['nodejs'],
    );
  });

  it('records a second push: a dependency added and a component removed, with the past still answerable', async () => {
    between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    hashes.push(
      await person.commit(
        '10',
        {
          'nodejs.yaml': modulemd(
            { buildrequires: { platform: ['f29'], python3: ['3.6'] }, requires: { platform: ['f29'] } },
            { nodejs: 1 },
          ),
        },
        'drop libuv, build with python',
      ),
    );
    await person.push('10');
    const history = await eventually(async () => {
      const res = await moves();
      return res.body.items.length === 2 ? res.body.items : undefined;
    });
    assert.equal(history[1].oldHash, hashes[0]);
    assert.equal(history[1].newHash, hashes[1]);
    await eventually(async () => {
      const res = await stack.request('GET', '/api/v1/modules/nodejs/streams/10/components');
      return res.body.items.length === 1 ? true : undefined;
    });
    const now = await stack.request('GET', '/api/v1/modules/nodejs/streams/10/relationships');
    assert.ok(
      now.body.items.some((r: { name: string; type: string }) => r.name === 'python3' && r.type === 'buildrequires'),
    );
    const past = await stack.request('GET', `/api/v1/modules/nodejs/streams/10/relationships?at=${between}`);
    assert.ok(!past.body.items.some((r: { name: string }) => r.name === 'python3'));
    const pastComponents = await stack.request('GET', `/api/v1/modules/nodejs/streams/10/components?at=${between}`);
    assert.deepEqual(
      pastComponents.body.items.map((c: { name: string }) => c.name),
      ['libuv', 'nodejs'],
    );
    const head = await stack.request('GET', `/api/v1/repos/modules/nodejs/branches/10/head?at=${between}`);
    assert.equal(head.body.newHash, hashes[0]);
    const python = await stack.request('GET', '/api/v1/modules/python3/streams/3.6/dependents?relation=buildrequires');
    assert.deepEqual(
      python.body.items.map((d: { name: string }) => d.name),
      ['nodejs'],
    );
    // The push's workflow (recorded, the stream updated, campaigns asked) replays, and may be kept as a fixture.
    const pushed = workflowIds.distGitPush({ namespace: 'modules', name: 'nodejs', branch: '10', newHash: hashes[1]! });
    const outcome = await stack.temporal.workflow.getHandle(pushed).result();
    assert.equal(outcome.recorded, true);
    assert.equal(outcome.changedStreams, 1);
    await replayAndRecordHistory(stack, pushed, 'dist-git-push');
  });

  it('changes nothing when the same push event arrives again, by the webhook or doubled', async () => {
    const counts = async () => [
      await stack.db.prisma.branchRefMove.count(),
      await stack.db.prisma.moduleRelationship.count(),
      await stack.db.prisma.moduleComponent.count(),
      await stack.db.prisma.dependencyChange.count(),
    ];
    const before = await counts();
    const event = {
      source: 'webhook',
      pusher: 'alice',
      pushedAt: new Date().toISOString(),
      updates: [{ namespace: 'modules', name: 'nodejs', branch: '10', oldHash: hashes[0], newHash: hashes[1] }],
    };
    // Two deliveries of one push (each with its own id), as a sender that retried would send them.
    const post = () =>
      fetch(`${stack.api.url}/api/v1/events/dist-git`, { method: 'POST', ...delivery(stack.webhookSecret, event) });
    const [a, b] = await Promise.all([post(), post()]);
    assert.equal(a.status, 202);
    assert.equal(b.status, 202);
    const workflowId = workflowIds.distGitPush({
      namespace: 'modules',
      name: 'nodejs',
      branch: '10',
      newHash: hashes[1]!,
    });
    await stack.temporal.workflow.getHandle(workflowId).result();
    assert.deepEqual(await counts(), before);
  });

  it('refuses unsigned and badly signed events with 401, starting nothing', async () => {
    const body = JSON.stringify({
      pusher: 'mallory',
      pushedAt: new Date().toISOString(),
      updates: [{ namespace: 'rpms', name: 'evil', branch: 'f29', oldHash: null, newHash: 'a'.repeat(40) }],
    });
    const unsigned = await fetch(`${stack.api.url}/api/v1/events/dist-git`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    assert.equal(unsigned.status, 401);
    const forged = await fetch(`${stack.api.url}/api/v1/events/dist-git`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [signatureHeader]: signBody('not the secret', body) },
      body,
    });
    assert.equal(forged.status, 401);
    const description = await stack.temporal.workflow
      .getHandle(workflowIds.distGitPush({ namespace: 'rpms', name: 'evil', branch: 'f29', newHash: 'a'.repeat(40) }))
      .describe()
      .catch(() => undefined);
    assert.equal(description, undefined);
    assert.equal(await stack.db.prisma.repo.count({ where: { name: 'evil' } }), 0);
  });

  it('refuses a replayed delivery with 409 and starts nothing, even when the same delivery races itself', async () => {
    const pushedAt = new Date().toISOString();
    const event = {
      source: 'webhook',
      pusher: 'alice',
      pushedAt,
      updates: [{ namespace: 'rpms', name: 'nodejs', branch: 'replayed', oldHash: null, newHash: 'b'.repeat(40) }],
    };
    const captured = delivery(stack.webhookSecret, event);
    const post = () => fetch(`${stack.api.url}/api/v1/events/dist-git`, { method: 'POST', ...captured });
    const first = await Promise.all([post(), post()]);
    const statuses = first.map((r) => r.status).sort();
    assert.deepEqual(statuses, [202, 409], 'one of two identical deliveries is taken, the other is a replay');
    const refused = first.find((r) => r.status === 409)!;
    const error = ((await refused.json()) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'replayed_delivery');
    const id = workflowIds.distGitPush({
      namespace: 'rpms',
      name: 'nodejs',
      branch: 'replayed',
      newHash: 'b'.repeat(40),
    });
    const handle = stack.temporal.workflow.getHandle(id);
    await handle.result();
    const run = (await handle.describe()).runId;
    // Replayed after the workflow has finished: Temporal would start a second run of a closed id.
    const later = await post();
    assert.equal(later.status, 409);
    assert.equal((await handle.describe()).runId, run, 'no second run');
    assert.equal(
      await stack.db.prisma.webhookDelivery.count({ where: { id: JSON.parse(captured.body).deliveryId } }),
      1,
    );
  });

  it('refuses with 401, starting nothing, a delivery sent outside the window or without sentAt and deliveryId', async () => {
    const event = (branch: string) => ({
      source: 'webhook',
      pusher: 'mallory',
      pushedAt: new Date().toISOString(),
      updates: [{ namespace: 'rpms', name: 'stale', branch, oldHash: null, newHash: 'c'.repeat(40) }],
    });
    const send = async (d: { body: string; headers: Record<string, string> }) => {
      const res = await fetch(`${stack.api.url}/api/v1/events/dist-git`, { method: 'POST', ...d });
      return { status: res.status, error: ((await res.json()) as { error: { code: string; message: string } }).error };
    };
    const old = new Date(Date.now() - 301_000).toISOString();
    const future = new Date(Date.now() + 301_000).toISOString();
    const stale = await send(delivery(stack.webhookSecret, event('old'), { sentAt: old, deliveryId: randomUUID() }));
    assert.equal(stale.status, 401);
    assert.equal(stale.error.code, 'stale_delivery');
    const ahead = await send(
      delivery(stack.webhookSecret, event('ahead'), { sentAt: future, deliveryId: randomUUID() }),
    );
    assert.equal(ahead.status, 401);
    const unstamped = await send(delivery(stack.webhookSecret, event('unstamped'), {}));
    assert.equal(unstamped.status, 401);
    assert.equal(unstamped.error.code, 'unprotected_delivery');
    assert.match(unstamped.error.message, /sentAt.*deliveryId/);
    const noId = await send(delivery(stack.webhookSecret, event('no-id'), { sentAt: new Date().toISOString() }));
    assert.equal(noId.status, 401);
    for (const branch of ['old', 'ahead', 'unstamped', 'no-id']) {
      const described = await stack.temporal.workflow
        .getHandle(workflowIds.distGitPush({ namespace: 'rpms', name: 'stale', branch, newHash: 'c'.repeat(40) }))
        .describe()
        .catch(() => undefined);
      assert.equal(described, undefined, branch);
    }
    assert.equal(await stack.db.prisma.repo.count({ where: { name: 'stale' } }), 0);
  });

  it('still takes a push spooled long ago: the spool is replayed by the workers, not through the window', async () => {
    const pushedAt = new Date(Date.now() - 3 * 3_600_000);
    const body = JSON.stringify({
      source: 'hook',
      pusher: 'alice',
      pushedAt: pushedAt.toISOString(),
      updates: [{ namespace: 'rpms', name: 'nodejs', branch: 'spooled', oldHash: null, newHash: 'd'.repeat(40) }],
    });
    await writeSpooled(stack.distGit.root, body, pushedAt);
    const replayed = await replaySpooledPushes(
      stack.distGit.root,
      stack.temporal,
      stack.config.temporal.taskQueue,
      createLogger('warn'),
    );
    assert.equal(replayed, 1);
    const id = workflowIds.distGitPush({
      namespace: 'rpms',
      name: 'nodejs',
      branch: 'spooled',
      newHash: 'd'.repeat(40),
    });
    await stack.temporal.workflow.getHandle(id).result();
    const moves = await stack.request('GET', '/api/v1/repos/rpms/nodejs/branches/spooled/history');
    assert.equal(moves.status, 200);
    assert.equal(moves.body.items[0].newHash, 'd'.repeat(40));
  });

  it('serves the repository read-only over HTTP for git clone', async () => {
    const dir = await makeTempDir('http-clone');
    const url = stack.distGit.cloneUrl({ namespace: 'modules', name: 'nodejs' });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/git\/modules\/nodejs\.git$/);
    await new Promise<void>((resolve, reject) =>
      execFile(
        'git',
        ['clone', '--quiet', '--branch', '10', url, path.join(dir, 'c')],
        { env: personEnv(dir) },
        (err, _o, stderr) => (err ? reject(new Error(stderr)) : resolve()),
      ),
    );
    const head = await new Promise<string>((resolve, reject) =>
      execFile('git', ['rev-parse', 'HEAD'], { cwd: path.join(dir, 'c') }, (err, out) =>
        err ? reject(err) : resolve(out.trim()),
      ),
    );
    assert.equal(head, hashes[1]);
    const hooks = await fetch(`${stack.api.url}/git/modules/nodejs.git/hooks/post-receive`);
    assert.equal(hooks.status, 404);
  });
});
