// The tag administration a Koji client (KojiHubBuilder, as MBS) does before building a module:
// createTag, getInheritanceData / setInheritanceData, createBuildTarget, packageListAdd and
// listPackages, groupListAdd and groupPackageListAdd, newRepo. Release engineers only (Koji asks for
// its admin, tag and target permissions); names, arguments and faults as kojihub.py has them.
import { authorize, type Actor, type Target } from '../identity/authorize';
import { FAULT, KojiFault, type XmlRpcValue } from '../../platform/xmlrpc-codec';
import type { HubTag, InheritanceLink } from './hub-state';
import { kojiId } from './koji-ids';
import { intOrName, required, type Args, type MethodTable } from './koji-method';
import type { HubContext, KojiMap } from './koji-shapes';
import { userInfo } from './koji-shapes';
import { splitNvr } from './local-koji-files';

/** The logged-in caller, allowed to write; an AuthError or ActionNotAllowed fault otherwise. */
export function writer(ctx: HubContext, method: string, target: Target = { kind: 'global' }): Actor {
  if (!ctx.actor)
    throw new KojiFault(
      FAULT.auth,
      `${method}: not logged in (log in with login or sslLogin, or send Cascade's bearer token)`,
    );
  const decision = authorize(ctx.actor, 'module-build.start', target);
  if (!decision.allowed) throw new KojiFault(FAULT.actionNotAllowed, `${method}: ${decision.reason}`);
  return ctx.actor;
}

/** Every tag: LocalKoji's (a directory each, made by tagging) and those made by createTag. */
export function allTags(ctx: HubContext): string[] {
  return [...new Set([...ctx.files.tags(), ...ctx.state.tagNames()])].sort();
}

/** A tag by id or name. */
export function findTagName(ctx: HubContext, ref: number | string): string | undefined {
  return allTags(ctx).find((t) => (typeof ref === 'number' ? kojiId('tag', t) === ref : t === ref));
}

const noSuchTag = (ref: number | string) => new KojiFault(FAULT.generic, `No such tagInfo: ${JSON.stringify(ref)}`);

/** The hub's record of a tag; a tag LocalKoji made by tagging (a module tag) gets a default one. */
export function hubTag(ctx: HubContext, method: string, a: Args, argument: string): HubTag {
  const ref = required(method, a, argument);
  const name = findTagName(ctx, ref);
  if (!name) throw noSuchTag(ref);
  return (
    ctx.state.tag(name) ?? {
      name,
      arches: null,
      extra: {},
      inheritance: [],
      groups: {},
      packages: {},
      createdAt: new Date().toISOString(),
    }
  );
}

function inheritanceRow(ctx: HubContext, tag: HubTag, link: InheritanceLink): KojiMap {
  return {
    parent_id: kojiId('tag', link.parent),
    name: link.parent,
    priority: link.priority,
    maxdepth: link.maxdepth,
    intransitive: link.intransitive,
    noconfig: link.noconfig,
    pkg_filter: link.pkg_filter,
    child_id: kojiId('tag', tag.name),
  };
}

function newTag(ctx: HubContext, name: string): void {
  if (allTags(ctx).includes(name)) throw new KojiFault(FAULT.generic, `A tag with the name '${name}' already exists`);
}

