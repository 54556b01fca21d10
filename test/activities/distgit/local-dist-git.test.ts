import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DistGitError, LocalDistGit } from '../../../activities/distgit';
import type { RepoId } from '../../../activities/distgit';
import { GitPerson, git, makeTempDir, personEnv } from '../../support/git-person';

const foo: RepoId = { namespace: 'rpms', name: 'foo' };
const spec = 'Name: foo\nVersion: 1.0\nRelease: 1%{?dist}\nSummary: Foo\nLicense: MIT\n';
const committedAt = 1767323045; // 2026-01-02T03:04:05Z

describe('LocalDistGit', () => {
  let tmp: string;
  let distGit: LocalDistGit;
  let person: GitPerson;
  let specCommit: string;

  before(async () => {
    tmp = await makeTempDir('local-dist-git');
    distGit = new LocalDistGit({ root: path.join(tmp, 'dist-git') });
    await distGit.ensureRepo(foo);
    person = await GitPerson.clone(distGit.cloneUrl(foo), tmp, personEnv(tmp));
    specCommit = await person.commit(
      'f29',
      { 'foo.spec': spec, 'sources/README': 'tarballs live in the lookaside cache\n' },
      'Initial import of foo\n\nLonger body.',
      committedAt,
    );
    await person.push('f29');
  });
  after(async () => fs.rm(tmp, { recursive: true, force: true }));

  it('keeps bare repositories at <root>/<namespace>/<name>.git, cloneable by path', async () => {
    assert.equal(distGit.cloneUrl(foo), path.join(tmp, 'dist-git', 'rpms', 'foo.git'));
    const head = await fs.readFile(path.join(tmp, 'dist-git', 'rpms', 'foo.git', 'HEAD'), 'utf8');
    assert.match(head, /^ref: refs\/heads\//);
  });

  it('ensureRepo is idempotent, refuses HTTP pushes and keeps dumb-HTTP info current', async () => {
    assert.deepEqual(await distGit.ensureRepo(foo), { created: false });
    const gitDir = distGit.repoPath(foo);
    const env = personEnv(tmp);
    assert.equal((await git(['--git-dir', gitDir, 'config', 'http.receivepack'], tmp, env)).stdout.trim(), 'false');
    const infoRefs = await fs.readFile(path.join(gitDir, 'info', 'refs'), 'utf8');
    assert.match(infoRefs, new RegExp(`^${specCommit}\trefs/heads/f29$`, 'm'));
    const hook = await fs.stat(path.join(gitDir, 'hooks', 'post-receive'));
    assert.ok(hook.mode & 0o100, 'the post-receive hook is executable');
  });

  it('lists and resolves the pushed branch; an unknown branch resolves to undefined', async () => {
    assert.deepEqual(await distGit.listBranches(foo), [{ branch: 'f29', hash: specCommit }]);
    assert.equal(await distGit.resolveBranch(foo, 'f29'), specCommit);
    assert.equal(await distGit.resolveBranch(foo, 'f30'), undefined);
  });

  it('reads a file at a commit, and undefined for a missing path or a directory', async () => {
    assert.equal(await distGit.readFile(foo, specCommit, 'foo.spec'), spec);
    assert.equal(await distGit.readFile(foo, specCommit, 'sources/README'), 'tarballs live in the lookaside cache\n');
    assert.equal(await distGit.readFile(foo, specCommit, 'bar.spec'), undefined);
    assert.equal(await distGit.readFile(foo, specCommit, 'sources'), undefined);
    assert.equal(await distGit.readFile(foo, specCommit, 'sources/missing'), undefined);
  });

  it('answers commit_not_found for a well-formed hash that is not in the repository', async () => {
    await assert.rejects(
      distGit.readFile(foo, 'a'.repeat(40), 'foo.spec'),
      (e: unknown) => e instanceof DistGitError && e.code === 'commit_not_found',
    );
  });

  it('describes a commit: hash, committer time, author and subject', async () => {
    assert.deepEqual(await distGit.commitInfo(foo, specCommit), {
      hash: specCommit,
      committedAt: new Date(committedAt * 1000),
      authorName: 'Alice Packager',
      authorEmail: 'alice@example.org',
      subject: 'Initial import of foo',
    });
  });

  it('exports the tree of a commit into a directory for builders', async () => {
    const dest = path.join(tmp, 'export', 'foo');
    await distGit.exportTree(foo, specCommit, dest);
    assert.equal(await fs.readFile(path.join(dest, 'foo.spec'), 'utf8'), spec);
    assert.deepEqual((await fs.readdir(dest)).sort(), ['foo.spec', 'sources']);
  });

  it('reads back a modulemd file <name>.yaml from a modules/ repository', async () => {
    const modRepo: RepoId = { namespace: 'modules', name: 'nodejs' };
    assert.deepEqual(await distGit.ensureRepo(modRepo), { created: true });
    const maintainer = await GitPerson.clone(distGit.cloneUrl(modRepo), tmp, personEnv(tmp));
    const modulemd = 'document: modulemd\nversion: 2\ndata:\n  stream: "10"\n  summary: Node.js\n';
    const commit = await maintainer.commit('10', { 'nodejs.yaml': modulemd }, 'nodejs 10 stream');
    await maintainer.push('10');
    assert.equal(await distGit.resolveBranch(modRepo, '10'), commit);
    assert.equal(await distGit.readFile(modRepo, commit, 'nodejs.yaml'), modulemd);
  });

  it('answers repo_not_found for a repository that was never created', async () => {
    await assert.rejects(
      distGit.listBranches({ namespace: 'rpms', name: 'never-created' }),
      (e: unknown) => e instanceof DistGitError && e.code === 'repo_not_found' && /ensureRepo/.test(e.message),
    );
  });

  it('gives an HTTP clone URL when constructed with httpBaseUrl', () => {
    const served = new LocalDistGit({ root: tmp, httpBaseUrl: 'http://127.0.0.1:8080/' });
    assert.equal(served.cloneUrl(foo), 'http://127.0.0.1:8080/git/rpms/foo.git');
  });
});
