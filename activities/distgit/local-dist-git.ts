// Local dist-git: bare repositories under `<root>/<namespace>/<name>.git` that people clone and push to
// with plain git, and that a static file server can publish read-only (git's dumb HTTP protocol).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BareRepository, moveRepositoryIntoPlace } from './bare-repository';
import { BareRepositoryReads } from './bare-repository-reads';
import { DistGitError, repoRelativePath, validateBranch, validateRepoId } from './dist-git';
import type { DistGit, RepoId } from './dist-git';
import { createGitProgram } from './git-program';
import type { GitProgram } from './git-program';
import { defaultNotifierPath, installPostReceiveHook } from './post-receive-hook';

export interface LocalDistGitOptions {
  root: string;
  /** When set, cloneUrl answers `<httpBaseUrl>/git/<namespace>/<name>.git` instead of the file path. */
  httpBaseUrl?: string;
  /** Branch HEAD names in a new repository (what `git clone` checks out). */
  defaultBranch?: string;
  notifierPath?: string;
  git?: GitProgram;
}

export class LocalDistGit extends BareRepositoryReads implements DistGit {
  readonly root: string;
  private readonly git: GitProgram;
  private readonly notifierPath: string;
  private readonly defaultBranch: string;

  constructor(private readonly options: LocalDistGitOptions) {
    super();
    this.root = path.resolve(options.root);
    this.git = options.git ?? createGitProgram();
    this.notifierPath = options.notifierPath ?? defaultNotifierPath;
    this.defaultBranch = validateBranch(options.defaultBranch ?? 'main');
  }

  repoPath(repo: RepoId): string {
    return path.join(this.root, repoRelativePath(validateRepoId(repo)));
  }

  cloneUrl(repo: RepoId): string {
    const relative = repoRelativePath(validateRepoId(repo));
    if (!this.options.httpBaseUrl) return path.join(this.root, relative);
    return `${this.options.httpBaseUrl.replace(/\/+$/, '')}/git/${relative}`;
  }

  async ensureRepo(repo: RepoId): Promise<{ created: boolean }> {
    const valid = validateRepoId(repo);
    const gitDir = this.repoPath(valid);
    const bare = new BareRepository(gitDir, this.git);
    const created = (await bare.exists()) ? false : await this.initRepo(gitDir);
    // Settings and hook are rewritten every time, so repositories follow a moved checkout or a new hook.
    await this.git.run(['config', 'http.receivepack', 'false'], { gitDir });
    await this.git.run(['config', 'receive.fsckObjects', 'true'], { gitDir });
    await installPostReceiveHook(gitDir, valid, this.notifierPath);
    await this.git.run(['update-server-info'], { gitDir });
    return { created };
  }

  protected async open(repo: RepoId): Promise<BareRepository> {
    const valid = validateRepoId(repo);
    const bare = new BareRepository(this.repoPath(valid), this.git);
    if (!(await bare.exists())) {
      throw new DistGitError(
        'repo_not_found',
        `dist-git repository ${valid.namespace}/${valid.name} does not exist under ${this.root}; create it with ensureRepo`,
        { namespace: valid.namespace, name: valid.name },
      );
    }
    return bare;
  }

  /** git init into a temp dir, then rename: a crash never leaves a half-made repository in place. */
  private async initRepo(gitDir: string): Promise<boolean> {
    await fs.mkdir(path.dirname(gitDir), { recursive: true });
    const temp = `${gitDir}.${randomBytes(6).toString('hex')}.tmp`;
    await this.git.run(['init', '--quiet', '--bare', `--initial-branch=${this.defaultBranch}`, '--', temp]);
    return moveRepositoryIntoPlace(temp, gitDir);
  }
}
