// KojiHubBuilder: the production Builder, a Koji hub driven over XML-RPC as MBS drives it. A component
// build is `build(<scm url>?#<commit>, <module target>)` after the module's tags and target exist
// (koji-module-tags.ts) and the earlier batches' builds are in the buildroot with a fresh repo.
//
// One task per key: the key (component, commit, buildroot hash) travels in the build's opts as
// custom_user_metadata.cascade_build_key (Koji validates it as JSON and copies it into the build's
// extra). Before submitting, the builder lists its own build tasks (listTasks, decoded requests) and
// takes the open or closed one carrying the same key and source; only when there is none, or every
// one failed, does it call `build`. A resubmitted activity (a retry, a new worker after a kill)
// therefore watches the task already running. If `build` itself fails in transit, the task is looked
// for again before the error is passed on.
import type { XmlRpcValue } from '../../platform/xmlrpc-codec';
import type { BuildKey, BuildRecord, BuildRequest, Builder, TaskState, TaskStatus } from './builder';
import { KojiBuildCache } from './koji-build-cache';
import { KOJI_FAULT, KojiCallError, KojiUnreachableError, type KojiHubClient } from './koji-hub-client';
import { KojiModuleTags, type KojiTagSettings, type ModuleTags } from './koji-module-tags';

type KojiMap = Record<string, XmlRpcValue>;

/** koji.TASK_STATES and koji.BUILD_STATES */
const TASK = { FREE: 0, OPEN: 1, CLOSED: 2, CANCELED: 3, ASSIGNED: 4, FAILED: 5 } as const;
const BUILD_COMPLETE = 1;
const TASK_STATE: Record<number, TaskState> = {
  [TASK.FREE]: 'running',
  [TASK.OPEN]: 'running',
  [TASK.ASSIGNED]: 'running',
  [TASK.CLOSED]: 'complete',
  [TASK.CANCELED]: 'failed',
  [TASK.FAILED]: 'failed',
};

export interface KojiHubBuilderOptions extends KojiTagSettings {
  client: KojiHubClient;
  /** the hub's file tree (koji's topurl), where RPMs and logs are fetched from */
  topUrl: string;
  /** the local directory builds are brought to (LocalKoji's layout) */
  cacheRoot: string;
  serverCa?: Buffer;
  pollMs?: number;
  /** how many of the user's newest build tasks are searched for a key */
  taskSearchLimit?: number;
}

export const buildKeyOf = (key: BuildKey) => `cascade:${key.component}:${key.commit}:${key.buildrootHash}`;

const tsToIso = (ts: XmlRpcValue) => (typeof ts === 'number' ? new Date(ts * 1000).toISOString() : undefined);

export class KojiHubBuilder implements Builder {
  private readonly client: KojiHubClient;
  private readonly tags: KojiModuleTags;
  private readonly cache: KojiBuildCache;
  private user?: Promise<{ id: number; name: string }>;

  constructor(private readonly options: KojiHubBuilderOptions) {
    this.client = options.client;
    this.tags = new KojiModuleTags(options.client, options);
    this.cache = new KojiBuildCache({ root: options.cacheRoot, topUrl: options.topUrl, ca: options.serverCa });
  }

  private me(): Promise<{ id: number; name: string }> {
    this.user ??= this.client.loggedInUser().catch((err) => {
      this.user = undefined;
      throw err;
    });
    return this.user;
  }

  async findBuild(key: BuildKey): Promise<BuildRecord | undefined> {
    const { done } = await this.findTasks(key);
    if (!done) return undefined;
    const nvr = await this.nvrOfTask(Number(done.id));
    return nvr ? this.getBuild(nvr) : undefined;
  }

