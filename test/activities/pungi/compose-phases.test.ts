// The compose phases in order on real module builds (rpmbuild, createrepo_c, modifyrepo_c, dnf,
// xorriso), checked the way a user and productmd would see the result.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import {
  allocateComposeId,
  createrepoPhase,
  diffPhase,
  gatherPhase,
  imageChecksumPhase,
  imagePhase,
  initPhase,
  metadataPhase,
  publishPhase,
  readComposeDiff,
  testPhase,
} from '../../../activities/pungi';
import type { ComposeRequest, ReadyModuleBuild } from '../../../domain/compose';
import { createComposeFixture, type ComposeFixture } from '../../support/compose-fixture';

const run = (cmd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 64 << 20 }, (err, out, errOut) =>
      err ? reject(new Error(`${err.message}\n${errOut}\n${out}`)) : resolve(out),
    ),
  );

interface Composed {
  composeDir: string;
  composeId: string;
  reused: boolean[];
  verdicts: Record<string, { passed: boolean; reason: string | null }>;
}

/** Runs every phase as the orchestration would: the variants that fail validation are left out. */
async function compose(
  fx: ComposeFixture,
  topdir: string,
  request: ComposeRequest,
  builds: Record<string, ReadyModuleBuild[]>,
  previous?: string,
): Promise<Composed> {
  const composeId = allocateComposeId({ topdir, request });
  const { composeDir } = await initPhase({ topdir, composeId, request });
  const cacheDir = path.join(fx.scratch, 'dnf-cache', composeId);
  const reused: boolean[] = [];
  for (const v of request.variants) {
    await gatherPhase({
      composeDir,
      variant: v.uid,
      builds: builds[v.uid] ?? [],
      nonModularRepos: v.uid === 'Server' ? [fx.plainRepo] : [],
    });
    for (const arch of v.arches)
      reused.push(
        (await createrepoPhase({ composeDir, variant: v.uid, arch, compsPath: fx.comps, previousComposeDir: previous }))
          .reused,
      );
  }
  for (const v of request.variants)
    for (const arch of v.arches)
      await imagePhase({ composeDir, variant: v.uid, arch, cacheDir, previousComposeDir: previous });
  await imageChecksumPhase({ composeDir, variants: request.variants.map((v) => v.uid) });
  const verdicts: Composed['verdicts'] = {};
  for (const v of request.variants)
    verdicts[v.uid] = await testPhase({ composeDir, variant: v.uid, cacheDir, previousComposeDir: previous });
  const shipped = request.variants.filter((v) => verdicts[v.uid]!.passed).map((v) => v.uid);
  await metadataPhase({
    composeDir,
    status: shipped.length === request.variants.length ? 'FINISHED' : 'FINISHED_INCOMPLETE',
    variants: shipped,
  });
  return { composeDir, composeId, reused, verdicts };
}

