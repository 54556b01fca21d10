import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LocalKoji } from '../../../activities/koji';
import { writeModuleRepo } from '../../../activities/koji/module-repo';
import { dnfModuleInstall } from '../../support/module-fixture';

const run = (cmd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, (err, out, errOut) => (err ? reject(new Error(errOut || err.message)) : resolve(out))),
  );

describe('the module repository', () => {
  it('carries the RPMs and the final modulemd, so dnf module install puts them into an empty installroot', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-module-repo-'));
    const koji = new LocalKoji({ root: path.join(scratch, 'koji'), pollMs: 50 });
    const src = path.join(scratch, 'src');
    fs.mkdirSync(src);
    fs.writeFileSync(
      path.join(src, 'hello.spec'),
      'Name: hello\nVersion: 2.0\nRelease: 1%{?dist}\nSummary: hello\nLicense: MIT\nBuildArch: noarch\n%description\nhello\n%install\nmkdir -p %{buildroot}/usr/share/hello\necho hi > %{buildroot}/usr/share/hello/greeting\n%files\n/usr/share/hello/greeting\n',
    );
    const status = await koji.watch(
      (
        await koji.submit({
          component: 'hello',
          commit: 'b'.repeat(40),
          buildrootHash: 'h',
          sourceDir: src,
          buildrootRepos: [],
          macros: { dist: '.module_f29+7+5e6f7a8b', modularitylabel: 'greeter:1:2900002026112500:5e6f7a8b' },
          timeoutMs: 60_000,
        })
      ).taskId,
    );
    assert.equal(status.state, 'complete');
    const build = (await koji.getBuild(status.nvr!))!;
    const modulemd = `document: modulemd
version: 2
data:
  name: greeter
  stream: "1"
  version: 2900002026112500
  context: 5e6f7a8b
  summary: Greeter
  description: Says hello
  license:
    module: [MIT]
  dependencies:
    - buildrequires:
        platform: [f29]
      requires:
        platform: [f29]
  profiles:
    default:
      rpms: [hello]
  components:
    rpms:
      hello:
        rationale: the greeting
        ref: ${'b'.repeat(40)}
`;
    const repo = await writeModuleRepo({ dir: path.join(scratch, 'repo'), modulemd, buildDirs: [build.dir] });
    assert.deepEqual(repo.artifacts, [
      'hello-0:2.0-1.module_f29+7+5e6f7a8b.noarch',
      'hello-0:2.0-1.module_f29+7+5e6f7a8b.src',
    ]);
    assert.ok(fs.existsSync(path.join(scratch, 'repo', 'repodata', 'repomd.xml')));
    assert.match(fs.readFileSync(path.join(scratch, 'repo', 'repodata', 'repomd.xml'), 'utf8'), /type="modules"/);

    const root = path.join(scratch, 'installroot');
    await dnfModuleInstall({
      root: root,
      cacheDir: path.join(scratch, 'dnf-cache'),
      repoDir: repo.dir,
      spec: 'greeter:1/default',
    });
    const installed = await run('rpm', ['--root', root, '-qa']);
    assert.match(installed, /^hello-2\.0-1\.module_f29\+7\+5e6f7a8b\.noarch$/m);
    assert.equal(fs.readFileSync(path.join(root, 'usr/share/hello/greeting'), 'utf8'), 'hi\n');
  });
});
