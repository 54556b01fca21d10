import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DistGitError, LocalDistGit, RemoteDistGit } from '../../../activities/distgit';
import type { RepoId } from '../../../activities/distgit';
import { GitPerson, makeTempDir, personEnv } from '../../support/git-person';

const foo: RepoId = { namespace: 'rpms', name: 'foo' };

describe('RemoteDistGit', () => {
  let tmp: string;
  let upstream: LocalDistGit;
  let remote: RemoteDistGit;
  let person: GitPerson;
  let first: string;

  before(async () => {
    tmp = await makeTempDir('remote-dist-git');
    upstream = new LocalDistGit({ root: path.join(tmp, 'upstream') });
    await upstream.ensureRepo(foo);
    person = await GitPerson.clone(upstream.cloneUrl(foo), tmp, personEnv(tmp));
    first = await person.commit('f29', { 'foo.spec': 'Name: foo\n' }, 'import foo');
    await person.push('f29');
    remote = new RemoteDistGit({ cacheDir: path.join(tmp, 'cache'), baseUrl: pathToFileURL(upstream.root).href });
  });
  after(async () => fs.rm(tmp, { recursive: true, force: true }));

  it('clone URLs are <baseUrl>/<namespace>/<name>.git', () => {
    const fedora = new RemoteDistGit({ cacheDir: tmp, baseUrl: 'https://src.fedoraproject.org/' });
    assert.equal(
      fedora.cloneUrl({ namespace: 'modules', name: 'nodejs' }),
      'https://src.fedoraproject.org/modules/nodejs.git',
    );
  });

  it('reads refuse a repository that is not mirrored yet, naming ensureRepo', async () => {
    await assert.rejects(
      remote.listBranches(foo),
      (e: unknown) => e instanceof DistGitError && e.code === 'repo_not_found' && /ensureRepo/.test(e.message),
    );
  });

  it('mirrors a repository once (idempotent) and reads branches, files and commits from the mirror', async () => {
    assert.deepEqual(await remote.ensureRepo(foo), { created: true });
    assert.deepEqual(await remote.ensureRepo(foo), { created: false });
    assert.deepEqual(await remote.listBranches(foo), [{ branch: 'f29', hash: first }]);
    assert.equal(await remote.resolveBranch(foo, 'f29'), first);
    assert.equal(await remote.readFile(foo, first, 'foo.spec'), 'Name: foo\n');
    assert.equal(await remote.readFile(foo, first, 'missing.spec'), undefined);
    assert.equal((await remote.commitInfo(foo, first)).subject, 'import foo');
    const dest = path.join(tmp, 'export');
    await remote.exportTree(foo, first, dest);
    assert.equal(await fs.readFile(path.join(dest, 'foo.spec'), 'utf8'), 'Name: foo\n');
    const leftovers = (await fs.readdir(path.join(remote.cacheDir, 'rpms'))).filter((n) => n.endsWith('.tmp'));
    assert.deepEqual(leftovers, [], 'no temp clone left behind');
  });

  it('refresh picks up a later push, including new and deleted branches', async () => {
    const second = await person.commit('f29', { 'foo.spec': 'Name: foo\nRelease: 2\n' }, 'rebuild');
    const f30 = await person.commit('f30', { 'foo.spec': 'Name: foo\nVersion: 2\n' }, 'f30');
    await person.push('f29', 'f30');
    assert.equal(await remote.resolveBranch(foo, 'f29'), first, 'the mirror answers from its last fetch');
    await assert.rejects(
      remote.readFile(foo, second, 'foo.spec'),
      (e: unknown) => e instanceof DistGitError && e.code === 'commit_not_found' && /refresh/.test(e.message),
    );

    await remote.refresh(foo);
    assert.deepEqual(await remote.listBranches(foo), [
      { branch: 'f29', hash: second },
      { branch: 'f30', hash: f30 },
    ]);
    assert.equal(await remote.readFile(foo, second, 'foo.spec'), 'Name: foo\nRelease: 2\n');

    await person.run(['push', '--quiet', 'origin', '--delete', 'f30']);
    await remote.refresh(foo);
    assert.equal(await remote.resolveBranch(foo, 'f30'), undefined, 'fetch --prune drops deleted branches');
  });

  it('a failed mirror clone reports git_failed and leaves nothing in the cache', async () => {
    const missing: RepoId = { namespace: 'rpms', name: 'does-not-exist' };
    await assert.rejects(
      remote.ensureRepo(missing),
      (e: unknown) => e instanceof DistGitError && e.code === 'git_failed',
    );
    const names = await fs.readdir(path.join(remote.cacheDir, 'rpms'));
    assert.deepEqual(names, ['foo.git']);
  });
});
