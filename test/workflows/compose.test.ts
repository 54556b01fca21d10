// A compose from dist-git to a published tree: a small distribution is pushed, a release with two
// variants is defined through Comps-as-a-Service, a compose runs on the real workflows, and dnf
// installs a module profile from the published tree. One variant cannot close its dependencies: it is
// left out with its reason, and the other ships (FINISHED_INCOMPLETE).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDistribution } from '../support/distribution-fixture';
import { makeTempDir } from '../support/git-person';
import { startTestStack, type TestStack } from '../support/stack';

const run = (cmd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, out, errOut) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${errOut || err.message}`)) : resolve(out),
    ),
  );

const COMPS = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
<comps>
  <group>
    <id>core-tools</id>
    <name>Core tools</name>
    <name xml:lang="de">Grundwerkzeuge</name>
    <description>The core library and its tools</description>
    <default>true</default>
    <uservisible>true</uservisible>
    <packagelist>
      <packagereq type="mandatory">libcore</packagereq>
      <packagereq type="default">toolkit</packagereq>
    </packagelist>
  </group>
  <group>
    <id>applications</id>
    <name>Applications</name>
    <description>Applications built on the tools</description>
    <default>false</default>
    <uservisible>true</uservisible>
    <packagelist>
      <packagereq type="mandatory">appd</packagereq>
    </packagelist>
  </group>
</comps>
`;

// Apps holds app:f29 alone: appd requires toolkit, which only Server has, and Apps does not build on
// Server, so its repository is not closed and validation leaves it out.
const VARIANTS = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE variants PUBLIC "-//Red Hat, Inc.//DTD Variants info//EN" "variants2012.dtd">
<variants>
  <variant id="Server" name="Server" type="variant">
    <arches><arch>x86_64</arch></arches>
    <groups><group default="true">core-tools</group></groups>
    <modules><module>core:f29/default</module><module>tools:f29/default</module></modules>
  </variant>
  <variant id="Apps" name="Applications" type="variant">
    <arches><arch>x86_64</arch></arches>
    <groups><group>applications</group></groups>
    <modules><module>app:f29/default</module></modules>
  </variant>
