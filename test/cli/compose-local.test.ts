// `cascade compose --local` as a person runs it: a child process with no Temporal, no API and no
// database server (no TEST_* servers are given to it), over a tree of real spec files — plain
// directories and git repositories — with a variants.xml of two variants and a comps.xml. The compose
// it writes loads with productmd, dnf installs a module profile from it, and a second run builds nothing.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { makeTempDir } from '../support/git-person';
import { TREE_COMPONENTS, TREE_COMPS_XML as COMPS, writeModuleTree } from '../support/module-tree';

const projectRoot = path.join(__dirname, '..', '..');

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
    <modules><module>notes:f29/default</module></modules>
  </variant>
</variants>
`;

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 }, (err, out, errOut) =>
      err ? reject(new Error(`${cmd}: ${errOut || err.message}`)) : resolve(out),
    ),
  );
}

/** The CLI in a child process whose environment names no server at all. */
function cascade(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
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
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('bin/cascade compose --local', () => {
  let work: string;
  let args: string[];
  let first: { code: number | null; out: string; err: string };
  const output = () => path.join(work, 'out');
  const tasks = () => fs.readdirSync(path.join(output(), '.cascade-local', 'koji', 'tasks')).length;

  before(async () => {
    work = await makeTempDir('compose-local');
    await writeModuleTree(path.join(work, 'tree'), { gitRepos: ['greeting', 'libgreet', 'greeter'] });
    fs.writeFileSync(path.join(work, 'variants.xml'), VARIANTS);
    fs.writeFileSync(path.join(work, 'comps.xml'), COMPS);
    args = [
      'compose',
      '--local',
      '--tree',
      path.join(work, 'tree'),
      '--branch',
      'f29',
      '--variants',
      path.join(work, 'variants.xml'),
      '--comps',
      path.join(work, 'comps.xml'),
      '--release',
      'cascade-29',
      '--type',
      'nightly',
      '--output',
      output(),
    ];
    first = await cascade(args);
  });

  it('builds every stream the variants name, tools on top of greeting, and finishes the compose (exit 0)', () => {
    assert.equal(first.code, 0, first.out + first.err);
    assert.equal(tasks(), TREE_COMPONENTS, 'one rpmbuild task per component');
    const greeting = first.out.indexOf('✔ greeting:f29:');
    assert.ok(greeting >= 0 && greeting < first.out.indexOf('✔ tools:f29:'), first.out);
    for (const phase of [
      'init',
      'pkgset',
      'gather',
      'createrepo',
      'image',
      'image_checksum',
      'test',
      'metadata',
      'publish',
    ])
      assert.match(first.out, new RegExp(`✔ ${phase} done`));
    assert.match(first.out, /cascade-29-\d{8}\.n\.0: FINISHED\n/);
  });

  it('writes a compose productmd loads, with both variants, their modules and the latest link', async () => {
    const latest = path.join(output(), 'latest-cascade-29');
    const check = `
import json, os, sys
import productmd.compose
c = productmd.compose.Compose(sys.argv[1])
root = os.path.join(sys.argv[1], "compose")
missing = [d["path"] for v in c.rpms.rpms.values() for a in v.values() for s in a.values() for d in s.values()
           if not os.path.exists(os.path.join(root, d["path"]))]
print(json.dumps({"id": c.info.compose.id, "type": c.info.compose.type, "variants": sorted(c.info.variants.variants),
  "modules": {v: sorted(n.split(":")[0] for a in arches.values() for n in a) for v, arches in c.modules.modules.items()},
  "images": sum(len(a) for v in c.images.images.values() for a in v.values()), "missing": missing}))
`;
    const loaded = JSON.parse(await run('.venv/bin/python', ['-c', check, latest]));
    assert.equal(loaded.id, fs.readlinkSync(latest));
    assert.equal(loaded.type, 'nightly');
    assert.deepEqual(loaded.variants, ['Notes', 'Server']);
    assert.deepEqual(loaded.modules, { Notes: ['notes'], Server: ['greeting', 'tools'] });
    assert.ok(loaded.images >= 2, `${loaded.images} images`);
    assert.deepEqual(loaded.missing, []);
    assert.equal(fs.readFileSync(path.join(latest, 'STATUS'), 'utf8').trim(), 'FINISHED');
  });

  it('leaves a tree dnf installs a module profile from, with the variant’s own groups in its comps', async () => {
    const repo = path.join(output(), 'latest-cascade-29', 'compose', 'Server', 'x86_64', 'os');
    const root = path.join(work, 'installroot');
    const dnf = (...more: string[]) =>
      run('dnf', [
        '-y',
        '-q',
        `--installroot=${root}`,
        '--setopt=reposdir=/dev/null',
        `--setopt=cachedir=${path.join(work, 'dnf-cache')}`,
        '--setopt=module_platform_id=platform:f29',
        '--releasever=29',
        '--nogpgcheck',
        `--repofrompath=server,${repo}`,
        '--repo=server',
        ...more,
      ]);
    assert.match(await dnf('module', 'list'), /tools\s+f29/);
    await dnf('module', 'install', 'tools:f29/default');
    const installed = await run('rpm', ['--root', root, '-qa', '--qf', '%{NAME}\\n']);
    assert.ok(installed.split('\n').includes('toolbox'), installed);
    const comps = fs
      .readdirSync(path.join(repo, 'repodata'))
      .filter((f) => f.endsWith('.xml') && f.includes('comps'))
      .map((f) => fs.readFileSync(path.join(repo, 'repodata', f), 'utf8'))
      .join('');
    assert.match(comps, /<id>greeting-tools<\/id>/);
    assert.doesNotMatch(comps, /notes-only/);
  });

  it('reuses every module build on a second run over the same tree: no rpmbuild task, a new respin', async () => {
    const second = await cascade(args);
    assert.equal(second.code, 0, second.out + second.err);
    assert.equal(tasks(), TREE_COMPONENTS, 'nothing was rebuilt');
    assert.match(second.out, /component builds: 0 built/);
    assert.match(second.out, /cascade-29-\d{8}\.n\.1: FINISHED\n/);
    assert.match(fs.readlinkSync(path.join(output(), 'latest-cascade-29')), /\.n\.1$/);
  });

  it('names the file and the element of a bad variants.xml, and exits 1 having written nothing', async () => {
    const bad = path.join(work, 'bad-variants.xml');
    fs.writeFileSync(bad, VARIANTS.replace('<arch>x86_64</arch></arches>\n    <groups>', '</arches>\n    <groups>'));
    const out = path.join(work, 'bad-out');
    const run = await cascade([
      ...args.slice(0, args.indexOf('--variants')),
      '--variants',
      bad,
      '--release',
      'cascade-29',
      '--output',
      out,
    ]);
    assert.equal(run.code, 1);
    assert.match(run.err, new RegExp(`--variants ${bad.replace(/[.]/g, '\\.')}: .*Server.*arches`));
    assert.ok(!fs.existsSync(out));
  });
});