export const tagAdminMethods: MethodTable = {
  createTag: {
    params: ['name', 'parent', 'arches', 'perm', 'locked', 'maven_support', 'maven_include_all', 'extra'],
    call: async (ctx, a) => {
      writer(ctx, 'createTag');
      const name = String(required('createTag', a, 'name'));
      newTag(ctx, name);
      const parentRef = intOrName('createTag', a, 'parent');
      const parent = parentRef === undefined ? undefined : findTagName(ctx, parentRef);
      if (parentRef !== undefined && !parent) throw noSuchTag(parentRef);
      const extra = a.extra && typeof a.extra === 'object' && !Array.isArray(a.extra) ? (a.extra as KojiMap) : {};
      const link = (p: string): InheritanceLink => ({
        parent: p,
        priority: 0,
        maxdepth: null,
        intransitive: false,
        noconfig: false,
        pkg_filter: '',
      });
      ctx.state.saveTag({
        name,
        arches: typeof a.arches === 'string' ? a.arches : null,
        extra,
        inheritance: parent ? [link(parent)] : [],
        groups: {},
        packages: {},
        createdAt: new Date().toISOString(),
      });
      return kojiId('tag', name);
    },
  },
  getInheritanceData: {
    params: ['tag', 'event'],
    call: (ctx, a) => {
      const tag = hubTag(ctx, 'getInheritanceData', a, 'tag');
      return tag.inheritance.map((l) => inheritanceRow(ctx, tag, l));
    },
  },
  setInheritanceData: {
    params: ['tag', 'data', 'clear'],
    call: (ctx, a) => {
      writer(ctx, 'setInheritanceData');
      const tag = hubTag(ctx, 'setInheritanceData', a, 'tag');
      if (!Array.isArray(a.data)) throw new KojiFault(FAULT.parameter, 'setInheritanceData: data must be a list');
      const links = new Map((a.clear ? [] : tag.inheritance).map((l) => [l.parent, l]));
      for (const raw of a.data) {
        const d = (raw ?? {}) as KojiMap;
        const parentRef = typeof d.parent_id === 'number' || typeof d.parent_id === 'string' ? d.parent_id : d.name;
        const parent =
          typeof parentRef === 'number' || typeof parentRef === 'string' ? findTagName(ctx, parentRef) : undefined;
        if (!parent) throw new KojiFault(FAULT.generic, `No such tag: ${JSON.stringify(parentRef ?? null)}`);
        if (parent === tag.name) throw new KojiFault(FAULT.generic, `a tag cannot inherit from itself: ${parent}`);
        if (d['delete link']) {
          links.delete(parent);
          continue;
        }
        links.set(parent, {
          parent,
          priority: typeof d.priority === 'number' ? d.priority : 0,
          maxdepth: typeof d.maxdepth === 'number' ? d.maxdepth : null,
          intransitive: Boolean(d.intransitive),
          noconfig: Boolean(d.noconfig),
          pkg_filter: typeof d.pkg_filter === 'string' ? d.pkg_filter : '',
        });
      }
      const ordered = [...links.values()].sort((x, y) => x.priority - y.priority);
      const priorities = new Set(ordered.map((l) => l.priority));
      if (priorities.size !== ordered.length)
        throw new KojiFault(
          FAULT.generic,
          `Multiple parent tags with the same priority in the inheritance of ${tag.name}`,
        );
      ctx.state.saveTag({ ...tag, inheritance: ordered });
      return null;
    },
  },
  createBuildTarget: {
    params: ['name', 'build_tag', 'dest_tag'],
    call: (ctx, a) => {
      writer(ctx, 'createBuildTarget');
      const name = String(required('createBuildTarget', a, 'name'));
      if (ctx.state.target(name))
        throw new KojiFault(FAULT.generic, `A build target with the name '${name}' already exists`);
      const buildTag = hubTag(ctx, 'createBuildTarget', a, 'build_tag').name;
      const destTag = hubTag(ctx, 'createBuildTarget', a, 'dest_tag').name;
      ctx.state.saveTarget({ name, buildTag, destTag });
      return kojiId('target', name);
    },
  },
  packageListAdd: {
    params: ['taginfo', 'pkginfo', 'owner', 'block', 'extra_arches', 'force', 'update'],
    call: (ctx, a) => {
      const actor = writer(ctx, 'packageListAdd');
      const tag = hubTag(ctx, 'packageListAdd', a, 'taginfo');
      const pkg = String(required('packageListAdd', a, 'pkginfo'));
      const owner = typeof a.owner === 'string' ? a.owner : (tag.packages[pkg]?.owner ?? actor.name);
      ctx.state.saveTag({ ...tag, packages: { ...tag.packages, [pkg]: { owner } } });
      return null;
    },
  },
  listPackages: {
    params: [
      'tagID',
      'userID',
      'pkgID',
      'prefix',
      'inherited',
      'with_dups',
      'event',
      'queryOpts',
      'with_owners',
      'with_blocked',
    ],
    call: (ctx, a) => {
      if (a.tagID === undefined || a.tagID === null)
        throw new KojiFault(FAULT.parameter, 'listPackages: this hub lists the packages of one tag (tagID)');
      const tag = hubTag(ctx, 'listPackages', a, 'tagID');
      const names = new Set(Object.keys(tag.packages));
      for (const nvr of ctx.files.tagged(tag.name)) names.add(splitNvr(nvr)?.name ?? nvr);
      return [...names].sort().map((name) => {
        const owner = tag.packages[name]?.owner ?? 'cascade';
        return {
          package_id: kojiId('package', name),
          package_name: name,
          tag_id: kojiId('tag', tag.name),
          tag_name: tag.name,
          owner_id: userInfo(owner).id,
          owner_name: owner,
          blocked: false,
          extra_arches: null,
        };
      });
    },
  },
  groupListAdd: {
    params: [
      'taginfo',
      'grpinfo',
      'block',
      'force',
      'description',
      'display_name',
      'is_default',
      'uservisible',
      'lang',
      'biarchonly',
      'exported',
    ],
    call: (ctx, a) => {
      writer(ctx, 'groupListAdd');
      const tag = hubTag(ctx, 'groupListAdd', a, 'taginfo');
      const group = String(required('groupListAdd', a, 'grpinfo'));
      ctx.state.saveTag({ ...tag, groups: { ...tag.groups, [group]: tag.groups[group] ?? [] } });
      return null;
    },
  },
  groupPackageListAdd: {
    params: ['taginfo', 'grpinfo', 'pkg_name', 'block', 'force', 'type', 'basearchonly', 'requires'],
    call: (ctx, a) => {
      writer(ctx, 'groupPackageListAdd');
      const tag = hubTag(ctx, 'groupPackageListAdd', a, 'taginfo');
      const group = String(required('groupPackageListAdd', a, 'grpinfo'));
      const pkg = String(required('groupPackageListAdd', a, 'pkg_name'));
      const members = tag.groups[group];
      if (!members) throw new KojiFault(FAULT.generic, `group ${group} not present in tag ${tag.name}`);
      if (!members.includes(pkg)) ctx.state.saveTag({ ...tag, groups: { ...tag.groups, [group]: [...members, pkg] } });
      return null;
    },
  },
  getTagGroups: {
    params: ['tag', 'event', 'inherit', 'incl_pkgs', 'incl_reqs', 'incl_blocked'],
    call: (ctx, a) => {
      const tag = hubTag(ctx, 'getTagGroups', a, 'tag');
      return Object.entries(tag.groups).map(([name, pkgs]) => ({
        name,
        group_id: kojiId('package', `group:${name}`),
        tag_id: kojiId('tag', tag.name),
        packagelist: pkgs.map((p) => ({ package: p, type: 'mandatory', blocked: false })),
      }));
    },
  },
  // A LocalKoji buildroot is the tagged builds' own repositories: a "repo" is the moment it was asked for.
  newRepo: {
    params: ['tag', 'event', 'src', 'debuginfo', 'separate_src'],
    call: (ctx, a) => {
      const actor = writer(ctx, 'newRepo');
      const tag = hubTag(ctx, 'newRepo', a, 'tag');
      const repoId = kojiId('repo', `${tag.name}\n${Date.now()}\n${Math.random()}`);
      const result: XmlRpcValue[] = [repoId, null];
      const task = ctx.state.recordOwnTask('newRepo', [tag.name], result, actor.name);
      ctx.state.saveRepo({ id: repoId, tag: tag.name, createdAt: task.createdAt, taskId: task.id });
      return task.id;
    },
  },
};
