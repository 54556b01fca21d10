// `build` and `listTasks`: a build submitted to the hub as to Koji — build(<scm url>#<commit>, target,
// opts) — runs as LocalKoji's rpmbuild task in the background, in the buildroot the target's build
// tag makes (the builds tagged in it and in the tags it inherits, its rpm.macro.* extra as macros).
// The task is keyed as every LocalKoji build is, by (component, commit, buildroot hash), the hash
// being opts.custom_user_metadata.cascade_buildroot_hash when the client names it (KojiHubBuilder
// does, so its builds are the ones LocalKoji makes directly) or a digest of the buildroot otherwise.
// When the task completes, its build is tagged into the target's destination tag, as kojid does.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAULT, KojiFault, type XmlRpcValue } from '../../platform/xmlrpc-codec';
import { kojiTaskId } from './koji-ids';
import { required, type MethodTable } from './koji-method';
import { TASK_STATE, taskInfo, userInfo, type HubContext, type KojiMap } from './koji-shapes';
import { hubTag, writer } from './methods-tag-admin';
import { splitNvr } from './local-koji-files';

const git = (args: string[], cwd?: string) =>
  new Promise<void>((resolve, reject) =>
    execFile('git', args, { cwd, timeout: 120_000 }, (err, _out, errOut) =>
      err ? reject(new Error(errOut.trim() || err.message)) : resolve(),
    ),
  );

