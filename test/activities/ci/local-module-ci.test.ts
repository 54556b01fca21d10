// The embedded CI on real module builds: the greeting module built with real rpmbuild through the
// API, then checked with modulemd-validator, rpm -K, dnf into an empty installroot, and the module's
// own tests/ scripts from dist-git; results stored in ResultsDB's shape and read back through the API.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { ciRunDir, LocalModuleCi } from '../../../activities/ci';
import { moduleRepoDir } from '../../../activities/module-build/module-build-plan';
import { createGreetingModule, type GreetingRepos } from '../../support/module-fixture';
import { startTestStack, type TestStack } from '../../support/stack';

const script = (body: string) => ({ text: `#!/bin/sh\n${body}\n`, executable: true });

const INSTALLED_TEST = script(`set -e
test -f greeting.yaml
grep -q greeter "$CASCADE_INSTALLROOT/usr/share/greeter/README"
test -d "$CASCADE_MODULE_REPO/repodata"
echo "greeter is installed from $CASCADE_NSVC"`);
const FAILING_TEST = script(`if [ ! -f "$CASCADE_INSTALLROOT/usr/share/greeting/motd" ]; then
  echo "checking the message of the day"
  echo "missing /usr/share/greeting/motd"
  exit 1
fi`);
const SLOW_TEST = script(`sleep 60 &
echo $! > sleep.pid
wait`);

function processIsGone(pid: number): boolean {
  try {
    // A zombie waiting for a reaper counts as gone: it runs nothing.
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] === 'Z';
  } catch {
    return true;
  }
}

