// Tags, targets and repos: listTags, getTag, listTagged, getBuildTarget, getRepo over LocalKoji's tags
// (a module build's tag is kojiTagName of its NSVC, as MBS names it), and tagBuild / untagBuild for
// callers with Cascade's bearer token who may build the package (its maintainers, release engineers).
import { authorize } from '../identity/authorize';
import { findBuild } from './methods-builds';
import { allTags, findTagName } from './methods-tag-admin';
import { kojiId } from './koji-ids';
import { intOrName, notFound, required, type Args, type MethodTable } from './koji-method';
import { buildInfo, moduleTag, tagInfo, type HubContext, type KojiMap } from './koji-shapes';
import { splitNvr } from './local-koji-files';
import { FAULT, KojiFault } from '../../platform/xmlrpc-codec';

const findTag = findTagName;
const describeTag = (ctx: HubContext, name: string) => tagInfo(name, ctx.state.tag(name));

const globToRegExp = (glob: string) =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** The module build whose tag this is, when it is one. */
async function moduleOfTag(ctx: HubContext, tag: string) {
  const candidates = await ctx.prisma.moduleBuild.findMany({
    where: { state: { in: ['done', 'ready'] } },
    select: { name: true, stream: true, version: true, context: true, updatedAt: true },
  });
  return candidates.find((m) => moduleTag(m) === tag);
}

async function changeTagging(
  ctx: HubContext,
  method: string,
  a: Args,
  apply: (tag: string, nvr: string) => Promise<void>,
) {
  if (!ctx.actor)
    throw new KojiFault(
      FAULT.actionNotAllowed,
      `${method} needs Cascade's bearer token (Authorization: Bearer <token>)`,
    );
  const tag = String(required(method, a, 'tag'));
  const ref = required(method, a, 'build');
  const build = findBuild(ctx, ref);
  if (!build) throw notFound('build', ref);
  const name = splitNvr(build.nvr)!.name;
  const decision = authorize(ctx.actor, 'module-build.start', { kind: 'artifacts', modules: [], components: [name] });
  if (!decision.allowed) throw new KojiFault(FAULT.actionNotAllowed, decision.reason);
  try {
    await apply(tag, build.nvr);
  } catch (err) {
    throw new KojiFault(FAULT.tag, (err as Error).message);
  }
}

