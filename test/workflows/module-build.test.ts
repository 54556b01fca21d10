// The ModuleBuild workflow end to end on the real Temporal dev server: real spec files in dist-git,
// real rpmbuild, a module repository that dnf installs from, and reuse by buildroot hash.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { moduleRepoDir } from '../../activities/module-build/module-build-plan';
import {
  createGreetingModule,
  dnfModuleInstall,
  greetingModulemd,
  specFile,
  type GreetingRepos,
} from '../support/module-fixture';
import { replayAndRecordHistory } from '../support/recorded-histories';
import { startTestStack, type TestStack } from '../support/stack';

const run = (cmd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024 }, (err, out, errOut) =>
      err ? reject(new Error(errOut || err.message)) : resolve(out),
    ),
  );

describe('ModuleBuild', () => {
  let stack: TestStack;
  let repos: GreetingRepos;
  const nsvcs: string[] = [];

  before(async () => {
    stack = await startTestStack('postgres');
    repos = await createGreetingModule(stack.distGit);
  });
  after(async () => {
    await stack?.stop();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API body, checked field by field
  async function buildModule(): Promise<{ nsvc: string; build: any }> {
    const res = await stack.request('POST', '/api/v1/module-builds', {
      token: stack.adminToken,
      body: { name: 'greeting', stream: 'f29' },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const outcome = await stack.temporal.workflow.getHandle(res.body.workflowId).result();
    const read = await stack.request('GET', `/api/v1/module-builds/${outcome.nsvc}`);
    assert.equal(read.status, 200);
    nsvcs.push(outcome.nsvc);
    return { nsvc: outcome.nsvc, build: read.body };
  }

  const kojiTasks = () => {
    const dir = path.join(stack.home, 'koji', 'tasks');
    return fs.existsSync(dir) ? fs.readdirSync(dir).length : 0;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const states = (build: any) =>
    Object.fromEntries(build.components.map((c: { name: string; state: string }) => [c.name, c.state]));

  it('builds two batches from dist-git with rpmbuild, the second on top of the first, and dnf installs the module', async () => {
    const { nsvc, build } = await buildModule();
    assert.equal(build.state, 'ready', JSON.stringify(build.stateReason));
    assert.deepEqual(states(build), { extras: 'complete', libgreet: 'complete', greeter: 'complete' });
    assert.deepEqual(
      build.components.map((c: { name: string; batch: number }) => [c.name, c.batch]),
      [
        ['extras', 1],
        ['libgreet', 1],
        ['greeter', 2],
      ],
    );
    assert.deepEqual(
      build.states.map((s: { state: string }) => s.state),
      ['init', 'wait', 'build', 'done', 'ready'],
    );
    assert.match(nsvc, /^greeting:f29:29\d{14}:[0-9a-f]{8}$/);
    assert.ok(build.modulemd.includes('artifacts:'));
    // Its history replays on the current workflow code, and may be kept as a fixture.
    await replayAndRecordHistory(stack, build.workflowId, 'module-build');

    const root = path.join(stack.home, 'installroot');
    await dnfModuleInstall({
      root: root,
      cacheDir: path.join(stack.home, 'dnf-cache'),
      repoDir: moduleRepoDir(path.join(stack.home, 'koji'), nsvc),
      spec: 'greeting:f29/default',
    });
    const installed = (await run('rpm', ['--root', root, '-qa', '--qf', '%{NAME} %{MODULARITYLABEL}\\n']))
      .split('\n')
      .filter(Boolean)
      .sort();
    assert.deepEqual(installed, [`greeter ${nsvc}`, `libgreet ${nsvc}`]);

    const log = await fetch(`${stack.api.url}/api/v1/module-builds/${nsvc}/components/greeter/log`);
    assert.match(await log.text(), /\$ rpmbuild -ba/);
  });

  it('reuses every component when the module is built again with nothing changed (no rpmbuild runs)', async () => {
    const tasksBefore = kojiTasks();
    await repos.module.commit(
      'f29',
      { 'greeting.yaml': greetingModulemd('rebuilt') },
      'touch the description',
      repos.tick(),
    );
    await repos.module.push('f29');
    const { nsvc, build } = await buildModule();
    assert.notEqual(nsvc, nsvcs[0]);
    assert.equal(build.state, 'ready', build.stateReason);
    assert.deepEqual(states(build), { extras: 'reused', libgreet: 'reused', greeter: 'reused' });
    for (const c of build.components) assert.equal(c.reusedFrom.nsvc, nsvcs[0]);
    assert.equal(kojiTasks(), tasksBefore);
  });

  it('rebuilds a changed first-batch component and the later batch, reusing the unchanged one', async () => {
    const tasksBefore = kojiTasks();
    await repos
      .rpm('extras')
      .commit('f29', { 'extras.spec': specFile('extras', { note: 'changed' }) }, 'change extras', repos.tick());
    await repos.rpm('extras').push('f29');
    await repos.module.commit(
      'f29',
      { 'greeting.yaml': greetingModulemd('extras changed') },
      'rebuild for extras',
      repos.tick(),
    );
    await repos.module.push('f29');
    const { build } = await buildModule();
    assert.equal(build.state, 'ready', build.stateReason);
    assert.deepEqual(states(build), { extras: 'complete', libgreet: 'reused', greeter: 'complete' });
    assert.equal(kojiTasks(), tasksBefore + 2);
  });

  it('shows a build per batch with its reuse records, and a component log, with bin/cascade', async () => {
    const cli = (...args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          path.join(__dirname, '..', '..', 'bin', 'cascade'),
          ['--url', stack.api.url, ...args],
          (err, out, errOut) => (err ? reject(new Error(errOut || err.message)) : resolve(out)),
        ),
      );
    const shown = await cli('module-build', 'show', nsvcs[1]!);
    assert.match(shown, /batch 1 +\[##\] 2\/2/);
    assert.match(shown, new RegExp(`greeter +reused .*\\(reused from ${nsvcs[0]}\\)`));
    assert.match(
      await cli('module-build', 'logs', nsvcs[0]!, 'greeter'),
      /build greeter-1\.0-1\.module_f29\+\d+\+[0-9a-f]{8} complete/,
    );
  });

  it('refuses a module build by someone who does not maintain the module (403) and names a bad field (400)', async () => {
    const { issueToken } = await import('../../api/identity/tokens');
    const other = await issueToken(stack.db.prisma, { userName: 'otto', role: 'MAINTAINER' });
    const denied = await stack.request('POST', '/api/v1/module-builds', {
      token: other.token,
      body: { name: 'greeting', stream: 'f29' },
    });
    assert.equal(denied.status, 403);
    const bad = await stack.request('POST', '/api/v1/module-builds', {
      token: stack.adminToken,
      body: { name: 'greeting', stream: 'f29', strategy: 'most' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details.fields[0].field, 'body.strategy');
  });
});
