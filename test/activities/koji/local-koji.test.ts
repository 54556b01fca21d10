import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LocalKoji, type BuildRequest } from '../../../activities/koji';
import { readStatus, taskPaths, writeJsonAtomically } from '../../../activities/koji/task-files';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-koji-'));
const koji = new LocalKoji({ root: path.join(scratch, 'koji'), pollMs: 50 });
const macros = { dist: '.module_f29+1+0a1b2c3d', modularitylabel: 'demo:1:20261125000000:0a1b2c3d' };

function spec(name: string, opts: { requires?: string; build?: string; release?: string } = {}): string {
  return `Name: ${name}
Version: 1.0
Release: ${opts.release ?? '1'}%{?dist}
Summary: ${name} for the tests
License: MIT
BuildArch: noarch
${opts.requires ? `BuildRequires: ${opts.requires}\n` : ''}
%description
${name}

%build
${opts.build ?? 'true'}

%install
mkdir -p %{buildroot}/usr/share/${name}
echo ${name} > %{buildroot}/usr/share/${name}/README

%files
/usr/share/${name}/README
`;
}

function sourceTree(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(scratch, `src-${name}-`));
  fs.writeFileSync(path.join(dir, `${name}.spec`), content);
  return dir;
}

const request = (name: string, content: string, extra: Partial<BuildRequest> = {}): BuildRequest => ({
  component: name,
  commit: 'a'.repeat(40),
  buildrootHash: `hash-${name}`,
  sourceDir: sourceTree(name, content),
  buildrootRepos: [],
  macros,
  timeoutMs: 60_000,
  ...extra,
});

const rpmbuildRuns = (log: string) => log.split('\n').filter((l) => l.startsWith('$ rpmbuild')).length;

describe('LocalKoji', () => {
  it('builds a component with the module macros into a per-build repository, and finds it by its key', async () => {
    const req = request('foo', spec('foo'));
    const done = await koji.watch((await koji.submit(req)).taskId);
    assert.equal(done.state, 'complete', await koji.taskLog(done.taskId));
    assert.equal(done.nvr, 'foo-1.0-1.module_f29+1+0a1b2c3d');
    const build = await koji.findBuild(req);
    assert.ok(build);
    assert.deepEqual(build.rpms, ['foo-1.0-1.module_f29+1+0a1b2c3d.noarch.rpm']);
    assert.ok(fs.existsSync(path.join(build.dir, 'repodata', 'repomd.xml')));
    const label = execFileSync('rpm', ['-qp', '--qf', '%{MODULARITYLABEL}', path.join(build.dir, build.rpms[0]!)], {
      encoding: 'utf8',
    });
    assert.equal(label, macros.modularitylabel);

    const again = await koji.submit(req);
    assert.equal(again.state, 'complete');
    assert.equal(again.attempt, 1);
    assert.equal(rpmbuildRuns(await koji.taskLog(again.taskId)), 1);
  });

  it('checks BuildRequires against the buildroot: satisfied by an earlier batch, a clear failure without it', async () => {
    const foo = await koji.findBuild(request('foo', spec('foo')));
    assert.ok(foo);
    const withRoot = await koji.watch(
      (await koji.submit(request('bar', spec('bar', { requires: 'foo >= 1.0' }), { buildrootRepos: [foo.dir] })))
        .taskId,
    );
    assert.equal(withRoot.state, 'complete', await koji.taskLog(withRoot.taskId));
    const without = await koji.watch(
      (await koji.submit(request('baz', spec('baz', { requires: 'foo >= 1.0' })))).taskId,
    );
    assert.equal(without.state, 'failed');
    assert.match(without.reason ?? '', /BuildRequires not provided by the buildroot: foo >= 1\.0/);
    assert.match(await koji.taskLog(without.taskId), /BuildRequires not provided/);
    assert.equal(await koji.getBuild('baz-1.0-1.module_f29+1+0a1b2c3d'), undefined);
  });

  it('does not build twice when the same build is submitted while it runs (a worker restarted mid-build)', async () => {
    const req = request('slow', spec('slow', { build: 'sleep 2' }));
    const first = await koji.submit(req);
    const second = await koji.submit(req);
    assert.equal(second.pid, first.pid);
    assert.equal(second.attempt, 1);
    const done = await koji.watch(first.taskId);
    assert.equal(done.state, 'complete');
    assert.equal(rpmbuildRuns(await koji.taskLog(first.taskId)), 1);
  });

  it('runs rpmbuild once when the submitter died between starting the task and recording its pid', async () => {
    const req = request('orphan', spec('orphan', { build: 'sleep 1' }));
    const first = await koji.submit(req);
    // As a worker SIGKILLed just after the spawn leaves it: the task's status, running, without a pid.
    const dir = path.join(scratch, 'koji', 'tasks', first.taskId);
    writeJsonAtomically(taskPaths(dir).status, { ...readStatus(dir)!, pid: undefined });
    const retried = await koji.submit(req);
    assert.notEqual(retried.pid, first.pid);
    assert.equal(retried.attempt, 1, 'an attempt that never ran is not counted');
    const done = await koji.watch(first.taskId);
    assert.equal(done.state, 'complete', await koji.taskLog(first.taskId));
    assert.equal(rpmbuildRuns(await koji.taskLog(first.taskId)), 1);
    // the orphaned process found another pid in the status and left without building
    const gone = () => {
      try {
        process.kill(first.pid!, 0);
        return false;
      } catch {
        return true;
      }
    };
    for (let i = 0; i < 100 && !gone(); i += 1) await new Promise((r) => setTimeout(r, 100));
    assert.ok(gone(), 'the first task process left');
  });

  it('fails a build that exceeds its time limit', async () => {
    const done = await koji.watch(
      (await koji.submit(request('stuck', spec('stuck', { build: 'sleep 30' }), { timeoutMs: 1000 }))).taskId,
    );
    assert.equal(done.state, 'failed');
    assert.match(done.reason ?? '', /timed out after 1 s/);
  });

  it('tags and untags builds, refusing unknown ones', async () => {
    const nvr = 'foo-1.0-1.module_f29+1+0a1b2c3d';
    await koji.tag('module-demo-1-20261125000000-0a1b2c3d-build', nvr);
    await koji.tag('module-demo-1-20261125000000-0a1b2c3d-build', nvr);
    assert.deepEqual(await koji.listTagged('module-demo-1-20261125000000-0a1b2c3d-build'), [nvr]);
    await koji.untag('module-demo-1-20261125000000-0a1b2c3d-build', nvr);
    assert.deepEqual(await koji.listTagged('module-demo-1-20261125000000-0a1b2c3d-build'), []);
    await assert.rejects(koji.tag('t', 'nosuch-1-1'), /no such build/);
    await assert.rejects(koji.tag('../escape', nvr), /not a tag name/);
  });
});
