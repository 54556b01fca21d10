import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DistGitInputError,
  LocalDistGit,
  RemoteDistGit,
  createGitProgram,
  parseRepoId,
  validateBranch,
  validateCommit,
  validateFilePath,
} from '../../../activities/distgit';
import type { DistGit, GitProgram, RepoId } from '../../../activities/distgit';
import { makeTempDir } from '../../support/git-person';

/** A real git program that counts its calls, to prove refused input never reaches git. */
function countingGit(): GitProgram & { calls: string[][] } {
  const real = createGitProgram();
  const calls: string[][] = [];
  return {
    calls,
    run: (args, options) => {
      calls.push(args);
      return real.run(args, options);
    },
    extractArchive: (gitDir, commit, destDir, timeoutMs) => {
      calls.push(['archive', commit]);
      return real.extractArchive(gitDir, commit, destDir, timeoutMs);
    },
  };
}

function rejectsField(field: string) {
  return (error: unknown) => {
    assert.ok(error instanceof DistGitInputError, `expected DistGitInputError, got ${String(error)}`);
    assert.equal(error.field, field);
    assert.equal(error.code, 'invalid_input');
    assert.match(error.message, new RegExp(`^${field}: `));
    return true;
  };
}

const goodCommit = '0123456789abcdef0123456789abcdef01234567';

describe('dist-git input validation', () => {
  let tmp: string;
  before(async () => {
    tmp = await makeTempDir('distgit-input');
  });
  after(async () => fs.rm(tmp, { recursive: true, force: true }));

  it('accepts safe names, branches, full hashes and relative paths', () => {
    assert.deepEqual(parseRepoId('rpms', 'python3'), { namespace: 'rpms', name: 'python3' });
    assert.deepEqual(parseRepoId('modules', 'perl-DBI_1.0+x'), { namespace: 'modules', name: 'perl-DBI_1.0+x' });
    for (const branch of ['f29', 'epel8', '1.10', 'private/alice/fix-1']) assert.equal(validateBranch(branch), branch);
    assert.equal(validateCommit(goodCommit.toUpperCase()), goodCommit);
    assert.equal(validateFilePath('sources/foo.patch'), 'sources/foo.patch');
  });

  it('names the refused field for names, namespaces, branches, commits and paths', () => {
    assert.throws(() => parseRepoId('rpms', '../etc'), rejectsField('name'));
    assert.throws(() => parseRepoId('rpms', 'foo;rm'), rejectsField('name'));
    assert.throws(() => parseRepoId('rpms', '-x'), rejectsField('name'));
    assert.throws(() => parseRepoId('rpms', ''), rejectsField('name'));
    assert.throws(() => parseRepoId('rpms', 'a'.repeat(101)), rejectsField('name'));
    assert.throws(() => parseRepoId('containers', 'foo'), rejectsField('namespace'));
    for (const branch of [
      'a..b',
      '-x',
      'f29@{1}',
      'f29.lock',
      'a//b',
      'a/',
      '/a',
      '.hidden',
      'a/.b',
      'f29\n',
      'x y',
      '',
    ]) {
      assert.throws(() => validateBranch(branch), rejectsField('branch'), JSON.stringify(branch));
    }
    for (const commit of ['xyz', 'HEAD', goodCommit.slice(0, 39), `${goodCommit}0`, `-${goodCommit.slice(1)}`]) {
      assert.throws(() => validateCommit(commit), rejectsField('commit'), commit);
    }
    for (const filePath of ['../etc/passwd', '/etc/passwd', 'a/../../b', 'a//b', '']) {
      assert.throws(() => validateFilePath(filePath), rejectsField('filePath'), filePath);
    }
  });

  for (const kind of ['LocalDistGit', 'RemoteDistGit'] as const) {
    it(`${kind} refuses bad input before running any git process`, async () => {
      const git = countingGit();
      const distGit: DistGit =
        kind === 'LocalDistGit'
          ? new LocalDistGit({ root: path.join(tmp, 'local'), git })
          : new RemoteDistGit({ cacheDir: path.join(tmp, 'cache'), baseUrl: 'file:///nowhere', git });
      const foo: RepoId = { namespace: 'rpms', name: 'foo' };
      const bad = (name: string) => ({ namespace: 'rpms', name }) as RepoId;

      await assert.rejects(distGit.ensureRepo(bad('../etc')), rejectsField('name'));
      await assert.rejects(distGit.ensureRepo(bad('foo;rm')), rejectsField('name'));
      await assert.rejects(distGit.ensureRepo(bad('-x')), rejectsField('name'));
      await assert.rejects(
        distGit.ensureRepo({ namespace: 'tests', name: 'foo' } as unknown as RepoId),
        rejectsField('namespace'),
      );
      await assert.rejects(distGit.listBranches(bad('../etc')), rejectsField('name'));
      await assert.rejects(distGit.resolveBranch(foo, 'a..b'), rejectsField('branch'));
      await assert.rejects(distGit.resolveBranch(foo, '--upload-pack=evil'), rejectsField('branch'));
      await assert.rejects(distGit.readFile(foo, 'xyz', 'foo.spec'), rejectsField('commit'));
      await assert.rejects(distGit.readFile(foo, goodCommit, '../../etc/passwd'), rejectsField('filePath'));
      await assert.rejects(distGit.commitInfo(foo, 'xyz'), rejectsField('commit'));
      await assert.rejects(distGit.exportTree(foo, 'xyz', tmp), rejectsField('commit'));
      await assert.rejects(distGit.exportTree(foo, goodCommit, 'relative/dir'), rejectsField('destDir'));
      assert.throws(() => distGit.cloneUrl(bad('../etc')), rejectsField('name'));

      assert.deepEqual(git.calls, [], 'no git process was run');
      await assert.rejects(fs.stat(path.join(tmp, 'etc.git')), { code: 'ENOENT' });
    });
  }
});
