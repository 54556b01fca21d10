import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DistGitPushEvent } from '../../../api/dist-git-events';
import { GitReceiveMessageError, mapGitReceiveMessage } from '../../../activities/distgit/fedora-git-receive';

const rev = '3f5c1a7e9b0d2c4e6f8a1b3c5d7e9f0a2b4c6d8e';
const now = new Date('2024-05-01T12:00:00.000Z');

function fedoraCommit(overrides: Record<string, unknown> = {}) {
  return {
    namespace: 'rpms',
    repo: 'python3',
    branch: 'f40',
    rev,
    agent: 'alice',
    username: 'alice',
    email: 'alice@example.org',
    name: 'Alice',
    summary: 'Update to 3.12.3',
    message: 'Update to 3.12.3\n',
    seen: false,
    path: '/srv/git/repositories/rpms/python3.git',
    stats: { files: { 'python3.spec': { additions: 2, deletions: 2, lines: 4 } }, total: { files: 1 } },
    ...overrides,
  };
}

function refusedField(field: string) {
  return (error: unknown) => {
    assert.ok(error instanceof GitReceiveMessageError, `expected GitReceiveMessageError, got ${String(error)}`);
    assert.equal(error.code, 'git_receive_message_invalid');
    assert.equal(error.field, field);
    assert.match(error.message, new RegExp(field.replace(/[.()]/g, '\\$&')));
    return true;
  };
}

describe('Fedora git.receive message mapping', () => {
  it('maps a fedora-messaging body to an amqp push event with a null old hash, dated by the bus', () => {
    const sentAt = new Date('2024-04-30T08:15:00.000Z');
    const event = mapGitReceiveMessage({ commit: fedoraCommit() }, { sentAt, now });
    assert.deepEqual(event, {
      source: 'amqp',
      pusher: 'alice',
      pushedAt: '2024-04-30T08:15:00.000Z',
      updates: [{ namespace: 'rpms', name: 'python3', branch: 'f40', oldHash: null, newHash: rev }],
    });
    assert.ok(DistGitPushEvent.safeParse(event).success, 'the API schema accepts the mapped event');
  });

  it('maps the older fedmsg envelope of a module stream, dated by its body timestamp', () => {
    const body = {
      i: 1,
      msg_id: '2017-0c1b5f2d-...',
      topic: 'org.fedoraproject.prod.git.receive',
      timestamp: 1714550400.5,
      msg: { commit: fedoraCommit({ namespace: 'modules', repo: 'nodejs', branch: '20', rev: rev.toUpperCase() }) },
    };
    const event = mapGitReceiveMessage(body, { now });
    assert.deepEqual(event?.updates, [
      { namespace: 'modules', name: 'nodejs', branch: '20', oldHash: null, newHash: rev },
    ]);
    assert.equal(event?.pushedAt, '2024-05-01T08:00:00.500Z');
    assert.ok(DistGitPushEvent.safeParse(event).success);
  });

  it('uses the clock when nothing dates the message, and the username when there is no agent', () => {
    const event = mapGitReceiveMessage({ commit: fedoraCommit({ agent: undefined, username: 'bob' }) }, { now });
    assert.equal(event?.pushedAt, now.toISOString());
    assert.equal(event?.pusher, 'bob');
  });

  it('derives the namespace from the repository path of messages that predate the namespace field', () => {
    const commit = fedoraCommit({ namespace: undefined, path: '/srv/git/repositories/modules/nodejs.git' });
    assert.equal(mapGitReceiveMessage({ commit }, { now })?.updates[0]?.namespace, 'modules');
  });

  it('strips refs/heads/ from a branch given as a ref name', () => {
    const event = mapGitReceiveMessage({ commit: fedoraCommit({ branch: 'refs/heads/rawhide' }) }, { now });
    assert.equal(event?.updates[0]?.branch, 'rawhide');
  });

  it('ignores namespaces Cascade does not build from, even when the rest would be invalid there', () => {
    for (const namespace of ['tests', 'container', 'flatpaks']) {
      assert.equal(
        mapGitReceiveMessage({ commit: fedoraCommit({ namespace, repo: 'odd name!' }) }, { now }),
        undefined,
      );
    }
    const legacy = fedoraCommit({ namespace: undefined, path: '/srv/git/repositories/tests/foo.git' });
    assert.equal(mapGitReceiveMessage({ msg: { commit: legacy } }, { now }), undefined);
  });

  it('refuses invalid messages naming the field', () => {
    const cases: [unknown, string][] = [
      ['not an object', '(body)'],
      [{ something: 'else' }, 'commit'],
      [{ commit: fedoraCommit({ rev: 'abc123' }) }, 'commit.rev'],
      [{ msg: { commit: fedoraCommit({ rev: undefined }) } }, 'msg.commit.rev'],
      [{ commit: fedoraCommit({ repo: '../etc' }) }, 'commit.repo'],
      [{ commit: fedoraCommit({ repo: 42 }) }, 'commit.repo'],
      [{ commit: fedoraCommit({ branch: '-f40' }) }, 'commit.branch'],
      [{ commit: fedoraCommit({ branch: 'f40..x' }) }, 'commit.branch'],
      [{ commit: fedoraCommit({ agent: undefined, username: undefined }) }, 'commit.agent'],
      [{ commit: fedoraCommit({ namespace: undefined, path: undefined }) }, 'commit.namespace'],
      [{ msg: { commit: fedoraCommit() }, timestamp: 'yesterday' }, 'timestamp'],
    ];
    for (const [body, field] of cases) {
      assert.throws(() => mapGitReceiveMessage(body, { now }), refusedField(field), `field ${field}`);
    }
  });
});
