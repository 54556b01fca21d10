// Local mode and workflow mode give the same compose. One tree of git repositories (fixed commit
// times, so both modes see the same commits and so the same versions, contexts and NVRs) is pushed
// into a test stack's dist-git with `cascade import tree`'s code and composed by the Compose workflow
// from a release defined through Comps-as-a-Service; the same tree, variants.xml and comps.xml are
// composed by `bin/cascade compose --local` in a child process with no server. The productmd metadata
// must agree once the compose ids and times are set aside, and so must the repos: the same NEVRAs in
// each variant's os tree and the same NSVCs in its modules repodata.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApiClient } from '../../cli/api-client';
import { importTree } from '../../cli/import-tree';
import { makeTempDir } from '../support/git-person';
import { TREE_COMPS_XML as COMPS, writeModuleTree } from '../support/module-tree';
import { eventually, startTestStack, type TestStack } from '../support/stack';

const projectRoot = path.join(__dirname, '..', '..');
const python = path.join(projectRoot, '.venv', 'bin', 'python');

const VARIANTS = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE variants PUBLIC "-//Red Hat, Inc.//DTD Variants info//EN" "variants2012.dtd">
<variants>
  <variant id="Server" name="Server" type="variant">
    <arches><arch>x86_64</arch></arches>
    <groups><group default="true">greeting-tools</group></groups>
    <modules><module>greeting:f29</module><module>tools:f29</module></modules>
  </variant>
  <variant id="Notes" name="Notes" type="variant">
    <arches><arch>x86_64</arch></arches>
    <groups><group>notes-only</group></groups>
    <modules><module>notes:f29/default</module></modules>
  </variant>
</variants>
`;

const TREE_REPOS = ['greeting', 'tools', 'notes', 'libgreet', 'extras', 'greeter', 'toolbox', 'memo'];
type MetadataFile = 'composeinfo.json' | 'rpms.json' | 'modules.json' | 'images.json';

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024 }, (err, out, errOut) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${errOut || err.message}`)) : resolve(out),
    ),
  );
}

