import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GitPerson, git, makeTempDir, personEnv } from '../support/git-person';
import { eventually, startTestStack, type TestStack } from '../support/stack';

const projectRoot = path.join(__dirname, '..', '..');

const moduleYaml = (platform: string) => `document: modulemd
version: 2
data:
  summary: Bar
  description: Bar module
  license:
    module: [MIT]
  dependencies:
    - buildrequires:
        platform: [${platform}]
      requires:
        platform: [${platform}]
  components:
    rpms:
      foo:
        rationale: the one package
        ref: ${platform}
`;

describe('bin/cascade import tree', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack('pglite');
  });
  after(async () => {
    await stack?.stop();
  });

  it('pushes git repositories and plain directories into dist-git, filling branch history and the dependency store', async () => {
    const tree = await makeTempDir('tree');
    fs.mkdirSync(path.join(tree, 'rpms', 'foo'), { recursive: true });
    fs.writeFileSync(
      path.join(tree, 'rpms', 'foo', 'foo.spec'),
      'Name: foo\nVersion: 1\nRelease: 1\nSummary: foo\nLicense: MIT\n%description\nfoo\n',
    );
    const barSource = path.join(tree, 'modules', 'bar');
    fs.mkdirSync(barSource, { recursive: true });
    const env = personEnv(tree);
    await git(['init', '--quiet', '-b', 'f29'], barSource, env);
    const bar = new GitPerson(barSource, env);
    await bar.commit('f29', { 'bar.yaml': moduleYaml('f29') }, 'bar for f29');
    await bar.commit('f30', { 'bar.yaml': moduleYaml('f30') }, 'bar for f30');

    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(path.join(projectRoot, 'bin', 'cascade'), [
        '--url',
        stack.api.url,
        '--token',
        stack.adminToken,
        '--json',
        'import',
        'tree',
        tree,
      ]);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
    });
    assert.equal(run.code, 0, run.out);
    const report = JSON.parse(run.out);
    assert.equal(report.repositories, 2);

    for (const branch of ['f29', 'f30']) {
      const rel = await eventually(async () => {
        const res = await stack.request('GET', `/api/v1/modules/bar/streams/${branch}/relationships`);
        return res.body.items.length === 2 ? res.body.items : undefined;
      });
      assert.ok(rel.every((r: { name: string; stream: string }) => r.name === 'platform' && r.stream === branch));
    }
    const fooHistory = await eventually(async () => {
      const res = await stack.request('GET', '/api/v1/repos/rpms/foo/branches/main/history');
      return res.status === 200 ? res.body.items : undefined;
    });
    assert.equal(fooHistory.length, 1);
    assert.equal(fooHistory[0].pusher, 'import');
    const modules = await stack.request('GET', '/api/v1/components/foo/modules');
    assert.deepEqual(
      modules.body.items.map((m: { stream: string }) => m.stream),
      ['f29', 'f30'],
    );
  });
});
