// Zero-cost adapters for the campaign benchmark (bench/campaign.ts): what is left of a campaign when
// building, testing and reading git cost nothing is Cascade's own orchestration (workflows,
// activities, store writes) on Temporal. Each implements the production interface, in memory.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ModuleCi, CiRequest, CiVerdict } from '../activities/ci';
import type { BranchHead, CommitInfo, DistGit, RepoId } from '../activities/distgit';
import {
  taskIdFor,
  type BuildKey,
  type BuildRecord,
  type BuildRequest,
  type Builder,
  type TaskStatus,
} from '../activities/koji';
import type { ModuleRepoInput, ModuleRepoOutput } from '../activities/koji/module-repo';

interface Commit {
  files: Record<string, string>;
  committedAt: Date;
  subject: string;
}

const repoKey = (repo: RepoId) => `${repo.namespace}/${repo.name}`;

/** Dist-git as maps: branch heads per repository and commits (40-hex ids) with their files. */
export class InMemoryDistGit implements DistGit {
  private readonly heads = new Map<string, Map<string, string>>();
  private readonly commits = new Map<string, Commit>();

  /** Records a commit on the branch (its new head) and answers its hash. */
  commit(repo: RepoId, branch: string, files: Record<string, string>, committedAt: Date, subject = 'bench'): string {
    const branches = this.heads.get(repoKey(repo)) ?? new Map<string, string>();
    this.heads.set(repoKey(repo), branches);
    const hash = crypto
      .createHash('sha1')
      .update(`${repoKey(repo)}\n${branch}\n${branches.get(branch) ?? ''}\n${committedAt.toISOString()}\n`)
      .update(JSON.stringify(files))
      .digest('hex');
    this.commits.set(hash, { files, committedAt, subject });
    branches.set(branch, hash);
    return hash;
  }

  /** The branch head, synchronously (for the benchmark's own setup). */
  head(repo: RepoId, branch: string): string | undefined {
    return this.heads.get(repoKey(repo))?.get(branch);
  }

  async ensureRepo(repo: RepoId): Promise<{ created: boolean }> {
    if (this.heads.has(repoKey(repo))) return { created: false };
    this.heads.set(repoKey(repo), new Map());
    return { created: true };
  }

  async listBranches(repo: RepoId): Promise<BranchHead[]> {
    return [...(this.heads.get(repoKey(repo)) ?? [])].map(([branch, hash]) => ({ branch, hash }));
  }

  async resolveBranch(repo: RepoId, branch: string): Promise<string | undefined> {
    return this.head(repo, branch);
  }

  async readFile(_repo: RepoId, commit: string, filePath: string): Promise<string | undefined> {
    return this.commits.get(commit)?.files[filePath];
  }

  async commitInfo(_repo: RepoId, commit: string): Promise<CommitInfo> {
    const found = this.commits.get(commit);
    if (!found) throw new Error(`no commit ${commit}`);
    return {
      hash: commit,
      committedAt: found.committedAt,
      authorName: 'Bench',
      authorEmail: 'bench@example.org',
      subject: found.subject,
    };
  }

  async exportTree(_repo: RepoId, commit: string, destDir: string): Promise<void> {
    const found = this.commits.get(commit);
    if (!found) throw new Error(`no commit ${commit}`);
    for (const [name, text] of Object.entries(found.files)) await fs.writeFile(path.join(destDir, name), text);
  }

  cloneUrl(repo: RepoId): string {
    return `memory://distgit/${repoKey(repo)}.git`;
  }
}

/** A builder whose every build is complete the moment it is submitted; builds are keyed as LocalKoji's are. */
export class InstantBuilder implements Builder {
  private readonly tasks = new Map<string, TaskStatus>();
  private readonly builds = new Map<string, BuildRecord>();
  private readonly tags = new Map<string, Set<string>>();
  submitted = 0;

  async findBuild(key: BuildKey): Promise<BuildRecord | undefined> {
    const nvr = this.tasks.get(taskIdFor(key))?.nvr;
    return nvr ? this.builds.get(nvr) : undefined;
  }

  async submit(request: BuildRequest): Promise<TaskStatus> {
    const taskId = taskIdFor(request);
    const known = this.tasks.get(taskId);
    if (known) return known;
    this.submitted += 1;
    const nvr = `${request.component}-1.0-1.bench${taskId.slice(0, 10)}`;
    const now = new Date().toISOString();
    const status: TaskStatus = { taskId, state: 'complete', attempt: 1, nvr, startedAt: now, finishedAt: now };
    this.tasks.set(taskId, status);
    this.builds.set(nvr, {
      nvr,
      component: request.component,
      commit: request.commit,
      buildrootHash: request.buildrootHash,
      taskId,
      rpms: [`${nvr}.noarch.rpm`],
      srpm: `${nvr}.src.rpm`,
      dir: `/nonexistent/bench/packages/${nvr}`,
      completedAt: now,
    });
    return status;
  }

  async watch(taskId: string): Promise<TaskStatus> {
    const status = this.tasks.get(taskId);
    if (!status) throw new Error(`no task ${taskId}`);
    return status;
  }

  async taskLog(): Promise<string> {
    return '';
  }

  async getBuild(nvr: string): Promise<BuildRecord | undefined> {
    return this.builds.get(nvr);
  }

  async listTagged(tag: string): Promise<string[]> {
    return [...(this.tags.get(tag) ?? [])].sort();
  }

  async tag(tag: string, nvr: string): Promise<void> {
    if (!this.builds.has(nvr)) throw new Error(`cannot tag ${nvr} into ${tag}: no such build`);
    const set = this.tags.get(tag) ?? new Set<string>();
    set.add(nvr);
    this.tags.set(tag, set);
  }

  async untag(tag: string, nvr: string): Promise<void> {
    this.tags.get(tag)?.delete(nvr);
  }
}

/** CI that passes every build at once and stores nothing. */
export class InstantModuleCi implements ModuleCi {
  async runChecks(request: CiRequest): Promise<CiVerdict> {
    return {
      runKey: request.runKey,
      nsvc: request.nsvc,
      outcome: 'PASSED',
      results: [],
      summary: `${request.nsvc}: no checks (benchmark)`,
    };
  }
}

/** The module repository step (createrepo_c, modulemd-validator) with nothing written. */
export async function writeNoModuleRepo(input: ModuleRepoInput): Promise<ModuleRepoOutput> {
  return { dir: input.dir, artifacts: [], modulemd: input.modulemd };
}