/** `bin/cascade compose --local` in a child process whose environment names no server. */
function composeLocally(args: string[]): Promise<{ code: number | null; out: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('TEST_') && !k.startsWith('CASCADE_') && k !== 'DATABASE_URL',
    ),
  );
  return new Promise((resolve) => {
    const child = spawn(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), ['cli/main.ts', ...args], {
      cwd: projectRoot,
      env: { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function postXml(stack: TestStack, urlPath: string, xml: string) {
  const res = await fetch(stack.api.url + urlPath, {
    method: 'POST',
    headers: { 'content-type': 'application/xml', authorization: `Bearer ${stack.adminToken}` },
    body: xml,
  });
  assert.ok(res.ok, `${urlPath}: ${res.status} ${await res.text()}`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- productmd documents are compared whole
type Json = any;

/** A metadata document with what names this compose (its id, date, respin) set aside. */
function comparable(composeDir: string, file: MetadataFile, keepImageBytes: boolean): Json {
  const composeId = fs.readFileSync(path.join(composeDir, 'COMPOSE_ID'), 'utf8').trim();
  const text = fs.readFileSync(path.join(composeDir, 'compose', 'metadata', file), 'utf8');
  // modules.json names the modules repodata by its checksum, which covers xmd.mbs.scmurl: a location
  // (where each mode's dist-git is), compared apart in the repos test with that location set aside.
  const doc = JSON.parse(
    text
      .split(composeId)
      .join('<COMPOSE_ID>')
      .replace(/[0-9a-f]{64}-modules\.yaml/g, '<checksum>-modules.yaml'),
  );
  delete doc.payload.compose.id;
  delete doc.payload.compose.date;
  delete doc.payload.compose.respin;
  if (file === 'images.json' && !keepImageBytes)
    for (const arches of Object.values(doc.payload.images as Record<string, Record<string, Json[]>>))
      for (const images of Object.values(arches))
        for (const image of images) {
          delete image.mtime;
          delete image.size;
          delete image.checksums;
        }
  return doc;
}

interface RepoContents {
  nevras: string[];
  nsvcs: string[];
  /** the modules repodata as libmodulemd writes it back, dist-git's location in xmd.mbs.scmurl set aside */
  modules: string;
}

/** Per variant: the NEVRAs dnf sees in its os tree's repodata and what libmodulemd reads from its modules. */
async function repoContents(composeDir: string): Promise<Record<string, RepoContents>> {
  const compose = path.join(composeDir, 'compose');
  const out: Record<string, RepoContents> = {};
  for (const variant of fs
    .readdirSync(compose)
    .filter((d) => d !== 'metadata')
    .sort()) {
    const os = path.join(compose, variant, 'x86_64', 'os');
    const cache = await makeTempDir('modes-dnf-cache');
    const nevras = await run('dnf', [
      '-q',
      '--setopt=reposdir=/dev/null',
      `--setopt=cachedir=${cache}`,
      '--setopt=module_platform_id=platform:f29',
      '--releasever=29',
      `--repofrompath=tree,${os}`,
      '--repo=tree',
      'repoquery',
      '--disable-modular-filtering',
      '--qf',
      '%{name}-%{epoch}:%{version}-%{release}.%{arch}',
    ]);
    const modules = fs.readdirSync(path.join(os, 'repodata')).find((f) => /-modules\.yaml(\.\w+)?$/.test(f));
    assert.ok(modules, `${os}: no modules repodata`);
    const read = JSON.parse(
      await run(python, [
        '-c',
        `import json, sys, gi
gi.require_version('Modulemd', '2.0')
from gi.repository import Modulemd
index = Modulemd.ModuleIndex.new()
index.update_from_file(sys.argv[1], True)
nsvcs = [s.get_nsvc() for n in index.get_module_names() for s in index.get_module(n).get_all_streams()]
print(json.dumps({"nsvcs": sorted(nsvcs), "yaml": index.dump_to_string()}))`,
        path.join(os, 'repodata', modules),
      ]),
    );
    out[variant] = {
      nevras: nevras.split('\n').filter(Boolean).sort(),
      nsvcs: read.nsvcs,
      modules: (read.yaml as string).replace(/scmurl: \S*?\/(modules\/[^/?\s]+\?#)/g, 'scmurl: <dist-git>/$1'),
    };
  }
  return out;
}

/** Every file of a compose, its id and the checksums in repodata file names set aside. */
function layout(composeDir: string): string[] {
  const composeId = fs.readFileSync(path.join(composeDir, 'COMPOSE_ID'), 'utf8').trim();
  return (fs.readdirSync(composeDir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) =>
      path
        .relative(composeDir, path.join(e.parentPath, e.name))
        .split(composeId)
        .join('<COMPOSE_ID>')
        .replace(/[0-9a-f]{64}-/, '<checksum>-'),
    )
    .sort();
}

describe('local mode and workflow mode compose the same tree alike', () => {
  let stack: TestStack;
  let workflowDir: string;
  let localDir: string;

  before(async () => {
    const work = await makeTempDir('compose-modes');
    const tree = path.join(work, 'tree');
    await writeModuleTree(tree, { gitRepos: TREE_REPOS });
    fs.writeFileSync(path.join(work, 'variants.xml'), VARIANTS);
    fs.writeFileSync(path.join(work, 'comps.xml'), COMPS);

    stack = await startTestStack('postgres');
    await importTree(createApiClient(stack.api.url, stack.adminToken), tree, {
      branch: 'f29',
      identity: 'releng',
    });
    // The push hooks fill the module streams the workflow reads (buildrequires, platform).
    await eventually(async () => {
      const streams = await stack.db.prisma.moduleStream.findMany({ where: { modulemd: { not: null } } });
      return ['greeting', 'notes', 'tools'].every((n) => streams.some((s) => s.name === n)) ? true : undefined;
    });
    const created = await stack.request('POST', '/api/v1/releases', {
      token: stack.adminToken,
      body: { key: 'cascade-29' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await postXml(stack, '/api/v1/releases/cascade-29/comps.xml', COMPS);
    await postXml(stack, '/api/v1/releases/cascade-29/variants.xml', VARIANTS);

    const workflowCompose = (async () => {
      const started = await stack.request('POST', '/api/v1/composes', {
        token: stack.adminToken,
        body: { release: 'cascade-29', type: 'nightly' },
      });
      assert.equal(started.status, 202, JSON.stringify(started.body));
      const outcome = await stack.temporal.workflow.getHandle(started.body.workflowId).result();
      assert.equal(outcome.status, 'FINISHED', JSON.stringify(outcome));
      return path.join(stack.config.composes.mirrorRoot, started.body.composeId as string);
    })();
    const localCompose = (async () => {
      const output = path.join(work, 'local');
      const local = await composeLocally([
        'compose',
        '--local',
        '--tree',
        tree,
        '--branch',
        'f29',
        '--variants',
        path.join(work, 'variants.xml'),
        '--comps',
        path.join(work, 'comps.xml'),
        '--release',
        'cascade-29',
        '--release-name',
        'cascade',
        '--platform',
        'f29',
        '--type',
        'nightly',
        '--output',
        output,
      ]);
      assert.equal(local.code, 0, local.out);
      return path.join(output, fs.readlinkSync(path.join(output, 'latest-cascade-29')));
    })();
    [workflowDir, localDir] = await Promise.all([workflowCompose, localCompose]);
  });

  after(async () => {
    await stack?.stop();
  });

  it('both finish with the same status and compose type', () => {
    for (const dir of [workflowDir, localDir])
      assert.equal(fs.readFileSync(path.join(dir, 'STATUS'), 'utf8').trim(), 'FINISHED', dir);
    const [w, l] = [workflowDir, localDir].map((d) => fs.readFileSync(path.join(d, 'COMPOSE_ID'), 'utf8').trim());
    assert.match(w!, /^cascade-29-\d{8}\.n\.\d+$/);
    assert.match(l!, /^cascade-29-\d{8}\.n\.\d+$/);
  });

  for (const file of ['composeinfo.json', 'rpms.json', 'modules.json'] as const)
    it(`writes the same ${file}, ids and times aside`, () => {
      const workflow = comparable(workflowDir, file, true);
      assert.ok(Object.keys(workflow.payload).length > 1, `${file} describes more than the compose`);
      assert.deepEqual(comparable(localDir, file, true), workflow);
    });

  it('writes the same images.json: names, types, formats, arches, volume ids', () => {
    const workflow = comparable(workflowDir, 'images.json', false);
    const images = Object.values(workflow.payload.images as Record<string, Record<string, Json[]>>).flatMap((a) =>
      Object.values(a).flat(),
    );
    assert.deepEqual(images.map((i) => i.type).sort(), ['container', 'container', 'dvd', 'dvd']);
    assert.deepEqual(comparable(localDir, 'images.json', false), workflow);
  });

  it('lays out the same files: comps, modulemd, gather lists, repos, images, logs', () => {
    const workflow = layout(workflowDir);
    assert.ok(workflow.includes('work/x86_64/comps/comps-Server.x86_64.xml'), workflow.join('\n'));
    assert.deepEqual(layout(localDir), workflow);
    for (const comps of workflow.filter((f) => f.startsWith('work/x86_64/comps/')))
      assert.equal(
        fs.readFileSync(path.join(localDir, comps), 'utf8'),
        fs.readFileSync(path.join(workflowDir, comps), 'utf8'),
        comps,
      );
  });

  it('holds the same packages and module builds in each variant’s repos', async () => {
    const workflow = await repoContents(workflowDir);
    assert.deepEqual(Object.keys(workflow), ['Notes', 'Server']);
    assert.ok(
      workflow.Server!.nevras.some((n) => n.startsWith('toolbox-0:1.0-1.module_f29+')),
      workflow.Server!.nevras.join(' '),
    );
    assert.deepEqual(
      workflow.Server!.nsvcs.map((n) => n.split(':').slice(0, 2).join(':')),
      ['greeting:f29', 'tools:f29'],
    );
    assert.match(workflow.Server!.modules, /scmurl: <dist-git>\/modules\/tools\.git\?#[0-9a-f]{40}/);
    assert.deepEqual(await repoContents(localDir), workflow);
  });
});
