// A tree in the layout `cascade import tree` reads (DIR/rpms/<name>, DIR/modules/<name>) brought into
// a LocalDistGit directly, with no API and no hooks: for `cascade compose --local`, which then reads
// every module and component through the same DistGit interface the workers use. A git repository's
// branches are fetched as they are; a plain directory becomes one commit on `branch`, and a new commit
// only when its content changed, so a second run sees the same commits (and reuses every build).
import fs from 'node:fs';
import path from 'node:path';
import { namespaces, type Namespace, type RepoId } from './dist-git';
import { createGitProgram, type GitProgram } from './git-program';
import type { LocalDistGit } from './local-dist-git';

export interface TreeRepository extends RepoId {
  source: string;
  kind: 'work-tree' | 'bare' | 'plain';
}

export interface TreeImportResult {
  repositories: (TreeRepository & { branches: number; committed: boolean })[];
}

function repositoryKind(dir: string): TreeRepository['kind'] {
  if (fs.existsSync(path.join(dir, '.git'))) return 'work-tree';
  if (fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects'))) return 'bare';
  return 'plain';
}

/** The repositories a tree holds; a tree with none is refused, naming the directory. */
export function listTreeRepositories(dir: string): TreeRepository[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`--tree ${dir}: not a directory`);
  const found = namespaces.flatMap((namespace: Namespace) => {
    const nsDir = path.join(dir, namespace);
    if (!fs.existsSync(nsDir)) return [];
    return fs
      .readdirSync(nsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => {
        const source = path.join(nsDir, e.name);
        return { namespace, name: e.name.replace(/\.git$/, ''), source, kind: repositoryKind(source) };
      });
  });
  if (found.length === 0) throw new Error(`--tree ${dir}: no rpms/<name> or modules/<name> directories`);
  return found.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

const identity = 'cascade-local';
const importGit = () =>
  createGitProgram({
    defaultTimeoutMs: 600_000,
    env: {
      GIT_AUTHOR_NAME: identity,
      GIT_AUTHOR_EMAIL: `${identity}@localhost`,
      GIT_COMMITTER_NAME: identity,
      GIT_COMMITTER_EMAIL: `${identity}@localhost`,
    },
  });

async function branchHead(git: GitProgram, gitDir: string, ref: string): Promise<string | undefined> {
  const out = await git.run(['rev-parse', '--verify', '--quiet', ref], { gitDir, okExitCodes: [1] });
  return out.exitCode === 0 ? out.stdout.toString('utf8').trim() : undefined;
}

/** A plain directory as the tip of `branch`: committed only when its tree differs from the tip's. */
async function commitPlainDirectory(git: GitProgram, gitDir: string, source: string, branch: string): Promise<boolean> {
  // The private repository's own index, rebuilt from the directory each time.
  await git.run(['--work-tree', source, 'add', '--all', '--force', '.'], { gitDir });
  const tree = (await git.run(['write-tree'], { gitDir })).stdout.toString('utf8').trim();
  const head = await branchHead(git, gitDir, `refs/heads/${branch}`);
  if (head && (await branchHead(git, gitDir, `${head}^{tree}`)) === tree) return false;
  const parent = head ? ['-p', head] : [];
  const commit = (
    await git.run(['commit-tree', tree, ...parent, '-m', `import ${path.basename(source)}`], { gitDir })
  ).stdout
    .toString('utf8')
    .trim();
  await git.run(['update-ref', `refs/heads/${branch}`, commit], { gitDir });
  return true;
}

/** Brings every repository of `dir` into `distGit`; plain directories land on `branch`. */
export async function importTreeIntoDistGit(
  distGit: LocalDistGit,
  dir: string,
  options: { branch: string; git?: GitProgram },
): Promise<TreeImportResult> {
  const git = options.git ?? importGit();
  const result: TreeImportResult = { repositories: [] };
  for (const repo of listTreeRepositories(dir)) {
    const id = { namespace: repo.namespace, name: repo.name };
    await distGit.ensureRepo(id);
    const gitDir = distGit.repoPath(id);
    let committed = false;
    if (repo.kind === 'plain') committed = await commitPlainDirectory(git, gitDir, repo.source, options.branch);
    else {
      const sourceGitDir = repo.kind === 'bare' ? repo.source : path.join(repo.source, '.git');
      await git.run(['fetch', '--quiet', '--force', '--prune', sourceGitDir, '+refs/heads/*:refs/heads/*'], {
        gitDir,
      });
    }
    const branches = (await distGit.listBranches(id)).length;
    if (branches === 0) throw new Error(`--tree ${repo.source}: the repository has no branches`);
    result.repositories.push({ ...repo, branches, committed });
  }
  return result;
}
