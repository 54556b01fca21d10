// A small module in dist-git, made by the tests: greeting:f29 with two batches from real spec files.
// Batch 1: libgreet and extras; batch 2: greeter, which BuildRequires (and Requires) libgreet.
import type { LocalDistGit } from '../../activities/distgit';
import { GitPerson, makeTempDir, personEnv } from './git-person';

export function specFile(name: string, opts: { requires?: string; build?: string; note?: string } = {}): string {
  return `Name: ${name}
Version: 1.0
Release: 1%{?dist}
Summary: ${name} for Cascade's tests
License: MIT
BuildArch: noarch
${opts.requires ? `BuildRequires: ${opts.requires}\nRequires: ${opts.requires}\n` : ''}
%description
${name} ${opts.note ?? ''}

%build
${opts.build ?? 'true'}

%install
mkdir -p %{buildroot}/usr/share/${name}
echo '${name} ${opts.note ?? ''}' > %{buildroot}/usr/share/${name}/README

%files
/usr/share/${name}/README
`;
}

export function greetingModulemd(note = ''): string {
  return `document: modulemd
version: 2
data:
  summary: Greetings
  description: A two-batch module for the tests${note ? ` (${note})` : ''}
  license:
    module: [MIT]
  dependencies:
    - buildrequires:
        platform: [f29]
      requires:
        platform: [f29]
  profiles:
    default:
      rpms: [greeter]
  components:
    rpms:
      libgreet:
        rationale: the library
        ref: f29
        buildorder: 1
      extras:
        rationale: extra data
        ref: f29
        buildorder: 1
      greeter:
        rationale: the program
        ref: f29
        buildorder: 2
`;
}

export interface GreetingRepos {
  rpm(name: 'libgreet' | 'extras' | 'greeter'): GitPerson;
  module: GitPerson;
  /** a commit time that moves forward by a minute per commit, so module versions differ */
  tick(): number;
}

export async function createGreetingModule(
  distGit: LocalDistGit,
  options: { slow?: string[]; slowSeconds?: number } = {},
): Promise<GreetingRepos> {
  const home = await makeTempDir('greeting');
  const env = personEnv(home);
  let clock = 1_790_000_000;
  const tick = () => (clock += 60);
  const people: Record<string, GitPerson> = {};
  for (const name of ['libgreet', 'extras', 'greeter'] as const) {
    await distGit.ensureRepo({ namespace: 'rpms', name });
    const person = await GitPerson.clone(distGit.repoPath({ namespace: 'rpms', name }), home, env);
    const build = options.slow?.includes(name) ? `sleep ${options.slowSeconds ?? 4}` : undefined;
    await person.commit(
      'f29',
      { [`${name}.spec`]: specFile(name, { requires: name === 'greeter' ? 'libgreet' : undefined, build }) },
      `${name} 1.0`,
      tick(),
    );
    await person.push('f29');
    people[name] = person;
  }
  await distGit.ensureRepo({ namespace: 'modules', name: 'greeting' });
  const module = await GitPerson.clone(distGit.repoPath({ namespace: 'modules', name: 'greeting' }), home, env);
  await module.commit('f29', { 'greeting.yaml': greetingModulemd() }, 'greeting for f29', tick());
  await module.push('f29');
  return { rpm: (name) => people[name]!, module, tick };
}

/** `dnf module install SPEC` into an empty installroot from one module repository, as a person would. */
export async function dnfModuleInstall(options: {
  root: string;
  cacheDir: string;
  repoDir: string;
  spec: string;
}): Promise<void> {
  const { execFile } = await import('node:child_process');
  const args = [
    '-y',
    '-q',
    'module',
    'install',
    '--setopt=module_platform_id=platform:f29',
    '--setopt=reposdir=/dev/null',
    `--setopt=cachedir=${options.cacheDir}`,
    `--installroot=${options.root}`,
    '--releasever=29',
    `--repofrompath=module,${options.repoDir}`,
    '--repo=module',
    '--nogpgcheck',
    options.spec,
  ];
  await new Promise<void>((resolve, reject) =>
    execFile('dnf', args, (err, _out, errOut) => (err ? reject(new Error(errOut || err.message)) : resolve())),
  );
}
