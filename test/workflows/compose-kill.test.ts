// A compose's reliability, with its worker as a process of its own: killed (SIGKILL) twice — while a
// module build child builds and while the image phase runs dnf — it finishes on the next worker with
// nothing built twice, every output made once and `latest-*` moved only when it is complete; its
// history is recorded for the replay test. Cancelled by a release engineer while a module build child
// runs, it ends TERMINATED with its build cancelled too and nothing published; a maintainer may not.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { issueToken } from '../../api/identity/tokens';
import { createDistribution } from '../support/distribution-fixture';
import { replayAndRecordHistory } from '../support/recorded-histories';
import { eventually, startTestStack, type TestStack } from '../support/stack';
import { startWorkerProcess } from '../support/worker-process';

const projectRoot = path.join(__dirname, '..', '..');
const cascadeBin = path.join(projectRoot, 'bin', 'cascade');

const run = (cmd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, out, errOut) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${errOut || err.message}`)) : resolve(out),
    ),
  );

const COMPS = `<?xml version="1.0" encoding="UTF-8"?>
<comps>
  <group>
    <id>core-tools</id>
    <name>Core tools</name>
    <description>The core library and its tools</description>
    <default>true</default>
    <uservisible>true</uservisible>
    <packagelist>
      <packagereq type="mandatory">libcore</packagereq>
      <packagereq type="default">toolkit</packagereq>
    </packagelist>
  </group>
</comps>
`;

const variantsXml = (id: string, modules: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<variants>
  <variant id="${id}" name="${id}" type="variant">
    <arches><arch>x86_64</arch></arches>
    <modules>${modules.map((m) => `<module>${m}</module>`).join('')}</modules>
  </variant>
</variants>
`;

/** Every file and directory under `root` whose name says it was left half-made. */
function leftovers(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (/\.tmp$|\.partial$|\.modules-|\.\d+\.tmp$/.test(e.name)) found.push(path.relative(root, full));
      if (e.isDirectory()) walk(full);
    }
  };
  if (fs.existsSync(root)) walk(root);
  return found;
}

/** Processes still running whose command line names `dir`: what a killed worker's tools left behind. */
function processesMentioning(dir: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(dir)) found.push(`${pid}: ${cmdline.slice(0, 200)}`);
    } catch {
      // it ended while we looked
    }
  }
  return found;
}

