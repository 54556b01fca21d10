// A module build's place in Koji, made as MBS's KojiModuleBuilder makes it: the module tag (the build
// target's destination) and its "-build" tag (the buildroot: the module's macros as rpm.macro.* in
// its extra, the build and srpm-build groups, inheritance from the buildrequired modules' tags and
// the platform's tag), the target joining them, each component in both tags' package lists, and
// before a later batch the earlier builds tagged into the buildroot and its repo regenerated. Every
// step looks first, so running it again (a retried activity, a second component of the batch) adds
// nothing twice.
import { kojiBuildTagName, kojiTagName, parseNsvc } from '../../domain/module-build';
import type { XmlRpcValue } from '../../platform/xmlrpc-codec';
import type { ModuleBuildContext } from './builder';
import { KojiCallError, type KojiCall, type KojiHubClient } from './koji-hub-client';

export interface KojiTagSettings {
  /** the architectures of the module tags (createTag's arches) */
  arches: string;
  /** packages of the build and srpm-build groups, which a Koji buildroot installs */
  buildGroup: string[];
  /** the tag every module buildroot inherits from last (the platform's), when there is one */
  platformTag?: string;
}

export interface ModuleTags {
  tag: string;
  buildTag: string;
  target: string;
}

type KojiMap = Record<string, XmlRpcValue>;

export function moduleTagsOf(nsvc: string): ModuleTags {
  const parsed = parseNsvc(nsvc);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { name, stream, version, context } = parsed.nsvc;
  const tag = kojiTagName(name, stream, version, context);
  return { tag, buildTag: kojiBuildTagName(tag), target: tag };
}

/** Runs the calls in one logged-in multicall; the first fault is thrown, naming its method. */
export async function multicallOrThrow(client: KojiHubClient, calls: KojiCall[]): Promise<XmlRpcValue[]> {
  if (calls.length === 0) return [];
  const outcomes = await client.multicall(calls, { loggedIn: true });
  return outcomes.map((o) => {
    if ('fault' in o) throw o.fault;
    return o.value;
  });
}

/** createTag and createBuildTarget raced by another component of the same batch: theirs is ours. */
const alreadyExists = (err: unknown) => err instanceof KojiCallError && /already exists/i.test(err.faultString);

async function createUnlessRaced(client: KojiHubClient, method: string, args: XmlRpcValue[], kwargs = {}) {
  try {
    await client.callLoggedIn(method, args, kwargs);
  } catch (err) {
    if (!alreadyExists(err)) throw err;
  }
}

export class KojiModuleTags {
  /** one preparation per module tag at a time in this process: the batch's components share it */
  private readonly preparing = new Map<string, Promise<ModuleTags>>();

  constructor(
    private readonly client: KojiHubClient,
    private readonly settings: KojiTagSettings,
  ) {}

  /** The module's tags and target, made or completed; the macros go into the buildroot tag's extra. */
  prepare(module: ModuleBuildContext, macros: Record<string, string>): Promise<ModuleTags> {
    const tags = moduleTagsOf(module.nsvc);
    let pending = this.preparing.get(tags.tag);
    if (!pending) {
      pending = this.create(tags, module, macros).finally(() => this.preparing.delete(tags.tag));
      this.preparing.set(tags.tag, pending);
    }
    return pending;
  }

  private async create(tags: ModuleTags, module: ModuleBuildContext, macros: Record<string, string>) {
    const [dest, build, target] = (await multicallOrThrow(this.client, [
      { method: 'getTag', args: [tags.tag] },
      { method: 'getTag', args: [tags.buildTag] },
      { method: 'getBuildTarget', args: [tags.target] },
    ])) as (KojiMap | null)[];
    const arches = this.settings.arches;
    if (!dest) await createUnlessRaced(this.client, 'createTag', [tags.tag], { arches });
    if (!build) {
      const extra = Object.fromEntries(Object.entries(macros).map(([k, v]) => [`rpm.macro.${k}`, v]));
      await createUnlessRaced(this.client, 'createTag', [tags.buildTag], { arches, extra });
    }
    if (!build) await this.addGroups(tags.buildTag);
    await this.inherit(tags.buildTag, module);
    if (!target) await createUnlessRaced(this.client, 'createBuildTarget', [tags.target, tags.buildTag, tags.tag]);
    return tags;
  }

  /** MBS's _koji_add_groups_to_tag: the build and srpm-build groups with the buildroot's packages. */
  private async addGroups(buildTag: string): Promise<void> {
    const calls: KojiCall[] = [];
    for (const group of ['build', 'srpm-build']) {
      calls.push({ method: 'groupListAdd', args: [buildTag, group] });
      for (const pkg of this.settings.buildGroup)
        calls.push({ method: 'groupPackageListAdd', args: [buildTag, group, pkg] });
    }
    await multicallOrThrow(this.client, calls);
  }

  /** The buildroot inherits the buildrequired modules' tags in their order, then the platform's. */
  private async inherit(buildTag: string, module: ModuleBuildContext): Promise<void> {
    const parents = module.buildrequires.map((nsvc) => moduleTagsOf(nsvc).tag);
    if (this.settings.platformTag) parents.push(this.settings.platformTag);
    const current = (await this.client.call('getInheritanceData', [buildTag])) as KojiMap[] | null;
    const names = (current ?? []).map((p) => String(p.name));
    if (names.length === parents.length && names.every((n, i) => n === parents[i])) return;
    const infos = (await multicallOrThrow(
      this.client,
      parents.map((p) => ({ method: 'getTag', args: [p], kwargs: { strict: true } })),
    )) as KojiMap[];
    const data = infos.map((info, i) => ({
      parent_id: info.id ?? null,
      priority: i * 10,
      maxdepth: null,
      intransitive: false,
      noconfig: false,
      pkg_filter: '',
    }));
    await this.client.callLoggedIn('setInheritanceData', [buildTag, data], { clear: true });
  }

  /** Each named package listed in the module's tags (a Koji tag refuses builds of unlisted packages). */
  async listPackages(tags: ModuleTags, packages: string[], owner: string): Promise<void> {
    const calls: KojiCall[] = [];
    for (const tag of [tags.tag, tags.buildTag]) {
      const listed = (await this.client.call('listPackages', [], { tagID: tag, inherited: false })) as KojiMap[];
      const have = new Set(listed.map((p) => String(p.package_name)));
      for (const pkg of packages)
        if (!have.has(pkg)) calls.push({ method: 'packageListAdd', args: [tag, pkg], kwargs: { owner } });
    }
    await multicallOrThrow(this.client, calls);
  }
}