</variants>
`;

async function postXml(stack: TestStack, urlPath: string, xml: string) {
  const res = await fetch(stack.api.url + urlPath, {
    method: 'POST',
    headers: { 'content-type': 'application/xml', authorization: `Bearer ${stack.adminToken}` },
    body: xml,
  });
  assert.ok(res.ok, `${urlPath}: ${res.status} ${await res.text()}`);
}

describe('a compose of a release, from dist-git to the mirror', () => {
  let stack: TestStack;
  let composeId: string;

  before(async () => {
    stack = await startTestStack('postgres');
    await createDistribution(stack.distGit);
    // core is built before the compose (no CI yet): the compose tests it; tools and app it builds itself.
    const res = await stack.request('POST', '/api/v1/module-builds', {
      token: stack.adminToken,
      body: { name: 'core', stream: 'f29' },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal((await stack.temporal.workflow.getHandle(res.body.workflowId).result()).state, 'ready');

    assert.equal(
      (await stack.request('POST', '/api/v1/releases', { token: stack.adminToken, body: { key: 'cascade-29' } }))
        .status,
      201,
    );
    await postXml(stack, '/api/v1/releases/cascade-29/comps.xml', COMPS);
    await postXml(stack, '/api/v1/releases/cascade-29/variants.xml', VARIANTS);
  });

  after(async () => {
    await stack?.stop();
  });

  it('refuses a compose from a maintainer and of a release with no variants, writing nothing', async () => {
    const reader = await stack.request('POST', '/api/v1/composes', { body: { release: 'cascade-29' } });
    assert.equal(reader.status, 401);
    const unknown = await stack.request('POST', '/api/v1/composes', {
      token: stack.adminToken,
      body: { release: 'nothing-1' },
    });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.details.fields[0].field, 'body.release');
    const badType = await stack.request('POST', '/api/v1/composes', {
      token: stack.adminToken,
      body: { release: 'cascade-29', type: 'weekly' },
    });
    assert.equal(badType.status, 400);
    assert.equal(badType.body.error.details.fields[0].field, 'body.type');
    assert.equal(await stack.db.prisma.compose.count(), 0);
  });

  it('runs the phases, leaves out the variant that fails validation and publishes the other', async () => {
    const started = await stack.request('POST', '/api/v1/composes', {
      token: stack.adminToken,
      body: { release: 'cascade-29', type: 'nightly' },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    composeId = started.body.composeId;
    assert.match(composeId, /^cascade-29-\d{8}\.n\.0$/);
    const outcome = await stack.temporal.workflow.getHandle(started.body.workflowId).result();
    assert.equal(outcome.status, 'FINISHED_INCOMPLETE', JSON.stringify(outcome));

    const compose = (await stack.request('GET', `/api/v1/composes/${composeId}`)).body;
    assert.equal(compose.status, 'FINISHED_INCOMPLETE');
    assert.equal(compose.published, 'published');
    assert.deepEqual(
      compose.phases.map((p: { phase: string; state: string }) => `${p.phase}:${p.state}`),
      ['init', 'pkgset', 'gather', 'createrepo', 'image', 'image_checksum', 'test', 'metadata', 'note', 'publish'].map(
        (p) => `${p}:done`,
      ),
    );
    const server = compose.variants.find((v: { uid: string }) => v.uid === 'Server');
    const apps = compose.variants.find((v: { uid: string }) => v.uid === 'Apps');
    assert.equal(server.state, 'ready');
    assert.equal(apps.state, 'failed');
    assert.match(apps.reason, /tools/);
    assert.ok(apps.validation.some((r: { testcase: string; outcome: string }) => r.outcome === 'FAILED'));
    assert.deepEqual(
      server.modules.map((m: string) => m.split(':').slice(0, 2).join(':')),
      ['core:f29', 'tools:f29'],
    );
    assert.ok(server.images.length >= 2, 'an ISO and a root filesystem tarball');

    // tools was built by the compose (a moduleBuild child), core only tested: both passed CI now.
    const builds = await stack.db.prisma.moduleBuild.findMany({ orderBy: { name: 'asc' } });
    assert.deepEqual(
      builds.map((b) => [b.name, b.state, b.ciOutcome]),
      [
        ['app', 'ready', 'PASSED'],
        ['core', 'ready', 'PASSED'],
        ['tools', 'ready', 'PASSED'],
      ],
    );

    // "which composes hold core:f29" is answered from the store
    const holding = await stack.request('GET', `/api/v1/composes?module=core:f29`);
    assert.deepEqual(
      holding.body.items.map((c: { composeId: string }) => c.composeId),
      [composeId],
    );
  });

  it('publishes a tree dnf installs a module profile from, with the variant comps, and latest points at it', async () => {
    const mirror = stack.config.composes.mirrorRoot;
    const latest = path.join(mirror, 'latest-cascade-29');
    assert.equal(fs.readlinkSync(latest).replace(/\/$/, '').split('/').pop(), composeId);
    const repo = path.join(latest, 'compose', 'Server', 'x86_64', 'os');
    const root = await makeTempDir('installroot');
    const dnf = (...args: string[]) =>
      run('dnf', [
        `--installroot=${root}`,
        '--setopt=reposdir=/dev/null',
        `--repofrompath=server,${repo}`,
        '--setopt=server.gpgcheck=0',
        '--setopt=module_platform_id=platform:f29',
        '--setopt=install_weak_deps=False',
        '--releasever=29',
        '-y',
        '-q',
        ...args,
      ]);
    const modules = await dnf('module', 'list');
    assert.match(modules, /core\s+f29/);
    assert.match(modules, /tools\s+f29/);
    await dnf('module', 'install', 'tools:f29/default');
    const installed = await run('rpm', ['--root', root, '-qa', '--qf', '%{NAME}\\n']);
    assert.ok(installed.split('\n').includes('toolkit'), installed);
    assert.ok(installed.split('\n').includes('libcore'), installed);
    const groups = await dnf('group', 'list', '--hidden', '-v');
    assert.match(groups, /core-tools/);
    assert.doesNotMatch(groups, /applications/);
  });

  it('writes metadata productmd loads, agreeing with the files on disk', async () => {
    const published = path.join(stack.config.composes.mirrorRoot, composeId);
    const script = `
import json, os, sys, hashlib, productmd.compose
c = productmd.compose.Compose(sys.argv[1])
top = os.path.join(sys.argv[1], 'compose')
rpms = 0
for variant, arches in c.rpms.rpms.items():
    for arch, srpms in arches.items():
        for srpm, nevras in srpms.items():
            for nevra, info in nevras.items():
                assert os.path.exists(os.path.join(top, info['path'])), info['path']
                rpms += 1