describe('a compose whose worker is killed, and a compose that is cancelled', () => {
  let stack: TestStack;
  const workers: ChildProcess[] = [];
  let finishedComposeId: string;

  const startWorker = () => {
    const child = startWorkerProcess(stack);
    workers.push(child);
    return child;
  };
  const kill = async (worker: ChildProcess) => {
    worker.kill('SIGKILL');
    if (worker.exitCode === null && worker.signalCode === null) await new Promise((r) => worker.once('exit', r));
  };
  const postXml = async (urlPath: string, xml: string) => {
    const res = await fetch(stack.api.url + urlPath, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', authorization: `Bearer ${stack.adminToken}` },
      body: xml,
    });
    assert.ok(res.ok, `${urlPath}: ${res.status} ${await res.text()}`);
  };
  const defineRelease = async (key: string, comps: string | null, variants: string) => {
    const res = await stack.request('POST', '/api/v1/releases', { token: stack.adminToken, body: { key } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    if (comps) await postXml(`/api/v1/releases/${key}/comps.xml`, comps);
    await postXml(`/api/v1/releases/${key}/variants.xml`, variants);
  };
  const startCompose = async (release: string) => {
    const res = await stack.request('POST', '/api/v1/composes', {
      token: stack.adminToken,
      body: { release, type: 'nightly' },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return { composeId: res.body.composeId as string, workflowId: res.body.workflowId as string };
  };
  const phaseState = async (composeId: string, phase: string) =>
    (await stack.db.prisma.composePhase.findFirst({ where: { compose: { composeId }, phase } }))?.state;

  before(async () => {
    stack = await startTestStack('postgres', { worker: false });
    await createDistribution(stack.distGit, { slow: ['toolkit', 'interp'] });
    await defineRelease(
      'cascade-29',
      COMPS,
      variantsXml('Server', ['core:f29/default', 'tools:f29/default']).replace(
        '<modules>',
        '<groups><group default="true">core-tools</group></groups><modules>',
      ),
    );
    await defineRelease('lab-29', null, variantsXml('Lab', ['lang:f29/default']));
  });
  after(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await stack?.stop();
  });

  it('finishes after two kills with nothing built twice, each output made once, latest moved last', async () => {
    const first = startWorker();
    const { composeId, workflowId } = await startCompose('cascade-29');
    finishedComposeId = composeId;
    const composeDir = path.join(stack.config.composes.topdir, composeId);
    const mirror = stack.config.composes.mirrorRoot;
    const latest = path.join(mirror, 'latest-cascade-29');
    const latestTarget = () => {
      try {
        return fs.readlinkSync(latest).replace(/\/$/, '');
      } catch {
        return null;
      }
    };

    // Watch the mirror the whole time: latest may point at the compose only once the compose is
    // complete there (its STATUS final, its metadata written) and its publish phase has begun.
    const seen: string[] = [];
    let watching = true;
    const watcher = (async () => {
      // One more look after the compose ended: latest may have moved in the last sleep.
      for (let last = false; !last;) {
        last = !watching;
        const target = latestTarget();
        if (target !== null) {
          const status = fs.readFileSync(path.join(mirror, target, 'STATUS'), 'utf8').trim();
          const metadata = fs.existsSync(path.join(mirror, target, 'compose', 'metadata', 'composeinfo.json'));
          const publish = await phaseState(composeId, 'publish');
          seen.push(`${target} ${status} metadata:${metadata} publish:${publish}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    // Kill 1: the compose's moduleBuild child of tools is building toolkit (core was built before it).
    await eventually(async () => {
      const building = await stack.db.prisma.componentBuild.count({
        where: { name: 'toolkit', state: 'building', moduleBuild: { name: 'tools' } },
      });
      return building === 1 ? true : undefined;
    }, 240_000);
    assert.equal(await phaseState(composeId, 'pkgset'), 'running');
    await kill(first);
    assert.equal(latestTarget(), null);
    const second = startWorker();

    // Kill 2: the image phase is installing the root filesystem with dnf (the ISO is already made).
    const rootfs = path.join(composeDir, 'work', 'scratch', 'rootfs-Server-x86_64');
    await eventually(
      async () => ((await phaseState(composeId, 'image')) === 'running' && fs.existsSync(rootfs) ? true : undefined),
      240_000,
    );
    await kill(second);
    // The tools it ran (dnf, tar) die with it: none may go on writing beside the phase's retry.
    await eventually(async () => (processesMentioning(composeDir).length === 0 ? true : undefined), 5_000).catch(() =>
      assert.fail(`the killed worker's tools still run: ${processesMentioning(composeDir).join('; ')}`),
    );
    assert.equal(latestTarget(), null);
    assert.equal((await stack.db.prisma.compose.findUniqueOrThrow({ where: { composeId } })).publishedAt, null);
    startWorker();

    const outcome = await stack.temporal.workflow.getHandle(workflowId).result();
    watching = false;
    await watcher;
    assert.equal(outcome.status, 'FINISHED', JSON.stringify(outcome));
    assert.ok(seen.length > 0, 'latest was never seen');
    for (const s of seen) assert.match(s, new RegExp(`^${composeId} FINISHED metadata:true publish:(running|done)$`));
    assert.equal(latestTarget(), composeId);

    const compose = (await stack.request('GET', `/api/v1/composes/${composeId}`)).body;
    assert.equal(compose.status, 'FINISHED');
    assert.equal(compose.published, 'published');
    assert.deepEqual(
      compose.phases.map((p: { phase: string; state: string }) => `${p.phase}:${p.state}`),
      ['init', 'pkgset', 'gather', 'createrepo', 'image', 'image_checksum', 'test', 'metadata', 'note', 'publish'].map(
        (p) => `${p}:done`,
      ),
    );

    // Nothing built twice: one Koji task per component, rpmbuild run once in each; one module build
    // per module; one CI run per module build.
    const tasks = path.join(stack.config.builds.kojiRoot, 'tasks');
    const nvrs: string[] = [];
    for (const task of fs.readdirSync(tasks)) {
      const status = JSON.parse(fs.readFileSync(path.join(tasks, task, 'status.json'), 'utf8'));
      assert.equal(status.state, 'complete');
      assert.equal(status.attempt, 1, `${status.nvr} was started ${status.attempt} times`);
      const log = fs.readFileSync(path.join(tasks, task, 'build.log'), 'utf8');
      assert.equal(log.split('\n').filter((l) => l.startsWith('$ rpmbuild')).length, 1, task);
      nvrs.push(status.nvr.replace(/-[^-]+-[^-]+$/, ''));
    }
    assert.deepEqual(nvrs.sort(), ['corehelp', 'libcore', 'toolkit']);
    const builds = await stack.db.prisma.moduleBuild.findMany({
      orderBy: { name: 'asc' },
      include: { components: true },
    });
    assert.deepEqual(
      builds.map((b) => [b.name, b.state, b.ciOutcome, b.components.map((c) => c.state).join()]),
      [
        ['core', 'ready', 'PASSED', 'complete,complete'],
        ['tools', 'ready', 'PASSED', 'complete'],
      ],
    );
    const ciRuns = await stack.db.prisma.ciResult.groupBy({
      by: ['moduleBuildId', 'runKey'],
      where: { moduleBuildId: { not: null } },
    });
    assert.deepEqual(ciRuns.map((r) => r.moduleBuildId).sort(), builds.map((b) => b.id).sort());

    // Each phase's outputs exist once, none left half-made, in the compose and on the mirror.
    assert.deepEqual(leftovers(composeDir), []);
    assert.deepEqual(leftovers(mirror), []);
    const arch = path.join(composeDir, 'compose', 'Server', 'x86_64');
    assert.deepEqual(fs.readdirSync(path.join(arch, 'iso')).sort(), [
      'SHA256SUM',
      `${composeId}-Server-x86_64-dvd.iso`,
    ]);
    assert.deepEqual(fs.readdirSync(path.join(arch, 'images')).sort(), [
      'SHA256SUM',
      `${composeId}-Server-x86_64-rootfs.tar.xz`,
    ]);
    assert.deepEqual(fs.readdirSync(arch).sort(), ['images', 'iso', 'os']);
    const row = await stack.db.prisma.compose.findUniqueOrThrow({
      where: { composeId },
      include: { phases: true, variants: true, modules: true, images: true },
    });
    assert.equal(row.phases.length, 10);
    assert.deepEqual(
      row.variants.map((v) => `${v.uid}:${v.state}`),
      ['Server:ready'],
    );
    assert.deepEqual(row.modules.map((m) => `${m.variant}/${m.name}`).sort(), ['Server/core', 'Server/tools']);
    assert.deepEqual(row.images.map((i) => i.type).sort(), ['container', 'dvd']);
    const validation = await stack.db.prisma.ciResult.findMany({ where: { item: `${composeId}/Server` } });
    assert.ok(validation.length > 0 && validation.every((r) => r.outcome === 'PASSED'));
    assert.equal(new Set(validation.map((r) => r.testcase)).size, validation.length);

    // The published tree verifies from the outside, through productmd.
    const python = path.join(projectRoot, '.venv', 'bin', 'python');
    const checked = JSON.parse(
      await run(python, [path.join(projectRoot, 'test', 'support', 'published-compose-check.py'), latest]),
    );
    assert.deepEqual(checked.problems, []);
    assert.equal(checked.id, composeId);
    assert.deepEqual(checked.variants, ['Server']);
    assert.ok(checked.rpms >= 3, `rpms.json lists ${checked.rpms}`);
    assert.equal(checked.images.length, 2);
    assert.equal(new Set(checked.images).size, 2);
    assert.equal(checked.checksumLines, 2);
    assert.equal(fs.readFileSync(path.join(latest, 'STATUS'), 'utf8').trim(), 'FINISHED');

    await replayAndRecordHistory(stack, workflowId, 'compose');
  });

  it('cancels a compose and its running module build for a release engineer, never for a maintainer', async () => {
    const { composeId, workflowId } = await startCompose('lab-29');
    // lang is built by the compose: cancel while its moduleBuild child is building interp.
    const langBuild = await eventually(async () => {
      const c = await stack.db.prisma.componentBuild.findFirst({
        where: { name: 'interp', state: 'building', moduleBuild: { name: 'lang' } },
        include: { moduleBuild: true },
      });
      return c?.moduleBuild;
    }, 240_000);
    const childId = langBuild.workflowId;
    assert.ok(childId);

    const tina = await issueToken(stack.db.prisma, { userName: 'tina', role: 'MAINTAINER' });
    const before = await stack.db.prisma.compose.findUniqueOrThrow({ where: { composeId } });
    const denied = await stack.request('POST', `/api/v1/composes/${composeId}/cancel`, {
      token: tina.token,
      body: {},
    });
    assert.equal(denied.status, 403, JSON.stringify(denied.body));
    assert.equal(denied.body.error.code, 'forbidden');
    const unchanged = await stack.db.prisma.compose.findUniqueOrThrow({ where: { composeId } });
    assert.deepEqual(
      [unchanged.status, unchanged.statusReason, unchanged.finishedAt],
      [before.status, before.statusReason, before.finishedAt],
    );
    assert.equal((await stack.temporal.workflow.getHandle(workflowId).describe()).status.name, 'RUNNING');
    assert.equal((await stack.temporal.workflow.getHandle(childId).describe()).status.name, 'RUNNING');

    const cli = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(cascadeBin, [
        '--url',
        stack.api.url,
        '--token',
        stack.adminToken,
        'compose',
        'cancel',
        composeId,
      ]);
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ code, out, err }));
    });
    assert.equal(cli.code, 0, cli.err);
    assert.match(cli.out, new RegExp(`compose ${composeId}: cancelling`));

    await assert.rejects(stack.temporal.workflow.getHandle(workflowId).result(), WorkflowFailedError);
    assert.equal((await stack.temporal.workflow.getHandle(workflowId).describe()).status.name, 'CANCELLED');
    assert.equal((await stack.temporal.workflow.getHandle(childId).describe()).status.name, 'CANCELLED');

    const compose = (await stack.request('GET', `/api/v1/composes/${composeId}`)).body;
    assert.equal(compose.status, 'TERMINATED');
    assert.equal(compose.statusReason, 'cancelled by admin');
    assert.equal(compose.published, 'not published');
    const pkgset = compose.phases.find((p: { phase: string }) => p.phase === 'pkgset');
    assert.equal(pkgset.state, 'failed');
    const composeDir = path.join(stack.config.composes.topdir, composeId);
    assert.equal(fs.readFileSync(path.join(composeDir, 'STATUS'), 'utf8').trim(), 'TERMINATED');

    // The build the compose started was cancelled with it, and says so.
    const lang = await stack.db.prisma.moduleBuild.findUniqueOrThrow({
      where: { nsvc: langBuild.nsvc },
      include: { components: true },
    });
    assert.deepEqual([lang.state, lang.stateReason], ['failed', 'cancelled']);
    assert.deepEqual(
      lang.components.map((c) => [c.name, c.state, c.stateReason]),
      [['interp', 'failed', 'cancelled']],
    );

    // Nothing published: no tree and no latest link for the release.
    const mirror = stack.config.composes.mirrorRoot;
    assert.ok(!fs.existsSync(path.join(mirror, composeId)));
    assert.ok(!fs.existsSync(path.join(mirror, 'latest-lab-29')));
    assert.equal(fs.readlinkSync(path.join(mirror, 'latest-cascade-29')).replace(/\/$/, ''), finishedComposeId);

    // Cancelling what has ended answers 409, and changes nothing.
    for (const id of [composeId, finishedComposeId]) {
      const again = await stack.request('POST', `/api/v1/composes/${id}/cancel`, { token: stack.adminToken, body: {} });
      assert.equal(again.status, 409, JSON.stringify(again.body));
      assert.equal(again.body.error.code, 'compose_ended');
    }
    const finished = await stack.db.prisma.compose.findUniqueOrThrow({ where: { composeId: finishedComposeId } });
    assert.equal(finished.status, 'FINISHED');
  });
});