  async submit(request: BuildRequest): Promise<TaskStatus> {
    if (!request.scmUrl) throw new Error(`a Koji hub builds from an SCM URL: none given for ${request.component}`);
    if (!request.module)
      throw new Error(`a Koji hub builds into a module's target: none given for ${request.component}`);
    const found = await this.findTasks(request);
    const existing = found.running ?? found.done;
    if (existing) return this.statusOf(existing, found.failed + 1);
    const tags = await this.tags.prepare(request.module, request.macros);
    await this.tags.listPackages(tags, [request.component], (await this.me()).name);
    await this.fillBuildroot(tags, request.module.earlierBuilds);
    const opts = {
      custom_user_metadata: { cascade_build_key: buildKeyOf(request), cascade_buildroot_hash: request.buildrootHash },
    };
    let taskId: XmlRpcValue;
    try {
      taskId = await this.client.callLoggedIn('build', [request.scmUrl, tags.target, opts]);
    } catch (err) {
      // The call may have reached the hub (a lost answer, RetryError): a task for the key is ours.
      const again =
        err instanceof KojiUnreachableError || (err instanceof KojiCallError && err.faultCode === KOJI_FAULT.RetryError)
          ? await this.findTasks(request)
          : undefined;
      const task = again?.running ?? again?.done;
      if (task) return this.statusOf(task, again!.failed + 1);
      throw err;
    }
    if (typeof taskId !== 'number')
      throw new KojiCallError('build', 1000, `expected a task id, got ${JSON.stringify(taskId)}`);
    return { taskId: String(taskId), state: 'running', attempt: found.failed + 1, startedAt: new Date().toISOString() };
  }

  async watch(taskId: string, onProgress?: (status: TaskStatus, logBytes: number) => void): Promise<TaskStatus> {
    const id = Number(taskId);
    if (!Number.isSafeInteger(id)) throw new Error(`not a Koji task id: ${taskId}`);
    for (;;) {
      const info = (await this.client.call('getTaskInfo', [id], { strict: true })) as KojiMap;
      const status = this.statusOf(info, 1);
      if (status.state === 'complete') {
        const nvr = await this.nvrOfTask(id);
        if (nvr) return { ...status, nvr };
        return { ...status, state: 'failed', reason: `Koji task ${id} closed without a completed build` };
      }
      if (status.state === 'failed') return { ...status, reason: await this.failureOf(id) };
      onProgress?.(status, await this.logBytes(id));
      await new Promise((r) => setTimeout(r, this.options.pollMs ?? 1000));
    }
  }

  /** The build.log of the task and of its children (a real hub's buildArch tasks), one after another. */
  async taskLog(taskId: string): Promise<string> {
    const id = Number(taskId);
    const children = (await this.client.call('getTaskChildren', [id])) as KojiMap[];
    const parts: string[] = [];
    for (const task of [id, ...children.map((c) => Number(c.id))]) {
      const files = (await this.client.call('listTaskOutput', [task])) as string[];
      if (!files.includes('build.log')) continue;
      const encoded = (await this.client.call('downloadTaskOutput', [task, 'build.log'])) as string;
      parts.push(Buffer.from(encoded, 'base64').toString('utf8'));
    }
    return parts.join('\n');
  }

  async getBuild(nvr: string): Promise<BuildRecord | undefined> {
    const cached = this.cache.cached(nvr);
    if (cached) return cached;
    const build = (await this.client.call('getBuild', [nvr])) as KojiMap | null;
    if (!build || build.state !== BUILD_COMPLETE) return undefined;
    const rpms = (await this.client.call('listRPMs', [], { buildID: build.id as number })) as KojiMap[];
    return this.cache.fetch({ build, rpms });
  }

  async listTagged(tag: string): Promise<string[]> {
    if (!(await this.client.call('getTag', [tag]))) return [];
    const builds = (await this.client.call('listTagged', [tag])) as KojiMap[];
    return builds.map((b) => String(b.nvr)).sort();
  }

  async tag(tag: string, nvr: string): Promise<void> {
    const tags = (await this.client.call('listTags', [nvr])) as KojiMap[];
    if (tags.some((t) => t.name === tag)) return;
    const task = await this.client.callLoggedIn('tagBuild', [tag, nvr]);
    // tagBuild is a task on a real hub; it is done when the task closes.
    if (typeof task === 'number') {
      const done = await this.waitTask(task);
      if (done !== TASK.CLOSED)
        throw new KojiCallError('tagBuild', 1003, `tagging ${nvr} into ${tag}: ${await this.failureOf(task)}`);
    }
  }