images = 0
for variant, arches in c.images.images.items():
    for arch, items in arches.items():
        for image in items:
            path = os.path.join(top, image.path)
            assert os.path.getsize(path) == image.size, image.path
            assert hashlib.sha256(open(path, 'rb').read()).hexdigest() == image.checksums['sha256'], image.path
            images += 1
print(json.dumps({'id': c.info.compose.id, 'variants': sorted(c.info.variants.variants.keys()), 'rpms': rpms, 'images': images, 'modules': sorted(c.modules.modules.get('Server', {}).get('x86_64', {}).keys())}))
`;
    const out = JSON.parse(await run(path.join(process.cwd(), '.venv', 'bin', 'python'), ['-c', script, published]));
    assert.equal(out.id, composeId);
    assert.deepEqual(out.variants, ['Server']);
    assert.ok(out.rpms >= 3, `rpms.json lists ${out.rpms}`);
    assert.ok(out.images >= 2);
    assert.equal(out.modules.length, 2);
    assert.equal(fs.readFileSync(path.join(published, 'STATUS'), 'utf8').trim(), 'FINISHED_INCOMPLETE');
  });

  it('answers the history and the changes since the previous compose', async () => {
    const history = await stack.request('GET', `/api/v1/composes/${composeId}/history`);
    assert.equal(history.status, 200);
    assert.ok(history.body.events.some((e: { type: string }) => e.type === 'WorkflowExecutionCompleted'));
    const changes = await stack.request('GET', `/api/v1/composes/${composeId}/changes`);
    assert.equal(changes.status, 200);
    assert.equal(changes.body.summary.from, null);
    assert.equal(changes.body.summary.variants.Server.status, 'added');
  });

  it("serves ODCS's API: ODCS's own client asks for a module compose, waits, and dnf installs from its repo file", async () => {
    const python = path.join(process.cwd(), '.venv', 'bin', 'python');
    const script = path.join(process.cwd(), 'test', 'support', 'odcs-client-compose.py');
    const out = JSON.parse(await run(python, [script, `${stack.api.url}/`, stack.adminToken, 'tools:f29']));
    assert.equal(out.requested.state_name, 'wait');
    assert.equal(out.requested.source_type, 2);
    assert.equal(out.done.state_name, 'done', JSON.stringify(out.done));
    assert.equal(out.done.state, 2);
    assert.equal(out.done.source, 'tools:f29');
    assert.ok(out.listed.includes(out.done.id));
    assert.equal(out.meta.total, 1);
    assert.ok(new Date(out.renewed_expiry) > new Date(out.done.time_to_expire));
    // the compose holds tools and, unless no_deps, what tools requires at run time: core
    const compose = (await stack.request('GET', `/api/v1/composes/${out.done.pungi_compose_id}`)).body;
    assert.deepEqual(
      compose.variants[0].modules.map((m: string) => m.split(':')[0]),
      ['core', 'tools'],
    );

    const reposdir = await makeTempDir('odcs-repos');
    fs.writeFileSync(path.join(reposdir, `odcs-${out.done.id}.repo`), out.repofile);
    const root = await makeTempDir('odcs-installroot');
    await run('dnf', [
      `--installroot=${root}`,
      `--setopt=reposdir=${reposdir}`,
      '--setopt=module_platform_id=platform:f29',
      '--releasever=29',
      '-y',
      '-q',
      'module',
      'install',
      'tools:f29/default',
    ]);
    const installed = (await run('rpm', ['--root', root, '-qa', '--qf', '%{NAME}\\n'])).split('\n');
    assert.ok(installed.includes('toolkit') && installed.includes('libcore'), installed.join(' '));

    const anonymous = await stack.request('POST', '/api/1/composes/', {
      body: { source: { type: 'module', source: 'tools:f29' } },
    });
    assert.equal(anonymous.status, 401);
    const badSource = await stack.request('POST', '/api/1/composes/', {
      token: stack.adminToken,
      body: { source: { type: 'module', source: 'tools' } },
    });
    assert.equal(badSource.status, 400);
    assert.equal(badSource.body.error.details.fields[0].field, 'body.source.source');
  });
});
