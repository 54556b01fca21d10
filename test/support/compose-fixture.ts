// Ready module builds for the compose tests, made once per test file with real rpmbuild and
// writeModuleRepo: greeting:f29 (libgreet, greeter requiring libgreet), tools:1 (hammer), broken:1
// (needy, which requires a package nothing provides), and a non-modular repo with an older libgreet
// (shadowed by greeting's) and plainpkg.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ComposeRequest, ReadyModuleBuild } from '../../domain/compose';
import { writeModuleRepo } from '../../activities/koji/module-repo';
import { makeTempDir } from './git-person';
import { specFile } from './module-fixture';

const run = (cmd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, (err, out, errOut) => (err ? reject(new Error(errOut || err.message)) : resolve(out))),
  );

async function rpmbuild(scratch: string, name: string, opts: { requires?: string; release?: string; dist?: string }) {
  const top = path.join(scratch, 'rpmbuild', name);
  fs.mkdirSync(path.join(top, 'SPECS'), { recursive: true });
  let spec = specFile(name, { note: opts.dist ?? 'plain' });
  if (opts.requires) spec = spec.replace('License: MIT\n', `License: MIT\nRequires: ${opts.requires}\n`);
  if (opts.release) spec = spec.replace('Release: 1%{?dist}', `Release: ${opts.release}%{?dist}`);
  const specPath = path.join(top, 'SPECS', `${name}.spec`);
  fs.writeFileSync(specPath, spec);
  const dist = opts.dist ? ['--define', `dist ${opts.dist}`] : ['--undefine', 'dist'];
  await run('rpmbuild', ['-ba', '--quiet', '--define', `_topdir ${top}`, ...dist, specPath]);
  return [path.join(top, 'RPMS', 'noarch'), path.join(top, 'SRPMS')].flatMap((d) =>
    fs.readdirSync(d).map((f) => path.join(d, f)),
  );
}

function modulemd(
  name: string,
  stream: string,
  version: string,
  context: string,
  rpms: Record<string, string>,
  profile: string[],
) {
  return `document: modulemd
version: 2
data:
  name: ${name}
  stream: "${stream}"
  version: ${version}
  context: ${context}
  summary: ${name} for the compose tests
  description: ${name} for the compose tests
  license:
    module: [MIT]
  dependencies:
    - buildrequires:
        platform: [f29]
      requires:
        platform: [f29]
  profiles:
    default:
      rpms: [${profile.join(', ')}]
  components:
    rpms:
${Object.entries(rpms)
  .map(([rpm, ref]) => `      ${rpm}:\n        rationale: part of ${name}\n        ref: ${ref}\n`)
  .join('')}`;
}

export interface ComposeFixture {
  scratch: string;
  builds: Record<'greeting' | 'tools' | 'broken', ReadyModuleBuild>;
  /** non-modular RPMs: libgreet 0.9 (shadowed by greeting's) and plainpkg */
  plainRepo: string;
  comps: string;
  request(date: string, variants?: ComposeRequest['variants']): ComposeRequest;
  /** a newer build of greeting:f29 (greeter 1.0-2), for "what changed" */
  newerGreeting(): Promise<ReadyModuleBuild>;
}

async function moduleBuild(
  scratch: string,
  name: string,
  stream: string,
  version: string,
  context: string,
  files: string[],
  profile: string[],
): Promise<ReadyModuleBuild> {
  const buildDir = path.join(scratch, 'builds', `${name}-${version}`);
  fs.mkdirSync(buildDir, { recursive: true });
  for (const f of files) fs.copyFileSync(f, path.join(buildDir, path.basename(f)));
  const components = Object.fromEntries(
    files.filter((f) => f.endsWith('.src.rpm')).map((f) => [path.basename(f).replace(/-1\.0-.*$/, ''), 'f29']),
  );
  const repo = await writeModuleRepo({
    dir: path.join(scratch, 'repos', `${name}-${stream}-${version}`),
    modulemd: modulemd(name, stream, version, context, components, profile),
    buildDirs: [buildDir],
  });
  const modulemdPath = path.join(scratch, 'repos', `${name}-${stream}-${version}.modulemd.yaml`);
  fs.writeFileSync(modulemdPath, repo.modulemd);
  return {
    nsvc: `${name}:${stream}:${version}:${context}`,
    name,
    stream,
    version,
    context,
    repoDir: repo.dir,
    modulemdPath,
  };
}