/** Koji's SCM URL: [git+]<url>[?]#<commit>; this hub builds commits, not branch names. */
function parseSource(src: string): { url: string; component: string; commit: string } {
  const match = /^(?:git\+)?([a-z]+:\/\/[^#?]+|\/[^#?]+)\??#([0-9a-f]{40})$/.exec(src);
  if (!match) throw new KojiFault(FAULT.parameter, `build: the source must be <git url>?#<40-hex commit>, not ${src}`);
  const url = match[1]!;
  const component = path.basename(url).replace(/\.git$/, '');
  return { url, component, commit: match[2]! };
}

/** The build tag and the tags it inherits, nearest first (each once). */
function inheritanceChain(ctx: HubContext, buildTag: string): string[] {
  const chain: string[] = [];
  const visit = (tag: string) => {
    if (chain.includes(tag)) return;
    chain.push(tag);
    for (const link of ctx.state.tag(tag)?.inheritance ?? []) visit(link.parent);
  };
  visit(buildTag);
  return chain;
}

/** The per-build repositories of the buildroot: for each package the build the nearest tag holds. */
function buildrootRepos(ctx: HubContext, buildTag: string): { repos: string[]; nvrs: string[] } {
  const seen = new Set<string>();
  const repos: string[] = [];
  const nvrs: string[] = [];
  for (const tag of inheritanceChain(ctx, buildTag)) {
    for (const nvr of ctx.files.tagged(tag)) {
      const name = splitNvr(nvr)?.name ?? nvr;
      if (seen.has(name) || !ctx.files.build(nvr)) continue;
      seen.add(name);
      repos.push(ctx.files.buildDir(nvr));
      nvrs.push(nvr);
    }
  }
  return { repos, nvrs };
}

function macrosOf(extra: Record<string, XmlRpcValue>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(extra)
      .filter(([k]) => k.startsWith('rpm.macro.'))
      .map(([k, v]) => [k.slice('rpm.macro.'.length), String(v)]),
  );
}

/** kojid tags a finished build into the target's destination tag; here on completion, or when next asked. */
export async function settleBuildTask(ctx: HubContext, localTaskId: string): Promise<void> {
  const submitted = ctx.state.buildTask(localTaskId);
  const status = ctx.files.taskStatus(localTaskId);
  if (!submitted || status?.state !== 'complete' || !status.nvr) return;
  if (ctx.files.tagged(submitted.destTag).includes(status.nvr)) return;
  await ctx.builder.tag(submitted.destTag, status.nvr);
}

async function checkout(url: string, commit: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-kojihub-src-'));
  try {
    await git(['clone', '--quiet', '--no-checkout', '--', url, dir]);
    await git(['checkout', '--quiet', commit], dir);
    return dir;
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new KojiFault(FAULT.build, `cannot check out ${url} at ${commit}: ${(err as Error).message}`);
  }
}

export const buildSubmitMethods: MethodTable = {
  build: {
    params: ['src', 'target', 'opts', 'priority', 'channel'],
    call: async (ctx, a) => {
      const src = String(required('build', a, 'src'));
      const { url, component, commit } = parseSource(src);
      const actor = writer(ctx, 'build', { kind: 'artifacts', modules: [], components: [component] });
      const targetName = String(required('build', a, 'target'));
      const target = ctx.state.target(targetName);
      if (!target) throw new KojiFault(FAULT.generic, `No such build target: ${targetName}`);
      const dest = ctx.state.tag(target.destTag);
      if (dest && Object.keys(dest.packages).length > 0 && !dest.packages[component])
        throw new KojiFault(FAULT.tag, `package ${component} not in list for tag ${target.destTag}`);
      const opts = (a.opts && typeof a.opts === 'object' && !Array.isArray(a.opts) ? a.opts : {}) as KojiMap;
      const metadata = (opts.custom_user_metadata ?? {}) as KojiMap;
      const macros = macrosOf(hubTag(ctx, 'build', { tag: target.buildTag }, 'tag').extra);
      const buildroot = buildrootRepos(ctx, target.buildTag);
      const buildrootHash =
        typeof metadata.cascade_buildroot_hash === 'string'
          ? metadata.cascade_buildroot_hash
          : crypto
              .createHash('sha256')
              .update(JSON.stringify([buildroot.nvrs.sort(), macros]))
              .digest('hex');
      const sourceDir = await checkout(url, commit);
      let localTaskId: string;
      try {
        const status = await ctx.builder.submit({
          component,
          commit,
          buildrootHash,
          sourceDir,
          buildrootRepos: buildroot.repos,
          macros,
          timeoutMs: ctx.buildTimeoutMs,
        });
        localTaskId = status.taskId;
      } finally {
        fs.rmSync(sourceDir, { recursive: true, force: true });
      }
      ctx.state.saveBuildTask({
        localTaskId,
        owner: actor.name,
        src,
        target: target.name,
        destTag: target.destTag,
        opts,
        submittedAt: new Date().toISOString(),
      });
      // The task runs on; its end tags the build (errors are answered to whoever asks next).
      void ctx.builder
        .watch(localTaskId)
        .then(() => settleBuildTask(ctx, localTaskId))
        .catch(() => undefined);
      return kojiTaskId(localTaskId);
    },
  },
  listTasks: {
    params: ['opts', 'queryOpts'],
    call: async (ctx, a) => {
      const opts = (a.opts ?? {}) as KojiMap;
      const query = (a.queryOpts ?? {}) as KojiMap;
      const states = Array.isArray(opts.state) ? opts.state : undefined;
      const owners = opts.owner === undefined || opts.owner === null ? undefined : [opts.owner].flat();
      const rows: KojiMap[] = [];
      if (opts.method === undefined || opts.method === 'build') {
        for (const id of ctx.files.taskIds()) {
          await settleBuildTask(ctx, id);
          const info = await taskInfo(ctx, id, Boolean(opts.decode));
          if (info) rows.push(info);
        }
      }
      for (const task of ctx.state.ownTasks()) {
        if (opts.method !== undefined && opts.method !== task.method) continue;
        rows.push({
          id: task.id,
          state: TASK_STATE.CLOSED,
          method: task.method,
          owner: userInfo(task.owner).id,
          create_ts: Date.parse(task.createdAt) / 1000,
          ...(opts.decode ? { request: task.request, result: task.result } : {}),
        });
      }
      const kept = rows.filter(
        (r) =>
          (!states || states.includes(r.state as number)) &&
          (!owners || owners.includes(r.owner as number)) &&
          (opts.parent === undefined || opts.parent === null),
      );
      kept.sort((x, y) => (query.order === '-id' ? Number(y.id) - Number(x.id) : Number(x.id) - Number(y.id)));
      if (query.countOnly) return kept.length;
      return typeof query.limit === 'number' ? kept.slice(0, query.limit) : kept;
    },
  },
};
