// The dist-git adapter's contract, its errors, and the input checks every implementation runs before
// anything reaches git: names, branches and hashes come from pushes and API requests, so a value that
// could be read as an option or escape the repository root is refused here, by name of the field.
import path from 'node:path';

export type Namespace = 'rpms' | 'modules';
export const namespaces: readonly Namespace[] = ['rpms', 'modules'];

export interface RepoId {
  namespace: Namespace;
  name: string;
}

export interface BranchHead {
  branch: string;
  hash: string;
}

export interface CommitInfo {
  hash: string;
  committedAt: Date;
  authorName: string;
  authorEmail: string;
  subject: string;
}

export interface DistGit {
  /** Local: `git init --bare` and the hooks. Remote: a mirror clone into the cache. Idempotent. */
  ensureRepo(repo: RepoId): Promise<{ created: boolean }>;
  listBranches(repo: RepoId): Promise<BranchHead[]>;
  resolveBranch(repo: RepoId, branch: string): Promise<string | undefined>;
  /** undefined when the file does not exist at that commit (or is a directory there). */
  readFile(repo: RepoId, commit: string, filePath: string): Promise<string | undefined>;
  commitInfo(repo: RepoId, commit: string): Promise<CommitInfo>;
  /** Writes the commit's tree (git archive | tar -x) into destDir, for builders. */
  exportTree(repo: RepoId, commit: string, destDir: string): Promise<void>;
  cloneUrl(repo: RepoId): string;
  /** Remote: `git fetch --prune` into the mirror. */
  refresh?(repo: RepoId): Promise<void>;
}

export type DistGitErrorCode =
  | 'invalid_input'
  | 'repo_not_found'
  | 'commit_not_found'
  | 'git_failed'
  | 'git_timeout'
  | 'export_failed'
  | 'hook_config_invalid';

export class DistGitError extends Error {
  constructor(
    readonly code: DistGitErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DistGitError';
  }
}

/** A value that is not safe to hand to git; `field` names the argument that was refused. */
export class DistGitInputError extends DistGitError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('invalid_input', `${field}: ${message}`, { field });
    this.name = 'DistGitInputError';
  }
}

const safeName = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;
// Branches are safe names joined by '/', e.g. "f29" or "private/alice/fix". Stricter than
// git check-ref-format on purpose: nothing git would refuse, and nothing a shell or a URL would mangle.
const safeBranch = /^[A-Za-z0-9][A-Za-z0-9._+/-]{0,199}$/;
const fullHash = /^[0-9a-fA-F]{40}$/;
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f\u007f]/;

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 120)) : typeof value;
}

export function parseRepoId(namespace: unknown, name: unknown): RepoId {
  if (typeof namespace !== 'string' || !(namespaces as readonly string[]).includes(namespace)) {
    throw new DistGitInputError('namespace', `must be one of ${namespaces.join(', ')}, got ${describe(namespace)}`);
  }
  if (typeof name !== 'string' || !safeName.test(name)) {
    throw new DistGitInputError(
      'name',
      `${describe(name)} is not a repository name: use 1-100 of A-Z a-z 0-9 . _ + -, starting with a letter or digit`,
    );
  }
  return { namespace: namespace as Namespace, name };
}

/** Re-checks a RepoId that arrived as a plain object (activity payloads are not type-checked). */
export function validateRepoId(repo: unknown): RepoId {
  if (typeof repo !== 'object' || repo === null) {
    throw new DistGitInputError('repo', `must be { namespace, name }, got ${describe(repo)}`);
  }
  const { namespace, name } = repo as Record<string, unknown>;
  return parseRepoId(namespace, name);
}

export function validateBranch(branch: unknown): string {
  if (typeof branch !== 'string') throw new DistGitInputError('branch', `must be a string, got ${describe(branch)}`);
  const refuse = (why: string) => new DistGitInputError('branch', `${describe(branch)} ${why}`);
  if (controlChars.test(branch)) throw refuse('contains control characters');
  if (branch.startsWith('-')) throw refuse('starts with "-" (it would read as an option)');
  if (branch.includes('..')) throw refuse('contains ".."');
  if (branch.includes('@{')) throw refuse('contains "@{"');
  if (!safeBranch.test(branch)) {
    throw refuse('is not a branch name: use 1-200 of A-Z a-z 0-9 . _ + - /, starting with a letter or digit');
  }
  for (const part of branch.split('/')) {
    if (part === '') throw refuse('has an empty path component ("//" or a trailing "/")');
    if (part.startsWith('.')) throw refuse('has a path component starting with "."');
    if (part.endsWith('.lock')) throw refuse('has a path component ending in ".lock"');
  }
  if (branch.endsWith('.')) throw refuse('ends with "."');
  return branch;
}

/** Full 40-hex commit hashes only: an abbreviation or a ref name could resolve to something else later. */
export function validateCommit(commit: unknown): string {
  if (typeof commit !== 'string' || !fullHash.test(commit)) {
    throw new DistGitInputError('commit', `${describe(commit)} is not a full 40-character hexadecimal commit hash`);
  }
  return commit.toLowerCase();
}

/** A path inside the repository's tree, relative, without "." or ".." components. */
export function validateFilePath(filePath: unknown): string {
  if (typeof filePath !== 'string') {
    throw new DistGitInputError('filePath', `must be a string, got ${describe(filePath)}`);
  }
  const refuse = (why: string) => new DistGitInputError('filePath', `${describe(filePath)} ${why}`);
  if (filePath === '' || filePath.length > 4096) throw refuse('must be 1-4096 characters');
  if (controlChars.test(filePath)) throw refuse('contains control characters');
  if (filePath.startsWith('/')) throw refuse('must be relative to the repository root');
  for (const part of filePath.split('/')) {
    if (part === '' || part === '.' || part === '..') throw refuse('has an empty, "." or ".." path component');
  }
  return filePath;
}

export function validateDestDir(destDir: unknown): string {
  if (typeof destDir !== 'string' || !path.isAbsolute(destDir) || controlChars.test(destDir)) {
    throw new DistGitInputError('destDir', `must be an absolute directory path, got ${describe(destDir)}`);
  }
  return path.normalize(destDir);
}

/** The repository's directory relative to a dist-git root or a mirror cache: `<namespace>/<name>.git`. */
export function repoRelativePath(repo: RepoId): string {
  return path.join(repo.namespace, `${repo.name}.git`);
}
