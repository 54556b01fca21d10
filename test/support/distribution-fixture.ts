// A small distribution in dist-git, made by the campaign tests: five modules in three tiers over a
// changed component, each with real spec files, plus one module that depends on nothing that changes.
//
//   tier 0  core:f29   libcore, corehelp          (libcore is the component the tests change)
//   tier 1  tools:f29  toolkit  (BuildRequires libcore)   buildrequires core:f29; tests/smoke.sh
//           lang:f29   interp   (BuildRequires libcore)   buildrequires core:f29
//   tier 2  app:f29    appd     (BuildRequires toolkit)   buildrequires tools:f29
//           docs:f29   docgen   (BuildRequires interp)    buildrequires lang:f29
//   (none)  other:f29  otherpkg                           buildrequires platform only
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { LocalDistGit } from '../../activities/distgit';
import { issueToken, type IssuedToken } from '../../api/identity/tokens';
import { GitPerson, makeTempDir, personEnv } from './git-person';
import { specFile } from './module-fixture';
import type { TestStack } from './stack';

export interface DistributionModule {
  name: string;
  buildrequires: string[];
  components: { name: string; requires?: string; buildorder?: number }[];
}

export const DISTRIBUTION: DistributionModule[] = [
  { name: 'core', buildrequires: [], components: [{ name: 'libcore' }, { name: 'corehelp' }] },
  { name: 'tools', buildrequires: ['core'], components: [{ name: 'toolkit', requires: 'libcore' }] },
  { name: 'lang', buildrequires: ['core'], components: [{ name: 'interp', requires: 'libcore' }] },
  { name: 'app', buildrequires: ['tools'], components: [{ name: 'appd', requires: 'toolkit' }] },
  { name: 'docs', buildrequires: ['lang'], components: [{ name: 'docgen', requires: 'interp' }] },
  { name: 'other', buildrequires: [], components: [{ name: 'otherpkg' }] },
];

export function distributionModulemd(module: DistributionModule, note = ''): string {
  const deps = ['platform: [f29]', ...module.buildrequires.map((b) => `${b}: [f29]`)];
  const components = module.components
    .map(
      (c) =>
        `      ${c.name}:\n        rationale: part of ${module.name}\n        ref: f29\n        buildorder: ${c.buildorder ?? 0}`,
    )
    .join('\n');
  return `document: modulemd
version: 2
data:
  summary: ${module.name} for Cascade's campaign tests
  description: ${module.name}${note ? ` (${note})` : ''}
  license:
    module: [MIT]
  dependencies:
    - buildrequires:
${deps.map((d) => `        ${d}`).join('\n')}
      requires:
${deps.map((d) => `        ${d}`).join('\n')}
  profiles:
    default:
      rpms: [${module.components.map((c) => c.name).join(', ')}]
  components:
    rpms:
${components}
`;
}

/** A module test that CI runs against the installroot: passes only when `ok` is true. */
export function smokeTest(ok: boolean): string {
  return ok
    ? '#!/bin/sh\ntest -f "$CASCADE_INSTALLROOT/usr/share/toolkit/README" || { echo "toolkit is not installed"; exit 1; }\necho "toolkit is installed"\n'
    : '#!/bin/sh\necho "smoke: toolkit answers the wrong greeting"\nexit 1\n';
}

export interface Distribution {
  rpm(name: string): GitPerson;
  module(name: string): GitPerson;
  home: string;
  tick(): number;
}

/**
 * Pushes every component and module repository (the hooks record them and fill the dependency
 * store). `failingSmoke` gives tools a module test that fails in CI; `slow` components take 4 s to build.
 */
export async function createDistribution(
  distGit: LocalDistGit,
  options: { failingSmoke?: boolean; slow?: string[] } = {},
): Promise<Distribution> {
  const home = await makeTempDir('distribution');
  const env = personEnv(home);
  // Each distribution gets commit times of its own: test stacks share one Temporal server, and equal
  // commits would give two stacks' campaigns (whose ids come from the change) the same workflow id.
  let clock = 1_790_000_000 + crypto.randomInt(0, 20_000) * 60;
  const tick = () => (clock += 60);
  const rpms = new Map<string, GitPerson>();
  const modules = new Map<string, GitPerson>();
  for (const module of DISTRIBUTION) {
    for (const c of module.components) {
      await distGit.ensureRepo({ namespace: 'rpms', name: c.name });
      const person = await GitPerson.clone(distGit.repoPath({ namespace: 'rpms', name: c.name }), home, env);
      const build = options.slow?.includes(c.name) ? 'sleep 4' : undefined;
      await person.commit(
        'f29',
        { [`${c.name}.spec`]: specFile(c.name, { requires: c.requires, build }) },
        `${c.name} 1.0`,
        tick(),
      );
      await person.push('f29');
      rpms.set(c.name, person);
    }
  }
  for (const module of DISTRIBUTION) {
    await distGit.ensureRepo({ namespace: 'modules', name: module.name });
    const person = await GitPerson.clone(distGit.repoPath({ namespace: 'modules', name: module.name }), home, env);
    const files: Record<string, string> = { [`${module.name}.yaml`]: distributionModulemd(module) };
    if (module.name === 'tools') files['tests/smoke.sh'] = smokeTest(!options.failingSmoke);
    await person.commit('f29', files, `${module.name} for f29`, tick());
    await person.push('f29');
    modules.set(module.name, person);
  }
  return { rpm: (name) => rpms.get(name)!, module: (name) => modules.get(name)!, home, tick };
}

/** tina maintains modules/tools, bob modules/lang; their tokens. */
export async function distributionMaintainers(stack: TestStack): Promise<{ tina: IssuedToken; bob: IssuedToken }> {
  const tina = await issueToken(stack.db.prisma, { userName: 'tina', role: 'MAINTAINER' });
  const bob = await issueToken(stack.db.prisma, { userName: 'bob', role: 'MAINTAINER' });
  await stack.db.prisma.maintainership.createMany({
    data: [
      { userId: tina.userId, namespace: 'modules', name: 'tools' },
      { userId: bob.userId, namespace: 'modules', name: 'lang' },
    ],
  });
  return { tina, bob };
}

/** The distribution before a campaign: every module built once, in dependency order. Answers name → NSVC. */
export async function prebuildDistribution(stack: TestStack): Promise<Map<string, string>> {
  const built = new Map<string, string>();
  for (const module of DISTRIBUTION) {
    const res = await stack.request('POST', '/api/v1/module-builds', {
      token: stack.adminToken,
      body: { name: module.name, stream: 'f29' },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const outcome = await stack.temporal.workflow.getHandle(res.body.workflowId).result();
    assert.equal(outcome.state, 'ready', outcome.reason);
    built.set(module.name, outcome.nsvc);
  }
  return built;
}