describe('the compose phases', () => {
  let fx: ComposeFixture;
  let first: Composed;
  let topdir: string;
  let mirror: string;
  before(async () => {
    fx = await createComposeFixture();
    topdir = path.join(fx.scratch, 'composes');
    mirror = path.join(fx.scratch, 'mirror');
    first = await compose(fx, topdir, fx.request('20260301'), {
      Server: [fx.builds.greeting, fx.builds.tools],
      Extras: [fx.builds.broken],
    });
  });

  it('fail the variant whose repo is not closed, with its reason, and pass the other', () => {
    assert.equal(first.verdicts.Server!.passed, true, first.verdicts.Server!.reason ?? '');
    assert.equal(first.verdicts.Extras!.passed, false);
    assert.match(
      first.verdicts.Extras!.reason!,
      /compose\.repoclosure .*Extras\/x86_64: unresolved dependencies: needy-1\.0-1\.module_f29\+3\+cccc3333\.noarch requires nothing-provides-this/,
    );
    assert.equal(fs.readFileSync(path.join(first.composeDir, 'STATUS'), 'utf8').trim(), 'FINISHED_INCOMPLETE');
    assert.ok(
      !fs.existsSync(path.join(first.composeDir, 'compose', 'Extras')),
      'the failed variant is left out of the tree',
    );
  });

  it('write metadata productmd loads, agreeing with the RPMs and images on disk', async () => {
    const check = `
import hashlib, json, os, sys
import productmd.compose
c = productmd.compose.Compose(sys.argv[1])
root = os.path.join(sys.argv[1], "compose")
out = {"id": c.info.compose.id, "status": open(os.path.join(sys.argv[1], "STATUS")).read().strip(),
       "variants": sorted(c.info.variants.variants), "missing": [], "badImages": [], "rpms": 0, "images": 0,
       "modules": sorted(n for v in c.modules.modules.values() for a in v.values() for n in a),
       "srpmsUnderArch": sorted(s for v in c.rpms.rpms.values() for a in v.values() for s in a)}
for variant in c.rpms.rpms.values():
    for arch in variant.values():
        for srpm in arch.values():
            for nevra, data in srpm.items():
                out["rpms"] += 1
                if not os.path.exists(os.path.join(root, data["path"])): out["missing"].append(data["path"])
for variant in c.images.images.values():
    for arch in variant.values():
        for image in arch:
            out["images"] += 1
            path = os.path.join(root, image.path)
            digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
            if os.path.getsize(path) != image.size or digest != image.checksums["sha256"]: out["badImages"].append(image.path)
print(json.dumps(out))
`;
    const loaded = JSON.parse(await run('.venv/bin/python', ['-c', check, first.composeDir]));
    assert.equal(loaded.id, first.composeId);
    assert.equal(loaded.status, 'FINISHED_INCOMPLETE');
    assert.deepEqual(loaded.variants, ['Server']);
    assert.deepEqual(loaded.modules, [
      'greeting:f29:2900020260301000000:aaaa1111',
      'tools:1:2900020260301000000:bbbb2222',
    ]);
    assert.deepEqual(loaded.missing, []);
    assert.deepEqual(loaded.badImages, []);
    assert.equal(loaded.images, 2, 'an ISO and a rootfs tarball');
    // libgreet 1.0-0 from the plain repo is shadowed by greeting's libgreet: 4 binaries and their 4 sources
    assert.equal(loaded.rpms, 8);
    assert.ok(loaded.srpmsUnderArch.includes('plainpkg-0:1.0-1.src'));
    const sums = fs.readFileSync(path.join(first.composeDir, 'compose/Server/x86_64/iso/SHA256SUM'), 'utf8');
    assert.match(sums, /^SHA256 \(cascade-29-20260301\.n\.0-Server-x86_64-dvd\.iso\) = [0-9a-f]{64}\n$/);
  });

  it('publish a tree dnf lists the module from and installs a profile from, with the groups in its comps', async () => {
    const published = await publishPhase({ composeDir: first.composeDir, mirrorRoot: mirror, keep: 2 });
    assert.equal(fs.readlinkSync(published.latestLink), first.composeId);
    const repo = path.join(mirror, 'latest-cascade-29', 'compose', 'Server', 'x86_64', 'os');
    const root = path.join(fx.scratch, 'installroot');
    fs.mkdirSync(root);
    const dnf = [
      '-y',
      `--installroot=${root}`,
      '--releasever=29',
      '--setopt=module_platform_id=platform:f29',
      '--setopt=reposdir=/dev/null',
      `--setopt=cachedir=${path.join(fx.scratch, 'user-cache')}`,
      '--nogpgcheck',
      `--repofrompath=server,${repo}`,
      '--repo=server',
    ];
    assert.match(await run('dnf', [...dnf, 'module', 'list']), /greeting\s+f29 \[d\]/);
    await run('dnf', [...dnf, 'module', 'install', 'greeting:f29/default']);
    const installed = (await run('rpm', ['--root', root, '-qa', '--qf', '%{NAME}\\n']))
      .split('\n')
      .filter(Boolean)
      .sort();
    assert.deepEqual(installed, ['greeter', 'libgreet']);
    assert.match(await run('dnf', [...dnf, 'group', 'list', '--hidden']), /Greeting tools/);
  });

  it('reuse the repos of an unchanged compose, and say what changed when a module moves on', async () => {
    const request = fx.request(
      '20260301',
      fx.request('20260301').variants.filter((v) => v.uid === 'Server'),
    );
    const second = await compose(
      fx,
      topdir,
      request,
      { Server: [fx.builds.greeting, fx.builds.tools] },
      first.composeDir,
    );
    assert.equal(second.composeId, 'cascade-29-20260301.n.1');
    assert.deepEqual(second.reused, [true]);
    // its images and the validation of its unchanged repos are taken over too; checksums checked again
    const read = (dir: string, rel: string) => JSON.parse(fs.readFileSync(path.join(dir, rel), 'utf8'));
    const images = read(second.composeDir, 'work/x86_64/images/Server.json');
    assert.equal(images.reusedFrom, first.composeId);
    assert.ok(images.images.every((i: { path: string }) => path.basename(i.path).startsWith(second.composeId)));
    const results: { testcase: string; item: string; outcome: string; data: { reusedFrom?: string } }[] = read(
      second.composeDir,
      'work/global/test/Server.json',
    );
    for (const r of results.filter((q) => q.testcase !== 'compose.image-checksums')) {
      assert.equal(r.data.reusedFrom, first.composeId, r.item);
      assert.ok(r.item.startsWith(`${second.composeId}/Server/`), r.item);
    }
    assert.equal(results.find((r) => r.testcase === 'compose.image-checksums')?.outcome, 'PASSED');
    assert.equal(second.verdicts.Server!.passed, true);
    const third = await compose(
      fx,
      topdir,
      request,
      { Server: [await fx.newerGreeting(), fx.builds.tools] },
      second.composeDir,
    );
    assert.deepEqual(third.reused, [false]);
    assert.equal(read(third.composeDir, 'work/x86_64/images/Server.json').reusedFrom, undefined);
    const diff = await diffPhase({ composeDir: third.composeDir, previousComposeDir: second.composeDir });
    assert.equal(diff.summary.variants.Server!.modulesUpgraded, 1);
    const full = readComposeDiff(diff.changesFile);
    const server = full.variants.find((v) => v.variant === 'Server')!;
    assert.deepEqual(
      server.modules.upgraded.map((c) => c.to),
      ['greeting:f29:2900020260302000000:aaaa1111'],
    );
    assert.deepEqual(
      server.rpms.upgraded.map((c) => c.key),
      ['greeter.noarch', 'greeter.src'],
    );
    assert.deepEqual([...server.rpms.added, ...server.rpms.removed], []);

    // publishing a compose whose image no longer matches its checksum fails and leaves latest alone
    const iso = path.join(third.composeDir, 'compose/Server/x86_64/iso', `${third.composeId}-Server-x86_64-dvd.iso`);
    const good = fs.readFileSync(iso);
    fs.writeFileSync(
      iso,
      Buffer.concat([good.subarray(0, good.length - 1), Buffer.from([good[good.length - 1]! ^ 1])]),
    );
    await assert.rejects(
      publishPhase({ composeDir: third.composeDir, mirrorRoot: mirror, keep: 2 }),
      /latest is unchanged: .*does not match its SHA256SUM/,
    );
    assert.equal(fs.readlinkSync(path.join(mirror, 'latest-cascade-29')), first.composeId);
    assert.deepEqual(fs.readdirSync(mirror).sort(), [first.composeId, 'latest-cascade-29']);
    fs.writeFileSync(iso, good);

    // then it publishes, and only the newest two composes stay
    await publishPhase({ composeDir: second.composeDir, mirrorRoot: mirror, keep: 2 });
    const last = await publishPhase({ composeDir: third.composeDir, mirrorRoot: mirror, keep: 2 });
    assert.deepEqual(last.removed, [first.composeId]);
    assert.equal(fs.readlinkSync(last.latestLink), third.composeId);
  });

  it('refuse to publish a compose that has not finished', async () => {
    const request = fx.request('20260302');
    const composeId = allocateComposeId({ topdir, request });
    const { composeDir } = await initPhase({ topdir, composeId, request });
    await assert.rejects(
      publishPhase({ composeDir, mirrorRoot: mirror, keep: 2 }),
      /is STARTED: only FINISHED or FINISHED_INCOMPLETE/,
    );
    assert.ok(!fs.existsSync(path.join(mirror, composeId)));
    assert.equal((await initPhase({ topdir, composeId, request })).created, false, 'init again is a no-op');
  });

  it('never change a finished compose', async () => {
    await assert.rejects(
      gatherPhase({ composeDir: first.composeDir, variant: 'Server', builds: [fx.builds.greeting] }),
      /is FINISHED_INCOMPLETE: it is never changed again/,
    );
    const again = await metadataPhase({
      composeDir: first.composeDir,
      status: 'FINISHED',
      variants: ['Server', 'Extras'],
    });
    assert.equal(again.status, 'FINISHED_INCOMPLETE');
  });
});