  async untag(tag: string, nvr: string): Promise<void> {
    await this.client.callLoggedIn('untagBuild', [tag, nvr], { strict: false });
  }

  /** MBS tags each finished batch into the buildroot tag and waits for its repo before the next. */
  private async fillBuildroot(tags: ModuleTags, earlier: string[]): Promise<void> {
    const inBuildroot = new Set(await this.listTagged(tags.buildTag));
    const missing = earlier.filter((nvr) => !inBuildroot.has(nvr));
    const packages = missing.map((nvr) => nvr.replace(/-[^-]+-[^-]+$/, ''));
    if (packages.length) await this.tags.listPackages(tags, packages, (await this.me()).name);
    for (const nvr of missing) await this.tag(tags.buildTag, nvr);
    const repo = await this.client.call('getRepo', [tags.buildTag]);
    if (repo && missing.length === 0) return;
    const task = await this.client.callLoggedIn('newRepo', [tags.buildTag]);
    if (typeof task === 'number' && (await this.waitTask(task)) !== TASK.CLOSED)
      throw new KojiCallError('newRepo', 1000, `the repo of ${tags.buildTag}: ${await this.failureOf(task)}`);
    if (!(await this.client.call('getRepo', [tags.buildTag])))
      throw new KojiCallError('getRepo', 1000, `${tags.buildTag} has no ready repo after newRepo`);
  }

  private async waitTask(id: number): Promise<number> {
    for (;;) {
      const info = (await this.client.call('getTaskInfo', [id], { strict: true })) as KojiMap;
      const state = Number(info.state);
      if (state === TASK.CLOSED || state === TASK.FAILED || state === TASK.CANCELED) return state;
      await new Promise((r) => setTimeout(r, this.options.pollMs ?? 1000));
    }
  }

  /** The user's build tasks for this key: one running, the closed one, and how many failed. */
  private async findTasks(key: BuildKey): Promise<{ running?: KojiMap; done?: KojiMap; failed: number }> {
    const me = await this.me();
    const tasks = (await this.client.call('listTasks', [
      { method: 'build', owner: me.id, decode: true },
      { order: '-id', limit: this.options.taskSearchLimit ?? 1000 },
    ])) as KojiMap[];
    const wanted = buildKeyOf(key);
    const ours = tasks.filter((t) => {
      const request = Array.isArray(t.request) ? t.request : [];
      const opts = (request[2] ?? {}) as KojiMap;
      return ((opts.custom_user_metadata ?? {}) as KojiMap).cascade_build_key === wanted;
    });
    const stateOf = (t: KojiMap) => TASK_STATE[Number(t.state)];
    return {
      running: ours.find((t) => stateOf(t) === 'running'),
      done: ours.find((t) => stateOf(t) === 'complete'),
      failed: ours.filter((t) => stateOf(t) === 'failed').length,
    };
  }

  private statusOf(task: KojiMap, attempt: number): TaskStatus {
    return {
      taskId: String(task.id),
      state: TASK_STATE[Number(task.state)] ?? 'running',
      attempt,
      startedAt: tsToIso(task.start_ts) ?? tsToIso(task.create_ts) ?? new Date().toISOString(),
      finishedAt: tsToIso(task.completion_ts),
    };
  }

  private async nvrOfTask(id: number): Promise<string | undefined> {
    const builds = (await this.client.call('listBuilds', [], { taskID: id })) as KojiMap[];
    const done = builds.find((b) => b.state === BUILD_COMPLETE);
    return done ? String(done.nvr) : undefined;
  }

  private async failureOf(id: number): Promise<string> {
    try {
      await this.client.call('getTaskResult', [id]);
      return `Koji task ${id} failed`;
    } catch (err) {
      if (err instanceof KojiCallError) return `Koji task ${id}: ${err.faultString}`;
      throw err;
    }
  }

  private async logBytes(id: number): Promise<number> {
    const stats = (await this.client.call('listTaskOutput', [id], { stat: true })) as Record<string, KojiMap>;
    return Object.values(stats ?? {}).reduce((sum, s) => sum + Number(s.st_size ?? 0), 0);
  }
}
