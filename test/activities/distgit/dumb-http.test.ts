import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalDistGit } from '../../../activities/distgit';
import type { RepoId } from '../../../activities/distgit';
import { GitPerson, git, makeTempDir, personEnv, startStaticServer } from '../../support/git-person';

const foo: RepoId = { namespace: 'rpms', name: 'foo' };

describe('a local dist-git root served as static files', () => {
  let tmp: string;
  let distGit: LocalDistGit;

  before(async () => {
    tmp = await makeTempDir('dumb-http');
    distGit = new LocalDistGit({ root: path.join(tmp, 'dist-git') });
  });
  after(async () => fs.rm(tmp, { recursive: true, force: true }));

  it('can be cloned over git dumb HTTP with the pushed branch, after each push', async () => {
    await distGit.ensureRepo(foo);
    const person = await GitPerson.clone(distGit.cloneUrl(foo), tmp, personEnv(tmp));
    const first = await person.commit('f29', { 'foo.spec': 'Name: foo\n' }, 'import');
    await person.push('f29');

    const server = await startStaticServer(distGit.root);
    try {
      const env = personEnv(tmp);
      const cloneDir = path.join(tmp, 'http-clone');
      await git(['clone', '--quiet', '--branch', 'f29', `${server.url}/rpms/foo.git`, cloneDir], tmp, env);
      assert.equal((await git(['rev-parse', 'HEAD'], cloneDir, env)).stdout.trim(), first);
      assert.equal(await fs.readFile(path.join(cloneDir, 'foo.spec'), 'utf8'), 'Name: foo\n');
      assert.ok(server.paths.includes('/rpms/foo.git/info/refs'), 'git used the dumb protocol (info/refs)');

      // The hook's update-server-info keeps info/refs current, so a fetch sees the next push.
      const second = await person.commit('f29', { 'foo.spec': 'Name: foo\nRelease: 2\n' }, 'rebuild');
      await person.push('f29');
      await git(['fetch', '--quiet', 'origin'], cloneDir, env);
      assert.equal((await git(['rev-parse', 'origin/f29'], cloneDir, env)).stdout.trim(), second);
    } finally {
      await server.close();
    }
  });
});
