// Read operations on one bare repository (a local dist-git repo or a remote's mirror). Callers have
// already validated every argument; this file only speaks git.
import fs from 'node:fs/promises';
import path from 'node:path';
import { DistGitError } from './dist-git';
import type { BranchHead, CommitInfo } from './dist-git';
import type { GitProgram } from './git-program';

export class BareRepository {
  constructor(
    readonly gitDir: string,
    private readonly git: GitProgram,
  ) {}

  /** True when gitDir holds a repository (HEAD is the one file every repository has). */
  async exists(): Promise<boolean> {
    return fs
      .stat(path.join(this.gitDir, 'HEAD'))
      .then((s) => s.isFile())
      .catch(() => false);
  }

  async listBranches(): Promise<BranchHead[]> {
    const { stdout } = await this.git.run(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/'], {
      gitDir: this.gitDir,
    });
    return stdout
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [hash = '', refname = ''] = line.split(' ');
        return { branch: refname.slice('refs/heads/'.length), hash };
      })
      .sort((a, b) => (a.branch < b.branch ? -1 : a.branch > b.branch ? 1 : 0));
  }

  async resolveBranch(branch: string): Promise<string | undefined> {
    const { stdout, exitCode } = await this.git.run(
      ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`],
      { gitDir: this.gitDir, okExitCodes: [1] },
    );
    return exitCode === 0 ? stdout.toString('utf8').trim() : undefined;
  }

  async readFile(commit: string, filePath: string): Promise<string | undefined> {
    await this.requireCommit(commit);
    // ls-tree first, so "no such file" (undefined) is told apart from "no such commit" (an error).
    const { stdout } = await this.git.run(['ls-tree', '-z', commit, '--', filePath], { gitDir: this.gitDir });
    const entry = stdout.toString('utf8').split('\0')[0] ?? '';
    const match = /^\d+ (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (!match || match[1] !== 'blob' || match[3] !== filePath) return undefined;
    const blob = await this.git.run(['cat-file', 'blob', match[2] ?? ''], { gitDir: this.gitDir });
    return blob.stdout.toString('utf8');
  }

  async commitInfo(commit: string): Promise<CommitInfo> {
    await this.requireCommit(commit);
    const { stdout } = await this.git.run(['show', '-s', '--format=%H%x00%ct%x00%an%x00%ae%x00%s', commit, '--'], {
      gitDir: this.gitDir,
    });
    const [hash = '', committedAt = '0', authorName = '', authorEmail = '', subject = ''] = stdout
      .toString('utf8')
      .replace(/\n$/, '')
      .split('\0');
    return { hash, committedAt: new Date(Number(committedAt) * 1000), authorName, authorEmail, subject };
  }

  async exportTree(commit: string, destDir: string): Promise<void> {
    await this.requireCommit(commit);
    await fs.mkdir(destDir, { recursive: true });
    await this.git.extractArchive(this.gitDir, commit, destDir);
  }

  private async requireCommit(commit: string): Promise<void> {
    const { exitCode } = await this.git.run(['cat-file', '-e', `${commit}^{commit}`], {
      gitDir: this.gitDir,
      okExitCodes: [1, 128],
    });
    if (exitCode !== 0) {
      throw new DistGitError(
        'commit_not_found',
        `commit ${commit} is not in ${this.gitDir}; for a remote mirror, refresh it and try again`,
        { gitDir: this.gitDir, commit },
      );
    }
  }
}

/**
 * Renames a freshly made repository into place; false (and the temp copy removed) when another
 * process got there first, since the repository then exists, which is what the caller wanted.
 */
export async function moveRepositoryIntoPlace(tempDir: string, gitDir: string): Promise<boolean> {
  try {
    await fs.rename(tempDir, gitDir);
    return true;
  } catch (error) {
    await fs.rm(tempDir, { recursive: true, force: true });
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw error;
  }
}
