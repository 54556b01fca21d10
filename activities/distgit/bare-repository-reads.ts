// The reads both dist-git adapters answer the same way, from a bare repository on disk (the
// embedded repository itself, or a remote's mirror): input validated first, then git.
import type { BareRepository } from './bare-repository';
import {
  validateBranch,
  validateCommit,
  validateDestDir,
  validateFilePath,
  type BranchHead,
  type CommitInfo,
  type RepoId,
} from './dist-git';

export abstract class BareRepositoryReads {
  /** The repository's bare directory, or a repo_not_found error saying how to create it. */
  protected abstract open(repo: RepoId): Promise<BareRepository>;

  async listBranches(repo: RepoId): Promise<BranchHead[]> {
    return (await this.open(repo)).listBranches();
  }

  async resolveBranch(repo: RepoId, branch: string): Promise<string | undefined> {
    const valid = validateBranch(branch);
    return (await this.open(repo)).resolveBranch(valid);
  }

  async readFile(repo: RepoId, commit: string, filePath: string): Promise<string | undefined> {
    const [hash, file] = [validateCommit(commit), validateFilePath(filePath)];
    return (await this.open(repo)).readFile(hash, file);
  }

  async commitInfo(repo: RepoId, commit: string): Promise<CommitInfo> {
    const hash = validateCommit(commit);
    return (await this.open(repo)).commitInfo(hash);
  }

  async exportTree(repo: RepoId, commit: string, destDir: string): Promise<void> {
    const [hash, dest] = [validateCommit(commit), validateDestDir(destDir)];
    return (await this.open(repo)).exportTree(hash, dest);
  }
}
