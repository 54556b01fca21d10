// The compose bench's input: many ready module builds made from small real RPMs. One rpmbuild run
// makes every binary RPM (one spec, a subpackage pair per module: bmNNN and bmNNN-data, which it
// requires), then each module gets its own modulemd and a repository made by writeModuleRepo from
// hard links of its two RPMs and the shared source RPM. Made once under `cacheDir` (a `complete`
// file says so) and reused by later runs that name the same directory.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeModuleRepo } from '../activities/koji/module-repo';

export const BENCH_MODULE_VERSION = '2900020260301000000';
export const BENCH_MODULE_CONTEXT = 'b3nc4000';

export interface BenchModuleBuild {
  name: string;
  stream: string;
  version: string;
  context: string;
  nsvc: string;
  /** the final modulemd (with artifacts), as the store keeps it */
  modulemd: string;
  /** the module's repository, relative to the koji root (modules/<n-s-v-c>) */
  repoPath: string;
}

const run = (cmd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 64 << 20 }, (err, out, errOut) =>
      err ? reject(new Error(`${cmd}: ${errOut || err.message}`)) : resolve(out),
    ),
  );

export const benchModuleName = (i: number) => `bm${String(i).padStart(3, '0')}`;

function spec(count: number): string {
  const parts = [
    'Name: benchpkgs\nVersion: 1.0\nRelease: 1\nSummary: RPMs for the compose bench\nLicense: MIT\nBuildArch: noarch\n',
    '%description\nSmall packages, two per bench module.\n',
  ];
  for (let i = 0; i < count; i++) {
    const n = benchModuleName(i);
    parts.push(`%package -n ${n}\nSummary: ${n}\nRequires: ${n}-data\n%description -n ${n}\n${n}\n`);
    parts.push(`%package -n ${n}-data\nSummary: ${n} data\n%description -n ${n}-data\n${n} data\n`);
    parts.push(`%files -n ${n}\n/usr/share/${n}/README\n%files -n ${n}-data\n/usr/share/${n}/data\n`);
  }
  parts.push(
    `%install\nfor n in ${Array.from({ length: count }, (_, i) => benchModuleName(i)).join(' ')}; do\n` +
      '  mkdir -p %{buildroot}/usr/share/$n\n  echo "$n" > %{buildroot}/usr/share/$n/README\n' +
      '  echo "$n data" > %{buildroot}/usr/share/$n/data\ndone\n',
  );
  return parts.join('\n');
}

function modulemd(name: string): string {
  return `document: modulemd
version: 2
data:
  name: ${name}
  stream: "1"
  version: ${BENCH_MODULE_VERSION}
  context: ${BENCH_MODULE_CONTEXT}
  summary: ${name} for the compose bench
  description: ${name} for the compose bench
  license:
    module: [MIT]
  dependencies:
    - buildrequires:
        platform: [f29]
      requires:
        platform: [f29]
  profiles:
    default:
      rpms: [${name}]
  components:
    rpms:
      benchpkgs:
        rationale: the bench's packages
        ref: f29
`;
}

/** Runs `work` over `items`, `limit` at a time. */
async function inPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** The `count` module builds under cacheDir (made now unless a complete earlier run left them). */
export async function benchModuleBuilds(cacheDir: string, count: number): Promise<BenchModuleBuild[]> {
  const complete = path.join(cacheDir, 'complete.json');
  if (fs.existsSync(complete)) {
    const builds = JSON.parse(fs.readFileSync(complete, 'utf8')) as BenchModuleBuild[];
    if (builds.length === count) return builds;
  }
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const top = path.join(cacheDir, 'rpmbuild');
  fs.mkdirSync(path.join(top, 'SPECS'), { recursive: true });
  const specPath = path.join(top, 'SPECS', 'benchpkgs.spec');
  fs.writeFileSync(specPath, spec(count));
  await run('rpmbuild', ['-ba', '--quiet', '--define', `_topdir ${top}`, specPath]);
  const srpm = path.join(top, 'SRPMS', 'benchpkgs-1.0-1.src.rpm');
  const rpmDir = path.join(top, 'RPMS', 'noarch');

  const builds: BenchModuleBuild[] = [];
  await inPool(
    Array.from({ length: count }, (_, i) => i),
    4,
    async (i) => {
      const name = benchModuleName(i);
      const buildDir = path.join(cacheDir, 'builds', name);
      fs.mkdirSync(buildDir, { recursive: true });
      for (const file of [`${name}-1.0-1.noarch.rpm`, `${name}-data-1.0-1.noarch.rpm`])
        fs.linkSync(path.join(rpmDir, file), path.join(buildDir, file));
      fs.linkSync(srpm, path.join(buildDir, path.basename(srpm)));
      const nsvc = `${name}:1:${BENCH_MODULE_VERSION}:${BENCH_MODULE_CONTEXT}`;
      const repoPath = path.join('modules', nsvc.replace(/:/g, '-'));
      const repo = await writeModuleRepo({
        dir: path.join(cacheDir, 'koji', repoPath),
        modulemd: modulemd(name),
        buildDirs: [buildDir],
      });
      builds[i] = {
        name,
        stream: '1',
        version: BENCH_MODULE_VERSION,
        context: BENCH_MODULE_CONTEXT,
        nsvc,
        modulemd: repo.modulemd,
        repoPath,
      };
    },
  );
  fs.writeFileSync(complete, JSON.stringify(builds));
  return builds;
}
