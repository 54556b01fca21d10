// The Koji-compatible hub judged by the real `koji` CLI (koji 1.36.1 in the project venv): one module
// build on the PostgreSQL stack, then list-tagged, buildinfo, taskinfo, list-builds --package,
// list-tags, download-build (checked with rpm -K) and watch-task, each compared with the store.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kojiTagName } from '../../domain/module-build';
import { kojiTaskId } from '../../api/kojihub/koji-ids';
import { createGreetingModule } from '../support/module-fixture';
import { startTestStack, type TestStack } from '../support/stack';

const KOJI = path.join(__dirname, '..', '..', '.venv', 'bin', 'koji');

function run(cmd: string, args: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) =>
    execFile(
      cmd,
      args,
      { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, HOME: os.tmpdir() } },
      (err, out, errOut) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out, err: errOut }),
    ),
  );
}

describe('Koji-compatible hub, driven by the koji CLI', () => {
  let stack: TestStack;
  let tag: string;
  let owner: string;
  let components: { name: string; nvr: string; taskId: string }[];

  // The CLI needs a profile to exist; everything it says is overridden on the command line.
  const profile = () => {
    const file = path.join(stack.home, 'koji.conf');
    fs.writeFileSync(file, '[koji]\nauthtype = noauth\n');
    return file;
  };
  const koji = (...args: string[]) =>
    run(KOJI, [
      '-c',
      profile(),
      '--noauth',
      '--server',
      `${stack.api.url}/kojihub`,
      '--topurl',
      `${stack.api.url}/kojifiles`,
      ...args,
    ]);
  const kojiOk = async (...args: string[]) => {
    const res = await koji(...args);
    assert.equal(res.code, 0, `koji ${args.join(' ')}: ${res.err}${res.out}`);
    return res.out;
  };

  before(async () => {
    stack = await startTestStack('postgres');
    await createGreetingModule(stack.distGit);
    const res = await stack.request('POST', '/api/v1/module-builds', {
      token: stack.adminToken,
      body: { name: 'greeting', stream: 'f29' },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const outcome = await stack.temporal.workflow.getHandle(res.body.workflowId).result();
    const build = await stack.db.prisma.moduleBuild.findUniqueOrThrow({
      where: { nsvc: outcome.nsvc },
      include: { components: { orderBy: { name: 'asc' } } },
    });
    assert.equal(build.state, 'ready', build.stateReason ?? '');
    tag = kojiTagName(build.name, build.stream, build.version, build.context);
    owner = build.owner;
    components = build.components.map((c) => ({ name: c.name, nvr: c.nvr!, taskId: c.taskId! }));
  });
  after(async () => {
    await stack?.stop();
  });

  it('list-tagged and list-tags show the module tag and its NVRs, built by the module build owner', async () => {
    const lines = (await kojiOk('list-tagged', '--quiet', tag)).trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.trim().split(/\s+/)),
      components.map((c) => [c.nvr, tag, owner]),
    );
    const tags = (await kojiOk('list-tags')).trim().split('\n');
    assert.ok(tags.includes(tag), tags.join(', '));
    const ofBuild = (await kojiOk('list-tags', '--build', components[0]!.nvr)).trim().split('\n');
    assert.deepEqual(ofBuild, [tag]);
    const missing = await koji('list-tagged', 'no-such-tag');
    assert.notEqual(missing.code, 0);
    assert.match(missing.err, /No such tag: no-such-tag/);
  });

  it('buildinfo shows the build, its task, its tag and its RPMs under the topurl', async () => {
    const { nvr, taskId, name } = components.find((c) => c.name === 'greeter')!;
    const out = await kojiOk('buildinfo', nvr);
    assert.match(out, new RegExp(`^BUILD: ${nvr.replace(/[.+]/g, '\\$&')} \\[\\d+\\]$`, 'm'));
    assert.match(out, /^State: COMPLETE$/m);
    assert.match(out, new RegExp(`^Built by: ${owner}$`, 'm'));
    assert.match(
      out,
      new RegExp(`^Task: ${kojiTaskId(taskId)} build \\(${tag}, /git/rpms/${name}:[0-9a-f]{40}\\)$`, 'm'),
    );
    assert.match(out, new RegExp(`^Tags: ${tag}$`, 'm'));
    const record = JSON.parse(fs.readFileSync(path.join(stack.home, 'koji', 'packages', nvr, 'build.json'), 'utf8'));
    const listed = out
      .split('RPMs:\n')[1]!
      .trim()
      .split('\n')
      .map((l) => path.basename(l))
      .sort();
    assert.deepEqual(listed, [...record.rpms, record.srpm].sort());
  });

  it('taskinfo shows each component task as a closed build task with its log', async () => {
    for (const c of components) {
      const id = kojiTaskId(c.taskId);
      const out = await kojiOk('taskinfo', String(id));
      assert.match(out, new RegExp(`^Task: ${id}$`, 'm'));
      assert.match(out, /^Type: build$/m);
      assert.match(out, /^State: closed$/m);
      assert.match(out, new RegExp(`^Build: ${c.nvr.replace(/[.+]/g, '\\$&')} \\(\\d+\\)$`, 'm'));
      assert.match(out, new RegExp(`/work/tasks/${id % 10000}/${id}/build.log`));
    }
  });

  it('list-builds --package lists the package builds', async () => {
    const lines = (await kojiOk('list-builds', '--quiet', '--package', 'libgreet')).trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.trim().split(/\s+/)),
      [[components.find((c) => c.name === 'libgreet')!.nvr, owner, 'COMPLETE']],
    );
    const none = await koji('list-builds', '--package', 'no-such-package');
    assert.notEqual(none.code, 0);
    assert.match(none.err, /No such package: no-such-package/);
  });

  it('download-build fetches RPMs that rpm -K accepts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'koji-download-'));
    const { nvr } = components.find((c) => c.name === 'libgreet')!;
    const res = await run(
      KOJI,
      [
        '-c',
        profile(),
        '--noauth',
        '--server',
        `${stack.api.url}/kojihub`,
        '--topurl',
        `${stack.api.url}/kojifiles`,
        'download-build',
        '--noprogress',
        nvr,
      ],
      dir,
    );
    assert.equal(res.code, 0, res.err + res.out);
    const record = JSON.parse(fs.readFileSync(path.join(stack.home, 'koji', 'packages', nvr, 'build.json'), 'utf8'));
    const downloaded = fs.readdirSync(dir).sort();
    assert.deepEqual(
      downloaded,
      [...record.rpms, record.srpm].filter((f: string) => !f.includes('-debuginfo-')).sort(),
    );
    const check = await run('rpm', ['-K', ...downloaded.map((f) => path.join(dir, f))]);
    assert.equal(check.code, 0, check.err + check.out);
    for (const f of downloaded) assert.match(check.out, new RegExp(`${f.replace(/[.+]/g, '\\$&')}: digests OK`));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('watch-task on a finished task exits 0 and says it completed', async () => {
    const id = kojiTaskId(components[0]!.taskId);
    const out = await kojiOk('watch-task', String(id));
    assert.match(out, new RegExp(`${id} build \\(${tag}, .*\\) completed successfully`));
  });

  it('answers an unknown method with a Koji fault the CLI prints', async () => {
    const res = await koji('call', 'noSuchMethod');
    assert.notEqual(res.code, 0);
    assert.match(res.err, /GenericError: Invalid method: noSuchMethod/);
  });
});