export const tagMethods: MethodTable = {
  listTags: {
    params: ['build', 'package', 'perms', 'queryOpts', 'pattern'],
    call: (ctx, a) => {
      let tags = allTags(ctx);
      const buildRef = intOrName('listTags', a, 'build');
      if (buildRef !== undefined) {
        const build = findBuild(ctx, buildRef);
        if (!build) throw notFound('build', buildRef);
        tags = tags.filter((t) => ctx.files.tagged(t).includes(build.nvr));
      }
      const pkg = intOrName('listTags', a, 'package');
      if (pkg !== undefined) {
        tags = tags.filter((t) =>
          ctx.files.tagged(t).some((nvr) => {
            const name = splitNvr(nvr)?.name ?? '';
            return typeof pkg === 'number' ? kojiId('package', name) === pkg : name === pkg;
          }),
        );
      }
      if (typeof a.pattern === 'string') tags = tags.filter((t) => globToRegExp(a.pattern as string).test(t));
      return tags.map((t) => describeTag(ctx, t));
    },
  },
  getTag: {
    params: ['tagInfo', 'strict', 'event', 'blocked'],
    call: (ctx, a) => {
      const ref = required('getTag', a, 'tagInfo');
      const tag = findTag(ctx, ref);
      if (tag) return describeTag(ctx, tag);
      if (a.strict) throw new KojiFault(FAULT.generic, `No such tagInfo: ${JSON.stringify(ref)}`);
      return null;
    },
  },
  listTagged: {
    params: ['tag', 'event', 'inherit', 'prefix', 'latest', 'package', 'owner', 'type', 'strict', 'extra', 'draft'],
    call: async (ctx, a) => {
      const ref = required('listTagged', a, 'tag');
      const tag = findTag(ctx, ref);
      if (!tag) throw new KojiFault(FAULT.generic, `No such tagInfo: ${JSON.stringify(ref)}`);
      if ((typeof a.type === 'string' && a.type !== 'rpm') || a.draft === true) return [];
      const rows: KojiMap[] = [];
      for (const nvr of ctx.files.tagged(tag)) {
        const build = ctx.files.build(nvr);
        if (!build) continue;
        const name = splitNvr(nvr)?.name ?? '';
        if (a.package != null && a.package !== name && a.package !== kojiId('package', name)) continue;
        if (typeof a.prefix === 'string' && !nvr.startsWith(a.prefix)) continue;
        const info = await buildInfo(ctx, build);
        if (typeof a.owner === 'string' && info.owner_name !== a.owner) continue;
        rows.push({ ...info, tag_id: kojiId('tag', tag), tag_name: tag });
      }
      return rows;
    },
  },
  getBuildTarget: {
    params: ['info', 'event', 'strict'],
    call: (ctx, a) => {
      const ref = required('getBuildTarget', a, 'info');
      const made = ctx.state
        .targets()
        .find((t) => (typeof ref === 'number' ? kojiId('target', t.name) === ref : t.name === ref));
      if (made)
        return {
          id: kojiId('target', made.name),
          name: made.name,
          build_tag: kojiId('tag', made.buildTag),
          build_tag_name: made.buildTag,
          dest_tag: kojiId('tag', made.destTag),
          dest_tag_name: made.destTag,
        };
      const tag = ctx.files.tags().find((t) => (typeof ref === 'number' ? kojiId('target', t) === ref : t === ref));
      if (!tag) {
        if (a.strict) throw notFound('build target', ref);
        return null;
      }
      // MBS makes one target per module, named as the tag, building into it from <tag>-build.
      return {
        id: kojiId('target', tag),
        name: tag,
        build_tag: kojiId('tag', `${tag}-build`),
        build_tag_name: `${tag}-build`,
        dest_tag: kojiId('tag', tag),
        dest_tag_name: tag,
      };
    },
  },
  getRepo: {
    params: ['tag', 'state', 'event', 'dist', 'min_event'],
    call: async (ctx, a) => {
      const ref = required('getRepo', a, 'tag');
      const tag = findTag(ctx, ref);
      if (!tag || a.dist) return null;
      const repo = ctx.state.repo(tag);
      if (repo)
        return {
          id: repo.id,
          tag_id: kojiId('tag', tag),
          tag_name: tag,
          state: 1,
          dist: false,
          create_event: null,
          creation_time: repo.createdAt.replace('T', ' ').replace('Z', '+00:00'),
          create_ts: Date.parse(repo.createdAt) / 1000,
          task_id: repo.taskId,
        };
      const module = await moduleOfTag(ctx, tag);
      if (!module) return null;
      return {
        id: kojiId('repo', tag),
        tag_id: kojiId('tag', tag),
        tag_name: tag,
        state: 1,
        dist: false,
        create_event: null,
        creation_time: module.updatedAt.toISOString().replace('T', ' ').replace('Z', '+00:00'),
        create_ts: module.updatedAt.getTime() / 1000,
        task_id: null,
      };
    },
  },
  tagBuild: {
    params: ['tag', 'build', 'force', 'fromtag'],
    call: async (ctx, a) => {
      await changeTagging(ctx, 'tagBuild', a, (tag, nvr) => ctx.builder.tag(tag, nvr));
      // A real hub answers a tagBuild task id; LocalKoji tags at once, so there is no task to wait on.
      return null;
    },
  },
  untagBuild: {
    params: ['tag', 'build', 'strict', 'force'],
    call: async (ctx, a) => {
      await changeTagging(ctx, 'untagBuild', a, (tag, nvr) => ctx.builder.untag(tag, nvr));
      return null;
    },
  },
};