describe('LocalModuleCi', () => {
  let stack: TestStack;
  let repos: GreetingRepos;
  let ci: LocalModuleCi;
  let kojiRoot: string;
  const nsvcs: Record<'passing' | 'failing' | 'slow', string> = { passing: '', failing: '', slow: '' };

  /** Commits files to the module's f29 branch (null deletes), with modes, and pushes. */
  async function commitToModule(files: Record<string, { text: string; executable?: boolean } | null>, message: string) {
    const person = repos.module;
    await person.run(['checkout', '--quiet', 'f29']);
    for (const [file, content] of Object.entries(files)) {
      const full = path.join(person.workDir, file);
      if (content === null) {
        await person.run(['rm', '--quiet', '--', file]);
        continue;
      }
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content.text);
      fs.chmodSync(full, content.executable ? 0o755 : 0o644);
      await person.run(['add', '--', file]);
    }
    const at = `@${repos.tick()} +0000`;
    await person.run(['commit', '--quiet', '-m', message], { GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at });
    await person.push('f29');
  }

  async function buildModule(): Promise<string> {
    const res = await stack.request('POST', '/api/v1/module-builds', {
      token: stack.adminToken,
      body: { name: 'greeting', stream: 'f29' },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const outcome = await stack.temporal.workflow.getHandle(res.body.workflowId).result();
    const build = await stack.db.prisma.moduleBuild.findUniqueOrThrow({ where: { nsvc: outcome.nsvc } });
    assert.equal(build.state, 'ready', build.stateReason ?? '');
    return outcome.nsvc;
  }

  const rowsOf = (runKey: string) => stack.db.prisma.ciResult.findMany({ where: { runKey }, orderBy: { id: 'asc' } });

  before(async () => {
    stack = await startTestStack('postgres');
    repos = await createGreetingModule(stack.distGit);
    kojiRoot = path.join(stack.home, 'koji');
    ci = new LocalModuleCi({
      prisma: stack.db.prisma,
      distGit: stack.distGit,
      kojiRoot,
      workDir: path.join(stack.home, 'ci'),
      testTimeoutMs: 1500,
    });
    await commitToModule(
      { 'tests/installed.sh': INSTALLED_TEST, 'tests/README.md': { text: 'not a test: not executable\n' } },
      'a module test',
    );
    nsvcs.passing = await buildModule();
  });
  after(async () => {
    await stack?.stop();
  });

  it('passes a built module: modulemd, digests, dnf install and its tests/ script, stored once per run key', async () => {
    const request = { nsvc: nsvcs.passing, campaignId: null, runKey: 'pass-1' };
    const verdict = await ci.runChecks(request);
    assert.equal(verdict.outcome, 'PASSED', verdict.summary);
    assert.deepEqual(
      verdict.results.map((r) => [r.testcase, r.outcome]),
      [
        ['modulemd.valid', 'PASSED'],
        ['rpm.digests', 'PASSED'],
        ['dnf.install', 'PASSED'],
        ['module.tests.installed.sh', 'PASSED'],
      ],
    );
    assert.equal(verdict.summary, `${nsvcs.passing}: all 4 checks passed`);

    const rows = await rowsOf('pass-1');
    assert.deepEqual(
      rows.map((r) => r.resultKey),
      verdict.results.map((r) => `pass-1/${r.testcase}`),
    );
    const build = await stack.db.prisma.moduleBuild.findUniqueOrThrow({ where: { nsvc: nsvcs.passing } });
    for (const row of rows) {
      assert.equal(row.itemType, 'module');
      assert.equal(row.item, nsvcs.passing);
      assert.equal(row.moduleBuildId, build.id);
      assert.equal(row.campaignId, null);
    }
    assert.equal(build.ciOutcome, 'PASSED');
    const install = rows.find((r) => r.testcase === 'dnf.install')!.data as { rpms: string[]; installed: string[] };
    assert.deepEqual(install.rpms, ['extras', 'greeter', 'libgreet']);
    assert.equal(install.installed.length, 3);
    assert.match(rows.at(-1)!.log ?? '', /greeter is installed from greeting:f29:/);
    assert.equal(fs.existsSync(ciRunDir(path.join(stack.home, 'ci'), 'pass-1')), false, 'a passed run cleans up');

    assert.deepEqual(await ci.runChecks(request), verdict);
    assert.equal((await rowsOf('pass-1')).length, 4);
  });

  it('fails a module whose tests/ script exits 1, naming it and its failure, with the log readable through the API', async () => {
    await commitToModule({ 'tests/smoke.sh': FAILING_TEST }, 'a failing smoke test');
    nsvcs.failing = await buildModule();
    const verdict = await ci.runChecks({ nsvc: nsvcs.failing, campaignId: null, runKey: 'fail-1' });
    assert.equal(verdict.outcome, 'FAILED');
    assert.deepEqual(
      verdict.results.map((r) => [r.testcase, r.outcome]),
      [
        ['modulemd.valid', 'PASSED'],
        ['rpm.digests', 'PASSED'],
        ['dnf.install', 'PASSED'],
        ['module.tests.installed.sh', 'PASSED'],
        ['module.tests.smoke.sh', 'FAILED'],
      ],
    );
    assert.equal(
      verdict.summary,
      `${nsvcs.failing}: 1 of 5 checks did not pass: module.tests.smoke.sh FAILED (exit status 1: missing /usr/share/greeting/motd)`,
    );
    const build = await stack.db.prisma.moduleBuild.findUniqueOrThrow({ where: { nsvc: nsvcs.failing } });
    assert.equal(build.ciOutcome, 'FAILED');

    const listed = await stack.request('GET', `/api/v1/ci/results?item=${nsvcs.failing}&outcome=FAILED`);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.data.length, 1);
    const [result] = listed.body.data;
    assert.equal(result.testcase.name, 'module.tests.smoke.sh');
    assert.equal(result.note, 'exit status 1: missing /usr/share/greeting/motd');
    assert.deepEqual(result.data.item, [nsvcs.failing]);
    assert.deepEqual(result.data.run_key, ['fail-1']);
    const log = await fetch(stack.api.url + result.ref_url);
    assert.equal(log.status, 200);
    assert.match(log.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await log.text(), 'checking the message of the day\nmissing /usr/share/greeting/motd\n');
  });

  it('fails a test that exceeds the time limit, killing everything it started', async () => {
    await commitToModule({ 'tests/smoke.sh': null, 'tests/slow.sh': SLOW_TEST }, 'a slow test');
    nsvcs.slow = await buildModule();
    const started = performance.now();
    const verdict = await ci.runChecks({ nsvc: nsvcs.slow, campaignId: 'campaign-x', runKey: 'slow/1' });
    assert.ok(performance.now() - started < 30_000);
    assert.equal(verdict.outcome, 'FAILED');
    const slow = verdict.results.find((r) => r.testcase === 'module.tests.slow.sh');
    assert.equal(slow?.outcome, 'FAILED');
    assert.ok(slow.durationMs >= 1500 && slow.durationMs < 10_000, String(slow.durationMs));
    assert.match(verdict.summary, /module\.tests\.slow\.sh FAILED \(timed out after 1\.5 s\)/);
    const runDir = ciRunDir(path.join(stack.home, 'ci'), 'slow/1');
    assert.notEqual(path.basename(runDir), 'slow/1');
    const sleepPid = Number(fs.readFileSync(path.join(runDir, 'source', 'sleep.pid'), 'utf8'));
    assert.ok(processIsGone(sleepPid), `the test's background sleep (pid ${sleepPid}) was killed with it`);
    const rows = await rowsOf('slow/1');
    assert.ok(rows.every((r) => r.campaignId === 'campaign-x'));
  });

  it('answers a FAILED verdict for a build that is not ready and refuses an NSVC that names no build', async () => {
    await stack.db.prisma.moduleBuild.create({
      data: {
        name: 'greeting',
        stream: 'f29',
        version: '2900000000000001',
        context: 'deadbeef',
        nsvc: 'greeting:f29:2900000000000001:deadbeef',
        state: 'failed',
        commitHash: 'a'.repeat(40),
        workflowId: 'module-build-greeting-f29-2900000000000001',
        owner: 'admin',
      },
    });
    const verdict = await ci.runChecks({
      nsvc: 'greeting:f29:2900000000000001:deadbeef',
      campaignId: null,
      runKey: 'not-ready',
    });
    assert.equal(verdict.outcome, 'FAILED');
    assert.deepEqual(verdict.results, [{ testcase: 'module.ready', outcome: 'FAILED', durationMs: 0 }]);
    assert.match(verdict.summary, /module\.ready FAILED \(the module build is failed, not ready/);

    await assert.rejects(
      ci.runChecks({ nsvc: 'nothing:1:1:00000000', campaignId: null, runKey: 'nothing' }),
      (err: unknown) => err instanceof ApplicationFailure && err.nonRetryable && err.type === 'ModuleBuildNotFound',
    );
    await assert.rejects(
      ci.runChecks({ nsvc: nsvcs.failing, campaignId: null, runKey: 'pass-1' }),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'CiRunKeyTaken',
    );
  });

  it('fails rpm.digests, naming the file, when an RPM of the repository is corrupted', async () => {
    const corruptRoot = path.join(stack.home, 'corrupt-koji');
    const repoDir = moduleRepoDir(corruptRoot, nsvcs.passing);
    fs.cpSync(moduleRepoDir(kojiRoot, nsvcs.passing), repoDir, { recursive: true });
    const greeter = fs.readdirSync(repoDir).find((f) => f.startsWith('greeter-') && f.endsWith('.noarch.rpm'))!;
    // A private copy (the repository hard-links the build's files), with bytes flipped in its payload.
    const file = path.join(repoDir, greeter);
    const bytes = fs.readFileSync(file);
    fs.rmSync(file);
    for (let i = bytes.length - 30; i < bytes.length - 20; i++) bytes[i] = bytes[i]! ^ 0xff;
    fs.writeFileSync(file, bytes);

    const corruptCi = new LocalModuleCi({
      prisma: stack.db.prisma,
      distGit: stack.distGit,
      kojiRoot: corruptRoot,
      workDir: path.join(stack.home, 'ci'),
      testTimeoutMs: 1500,
    });
    const verdict = await corruptCi.runChecks({ nsvc: nsvcs.passing, campaignId: null, runKey: 'corrupt-1' });
    assert.equal(verdict.outcome, 'FAILED');
    assert.equal(verdict.results.find((r) => r.testcase === 'rpm.digests')?.outcome, 'FAILED');
    assert.ok(
      verdict.summary.includes(`rpm.digests FAILED (1 of 6 RPMs fail rpm -K: ${greeter} (DIGESTS NOT OK)`),
      verdict.summary,
    );
    const digests = (await rowsOf('corrupt-1')).find((r) => r.testcase === 'rpm.digests')!;
    assert.deepEqual((digests.data as { bad: string[] }).bad, [greeter]);
    assert.match(digests.log ?? '', /DIGESTS NOT OK/);
  });
});
