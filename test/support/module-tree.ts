// A tree in the layout `cascade import tree` and `cascade compose --local` read, made by the tests:
// greeting:f29 (libgreet, then greeter on top of it), tools:f29 (toolbox, built on greeting:f29) and
// notes:f29 (memo). Plain directories, except those named in `gitRepos`, which become git repositories
// with a fixed commit time (so two trees made alike hold the same commits).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { greetingModulemd, specFile } from './module-fixture';

function moduleDocument(options: {
  summary: string;
  buildrequires: Record<string, string>;
  profile: string[];
  components: { name: string; buildorder?: number }[];
}): string {
  const deps = Object.entries(options.buildrequires)
    .map(([m, s]) => `        ${m}: [${s}]`)
    .join('\n');
  const components = options.components
    .map(
      (c) =>
        `      ${c.name}:\n        rationale: part of it\n        ref: f29\n        buildorder: ${c.buildorder ?? 1}`,
    )
    .join('\n');
  return `document: modulemd
version: 2
data:
  summary: ${options.summary}
  description: ${options.summary}, for the tests
  license:
    module: [MIT]
  dependencies:
    - buildrequires:
${deps}
      requires:
        platform: [f29]
  profiles:
    default:
      rpms: [${options.profile.join(', ')}]
  components:
    rpms:
${components}
`;
}

/** toolbox needs greeter to build, not to run: tools:f29 buildrequires greeting:f29. */
function toolboxSpec(): string {
  return specFile('toolbox').replace('%description', 'BuildRequires: greeter\n\n%description');
}

export const TREE_MODULES = {
  greeting: { components: ['libgreet', 'extras', 'greeter'], profile: 'greeter' },
  tools: { components: ['toolbox'], profile: 'toolbox' },
  notes: { components: ['memo'], profile: 'memo' },
} as const;

/** The tree's comps: a group for Server's greeters and tools, and one only the Notes variant holds. */
export const TREE_COMPS_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
<comps>
  <group>
    <id>greeting-tools</id>
    <name>Greeting tools</name>
    <description>Greeters and their tools</description>
    <default>true</default>
    <uservisible>true</uservisible>
    <packagelist>
      <packagereq type="mandatory">greeter</packagereq>
      <packagereq type="default">toolbox</packagereq>
    </packagelist>
  </group>
  <group>
    <id>notes-only</id>
    <name>Notes only</name>
    <description>Not in Server</description>
    <packagelist><packagereq type="mandatory">memo</packagereq></packagelist>
  </group>
</comps>
`;

export const TREE_COMPONENTS = 5;

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  const env = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: cwd,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Tree Maker',
    GIT_AUTHOR_EMAIL: 'tree@example.org',
    GIT_COMMITTER_NAME: 'Tree Maker',
    GIT_COMMITTER_EMAIL: 'tree@example.org',
    GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z',
    GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z',
  };
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { cwd, env }, (err, _out, errOut) =>
      err ? reject(new Error(errOut || err.message)) : resolve(),
    ),
  );
}

export async function writeModuleTree(dir: string, options: { gitRepos?: string[]; branch?: string } = {}) {
  const files: Record<string, Record<string, string>> = {
    'modules/greeting': { 'greeting.yaml': greetingModulemd() },
    'modules/tools': {
      'tools.yaml': moduleDocument({
        summary: 'Tools',
        buildrequires: { platform: 'f29', greeting: 'f29' },
        profile: ['toolbox'],
        components: [{ name: 'toolbox' }],
      }),
    },
    'modules/notes': {
      'notes.yaml': moduleDocument({
        summary: 'Notes',
        buildrequires: { platform: 'f29' },
        profile: ['memo'],
        components: [{ name: 'memo' }],
      }),
    },
    'rpms/libgreet': { 'libgreet.spec': specFile('libgreet') },
    'rpms/extras': { 'extras.spec': specFile('extras') },
    'rpms/greeter': { 'greeter.spec': specFile('greeter', { requires: 'libgreet' }) },
    'rpms/toolbox': { 'toolbox.spec': toolboxSpec() },
    'rpms/memo': { 'memo.spec': specFile('memo') },
  };
  for (const [repo, content] of Object.entries(files)) {
    const repoDir = path.join(dir, repo);
    fs.mkdirSync(repoDir, { recursive: true });
    for (const [name, text] of Object.entries(content)) fs.writeFileSync(path.join(repoDir, name), text);
    if (!options.gitRepos?.includes(path.basename(repo))) continue;
    await run('git', ['init', '--quiet', `--initial-branch=${options.branch ?? 'f29'}`], repoDir);
    await run('git', ['add', '--all'], repoDir);
    await run('git', ['commit', '--quiet', '-m', `${repo}`], repoDir);
  }
}
