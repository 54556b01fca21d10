// Production dist-git (e.g. src.fedoraproject.org): repositories are mirrored into a local cache with
// `git clone --mirror` and every read is answered from the mirror, so builds never depend on the remote
// being up at the moment they read a spec file. `refresh` fetches what was pushed since.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BareRepository, moveRepositoryIntoPlace } from './bare-repository';
import { BareRepositoryReads } from './bare-repository-reads';
import { DistGitError, repoRelativePath, validateRepoId } from './dist-git';
import type { DistGit, RepoId } from './dist-git';
import { createGitProgram } from './git-program';
import type { GitProgram } from './git-program';

export interface RemoteDistGitOptions {
  cacheDir: string;
  /** e.g. `https://src.fedoraproject.org`; repositories are `<baseUrl>/<namespace>/<name>.git`. */
  baseUrl: string;
  git?: GitProgram;
  /** Clones and fetches of large repositories take longer than reads. */
  networkTimeoutMs?: number;
}

export class RemoteDistGit extends BareRepositoryReads implements DistGit {
  readonly cacheDir: string;
  private readonly baseUrl: string;
  private readonly git: GitProgram;
  private readonly networkTimeoutMs: number;

  constructor(options: RemoteDistGitOptions) {
    super();
    this.cacheDir = path.resolve(options.cacheDir);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.git = options.git ?? createGitProgram();
    this.networkTimeoutMs = options.networkTimeoutMs ?? 10 * 60_000;
  }

  cloneUrl(repo: RepoId): string {
    const valid = validateRepoId(repo);
    return `${this.baseUrl}/${valid.namespace}/${valid.name}.git`;
  }

  mirrorPath(repo: RepoId): string {
    return path.join(this.cacheDir, repoRelativePath(validateRepoId(repo)));
  }

  async ensureRepo(repo: RepoId): Promise<{ created: boolean }> {
    const valid = validateRepoId(repo);
    const gitDir = this.mirrorPath(valid);
    if (await new BareRepository(gitDir, this.git).exists()) return { created: false };
    await fs.mkdir(path.dirname(gitDir), { recursive: true });
    // Clone beside the target and rename, so an interrupted clone is never mistaken for a mirror.
    const temp = `${gitDir}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await this.git.run(['clone', '--quiet', '--mirror', '--', this.cloneUrl(valid), temp], {
        timeoutMs: this.networkTimeoutMs,
      });
    } catch (error) {
      await fs.rm(temp, { recursive: true, force: true });
      throw error;
    }
    return { created: await moveRepositoryIntoPlace(temp, gitDir) };
  }

  async refresh(repo: RepoId): Promise<void> {
    const bare = await this.open(repo);
    await this.git.run(['fetch', '--quiet', '--prune'], { gitDir: bare.gitDir, timeoutMs: this.networkTimeoutMs });
  }

  protected async open(repo: RepoId): Promise<BareRepository> {
    const valid = validateRepoId(repo);
    const bare = new BareRepository(this.mirrorPath(valid), this.git);
    if (!(await bare.exists())) {
      throw new DistGitError(
        'repo_not_found',
        `${valid.namespace}/${valid.name} is not mirrored in ${this.cacheDir} yet; call ensureRepo first`,
        { namespace: valid.namespace, name: valid.name },
      );
    }
    return bare;
  }
}
