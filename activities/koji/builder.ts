/**
 * activities/koji/: the builder adapter (Koji's job) — submit a component build, watch it, read
 * builds and tags — with its embedded implementation, LocalKoji, which really runs rpmbuild, and
 * the production one, KojiHubBuilder, which drives a Koji hub over XML-RPC (koji-hub-client.ts).
 * platform/build-setup.ts chooses between them; workers and the API take a Builder.
 */

/** What identifies a component build: the same source and the same buildroot make the same build. */
export interface BuildKey {
  component: string;
  commit: string;
  buildrootHash: string;
}

export interface BuildRequest extends BuildKey {
  /** directory holding the exported source tree (spec and sources) at `commit` */
  sourceDir: string;
  /** repositories (createrepo_c directories) that make up the buildroot: buildrequired modules and earlier batches */
  buildrootRepos: string[];
  /** rpm macros for the build: dist, modularitylabel and the module's own */
  macros: Record<string, string>;
  timeoutMs: number;
  /** the component's dist-git URL at `commit` (git+<url>?#<commit>): what a Koji hub checks out */
  scmUrl?: string;
  /** the module build the component belongs to: a Koji hub builds it in that module's tags */
  module?: ModuleBuildContext;
}

/** What a Koji hub needs to know of the module a component is built for (MBS's tags and target). */
export interface ModuleBuildContext {
  nsvc: string;
  /** the buildrequired module builds (NSVCs; base modules such as platform left out) */
  buildrequires: string[];
  /** NVRs of the earlier batches' builds, which the buildroot must hold */
  earlierBuilds: string[];
}

export type TaskState = 'running' | 'complete' | 'failed';

export interface TaskStatus {
  taskId: string;
  state: TaskState;
  attempt: number;
  pid?: number;
  nvr?: string;
  reason?: string;
  startedAt: string;
  finishedAt?: string;
}

export interface BuildRecord {
  nvr: string;
  component: string;
  commit: string;
  buildrootHash: string;
  taskId: string;
  /** file names of the binary and source RPMs, in `dir` */
  rpms: string[];
  srpm: string;
  /** a per-build repository (createrepo_c) of the binary RPMs */
  dir: string;
  completedAt: string;
}

export interface Builder {
  /** The finished build with this key, if one exists (look before you submit). */
  findBuild(key: BuildKey): Promise<BuildRecord | undefined>;
  /** Starts the build, or returns the task already running or finished for this key. */
  submit(request: BuildRequest): Promise<TaskStatus>;
  /** Waits for the task to end; `onProgress` is called while it runs (heartbeats). */
  watch(taskId: string, onProgress?: (status: TaskStatus, logBytes: number) => void): Promise<TaskStatus>;
  taskLog(taskId: string): Promise<string>;
  getBuild(nvr: string): Promise<BuildRecord | undefined>;
  listTagged(tag: string): Promise<string[]>;
  tag(tag: string, nvr: string): Promise<void>;
  untag(tag: string, nvr: string): Promise<void>;
}