export async function createComposeFixture(): Promise<ComposeFixture> {
  const scratch = await makeTempDir('compose');
  const dist = (n: number, c: string) => `.module_f29+${n}+${c}`;
  const greetingFiles = [
    ...(await rpmbuild(scratch, 'libgreet', { dist: dist(1, 'aaaa1111') })),
    ...(await rpmbuild(scratch, 'greeter', { dist: dist(1, 'aaaa1111'), requires: 'libgreet' })),
  ];
  const toolsFiles = await rpmbuild(scratch, 'hammer', { dist: dist(2, 'bbbb2222') });
  const brokenFiles = await rpmbuild(scratch, 'needy', {
    dist: dist(3, 'cccc3333'),
    requires: 'nothing-provides-this',
  });
  const plainRepo = path.join(scratch, 'plain');
  fs.mkdirSync(plainRepo);
  for (const f of [
    ...(await rpmbuild(scratch, 'plainpkg', {})),
    ...(await rpmbuild(path.join(scratch, 'old'), 'libgreet', { release: '0' })),
  ])
    fs.copyFileSync(f, path.join(plainRepo, path.basename(f)));
  const builds = {
    greeting: await moduleBuild(scratch, 'greeting', 'f29', '2900020260301000000', 'aaaa1111', greetingFiles, [
      'greeter',
    ]),
    tools: await moduleBuild(scratch, 'tools', '1', '2900020260301000000', 'bbbb2222', toolsFiles, ['hammer']),
    broken: await moduleBuild(scratch, 'broken', '1', '2900020260301000000', 'cccc3333', brokenFiles, ['needy']),
  };
  const comps = path.join(scratch, 'comps.xml');
  fs.writeFileSync(
    comps,
    `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
<comps>
  <group>
    <id>greeting-tools</id>
    <name>Greeting tools</name>
    <description>Things that greet</description>
    <default>true</default>
    <uservisible>true</uservisible>
    <packagelist>
      <packagereq type="mandatory">greeter</packagereq>
      <packagereq type="default">hammer</packagereq>
    </packagelist>
  </group>
</comps>
`,
  );
  return {
    scratch,
    builds,
    plainRepo,
    comps,
    request: (date, variants) => ({
      release: { short: 'cascade', version: '29', name: 'Cascade' },
      type: 'nightly',
      date,
      platformStream: 'f29',
      variants: variants ?? [
        {
          uid: 'Server',
          name: 'Server',
          type: 'variant',
          arches: ['x86_64'],
          modules: [
            { name: 'greeting', stream: 'f29', profile: 'default' },
            { name: 'tools', stream: '1' },
          ],
          groups: ['greeting-tools'],
        },
        {
          uid: 'Extras',
          name: 'Extras',
          type: 'addon',
          arches: ['x86_64'],
          modules: [{ name: 'broken', stream: '1' }],
          groups: [],
          parent: 'Server',
        },
      ],
    }),
    newerGreeting: async () => {
      const files = [
        ...greetingFiles.filter((f) => path.basename(f).startsWith('libgreet')),
        ...(await rpmbuild(path.join(scratch, 'newer'), 'greeter', {
          dist: dist(4, 'aaaa1111'),
          requires: 'libgreet',
          release: '2',
        })),
      ];
      return moduleBuild(scratch, 'greeting', 'f29', '2900020260302000000', 'aaaa1111', files, ['greeter']);
    },
  };
}
