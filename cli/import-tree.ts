// `cascade import tree DIR`: loads a set of dist-git repositories into the embedded dist-git.
// DIR/rpms/<name> and DIR/modules/<name> are git repositories (every branch is pushed) or plain
// directories (committed as one commit on --branch). Pushing goes through the repositories' own
// hooks, so branch history and the dependency store fill exactly as for a person's push.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiClient } from './api-client';

const NAMESPACES = ['rpms', 'modules'] as const;

function git(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('git', args, { ...options, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`git ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(stdout),
    ),
  );
}

function isGitRepository(dir: string): 'work-tree' | 'bare' | undefined {
  if (fs.existsSync(path.join(dir, '.git'))) return 'work-tree';
  if (fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects'))) return 'bare';
  return undefined;
}

export interface TreeImportReport {
  repositories: number;
  pushed: { namespace: string; name: string; branches: number }[];
}

export async function importTree(
  api: ApiClient,
  dir: string,
  options: { branch: string; identity: string },
): Promise<TreeImportReport> {
  const report: TreeImportReport = { repositories: 0, pushed: [] };
  const found = NAMESPACES.flatMap((namespace) => {
    const nsDir = path.join(dir, namespace);
    if (!fs.existsSync(nsDir)) return [];
    return fs
      .readdirSync(nsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => ({ namespace, name: e.name.replace(/\.git$/, ''), source: path.join(nsDir, e.name) }));
  });
  if (found.length === 0) throw new Error(`${dir}: no rpms/<name> or modules/<name> directories`);
  // A person's identity for commits made of plain directories, and the pusher the hook reports.
  const env = {
    ...process.env,
    GL_USER: options.identity,
    GIT_AUTHOR_NAME: options.identity,
    GIT_AUTHOR_EMAIL: `${options.identity}@localhost`,
    GIT_COMMITTER_NAME: options.identity,
    GIT_COMMITTER_EMAIL: `${options.identity}@localhost`,
  };
  for (const { namespace, name, source } of found) {
    const repo = await api.request<{ pushUrl: string }>('POST', '/api/v1/repos', { namespace, name });
    const kind = isGitRepository(source);
    let gitDir: string;
    let scratch: string | undefined;
    if (kind === 'bare') gitDir = source;
    else if (kind === 'work-tree') gitDir = path.join(source, '.git');
    else {
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-import-'));
      gitDir = path.join(scratch, 'repo.git');
      await git(['init', '--quiet', '--bare', '--initial-branch', options.branch, gitDir], { env });
      await git(['--git-dir', gitDir, '--work-tree', source, 'add', '--all', '.'], { env });
      await git(
        ['--git-dir', gitDir, '--work-tree', source, 'commit', '--quiet', '-m', `import ${namespace}/${name}`],
        { env },
      );
    }
    try {
      const branches = (await git(['--git-dir', gitDir, 'for-each-ref', '--format=%(refname)', 'refs/heads/'], { env }))
        .split('\n')
        .filter(Boolean);
      if (branches.length > 0)
        await git(['--git-dir', gitDir, 'push', '--quiet', repo.pushUrl, 'refs/heads/*:refs/heads/*'], { env });
      report.pushed.push({ namespace, name, branches: branches.length });
      report.repositories += 1;
    } finally {
      if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  return report;
}
