// A push the hook could not deliver while the API was up (the API answered 5xx because Temporal was
// down, or the request failed) waits in the dist-git spool; the running API replays it on its own,
// without waiting for its next restart. Found by the chaos harness: such a push used to stay spooled
// until the API was restarted, so a push git had accepted never reached branch history.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { spoolDir, writeHookConfig } from '../../activities/distgit';
import { freePort } from '../../platform/temporal-dev-server';
import { GitPerson, makeTempDir, personEnv } from '../support/git-person';
import { eventually, startTestStack, type TestStack } from '../support/stack';

describe('a push spooled while the API runs', () => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack('postgres');
  });
  after(async () => {
    await stack?.stop();
  });

  it('reaches branch history without restarting the API', async () => {
    const repo = { namespace: 'rpms' as const, name: 'spooled' };
    await stack.distGit.ensureRepo(repo);
    const home = await makeTempDir('spooled-push');
    const person = await GitPerson.clone(stack.distGit.repoPath(repo), home, personEnv(home));
    // The hook's delivery fails (nothing listens there), as when the API cannot take it: it spools.
    await writeHookConfig(stack.distGit.root, {
      url: `http://127.0.0.1:${await freePort()}/api/v1/events/dist-git`,
      secretFile: stack.config.webhookSecretFile,
    });
    const hash = await person.commit('f29', { 'spooled.spec': 'Name: spooled\n' }, 'spooled 1.0');
    await person.push('f29');
    assert.equal(fs.readdirSync(spoolDir(stack.distGit.root)).length, 1, 'the hook spooled the push');

    const move = await eventually(
      () => stack.db.prisma.branchRefMove.findFirst({ where: { newHash: hash } }).then((m) => m ?? undefined),
      60_000,
    );
    assert.equal(move.branch, 'f29');
    assert.equal(move.source, 'hook');
    await eventually(async () => (fs.readdirSync(spoolDir(stack.distGit.root)).length === 0 ? true : undefined));
  });
});
