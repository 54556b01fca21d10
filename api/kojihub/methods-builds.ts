// Builds, packages and RPMs: getBuild, listBuilds, getPackageID, getPackage, listRPMs, getRPM and the
// archive and signature queries buildinfo and download-build make (LocalKoji builds RPMs only, unsigned).
import type { BuildRecord } from '../../activities/koji/builder';
import { kojiId, kojiTaskId } from './koji-ids';
import { intOrName, notFound, required, type MethodTable } from './koji-method';
import { BUILD_STATE, buildInfo, rpmInfo, type HubContext, type KojiMap } from './koji-shapes';
import { splitNvr } from './local-koji-files';
import type { XmlRpcValue } from '../../platform/xmlrpc-codec';

export function findBuild(ctx: HubContext, ref: number | string): BuildRecord | undefined {
  return typeof ref === 'number' ? ctx.files.buildById(ref) : ctx.files.build(ref);
}

async function rpmsOf(ctx: HubContext, build: BuildRecord): Promise<KojiMap[]> {
  return (await ctx.files.rpmHeaders(build)).map((rpm) => rpmInfo(build, rpm));
}

/** getRPM's rpminfo: an id, or N-V-R.A (with or without .rpm). */
async function findRpm(ctx: HubContext, ref: number | string): Promise<KojiMap | undefined> {
  for (const build of ctx.files.builds()) {
    if (typeof ref === 'string' && !ref.startsWith(splitNvr(build.nvr)?.name ?? '\0')) continue;
    const found = (await rpmsOf(ctx, build)).find((r) =>
      typeof ref === 'number' ? r.id === ref : `${r.nvr}.${r.arch}` === ref.replace(/\.rpm$/, ''),
    );
    if (found) return found;
  }
  return undefined;
}

const matchesPattern = (nvr: string, pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(nvr);

export const buildMethods: MethodTable = {
  getBuild: {
    params: ['buildInfo', 'strict'],
    call: async (ctx, a) => {
      const ref = required('getBuild', a, 'buildInfo');
      const build = findBuild(ctx, ref);
      if (!build) {
        if (a.strict) throw notFound('build', ref);
        return null;
      }
      return buildInfo(ctx, build);
    },
  },
  listBuilds: {
    params: [
      'packageID',
      'userID',
      'taskID',
      'prefix',
      'state',
      'volumeID',
      'source',
      'createdBefore',
      'createdAfter',
      'completeBefore',
      'completeAfter',
      'type',
      'typeInfo',
      'queryOpts',
      'pattern',
      'cgID',
      'draft',
      'promotedBefore',
      'promotedAfter',
      'promoter',
    ],
    call: async (ctx, a) => {
      const rows: KojiMap[] = [];
      for (const build of ctx.files.builds()) {
        const name = splitNvr(build.nvr)?.name ?? '';
        if (typeof a.packageID === 'number' && kojiId('package', name) !== a.packageID) continue;
        if (typeof a.taskID === 'number' && kojiTaskId(build.taskId) !== a.taskID) continue;
        if (typeof a.prefix === 'string' && !build.nvr.startsWith(a.prefix)) continue;
        if (typeof a.pattern === 'string' && !matchesPattern(build.nvr, a.pattern)) continue;
        if (typeof a.state === 'number' && a.state !== BUILD_STATE.COMPLETE) continue;
        if (typeof a.type === 'string' && a.type !== 'rpm') continue;
        if (a.draft === true) continue;
        const info = await buildInfo(ctx, build);
        if (typeof a.userID === 'number' && info.owner_id !== a.userID) continue;
        rows.push(info);
      }
      return rows.sort((x, y) => Number(x.build_id) - Number(y.build_id));
    },
  },
  getPackageID: {
    params: ['name', 'strict'],
    call: (ctx, a) => {
      const name = String(required('getPackageID', a, 'name'));
      if (ctx.files.builds().some((b) => splitNvr(b.nvr)?.name === name)) return kojiId('package', name);
      if (a.strict) throw notFound('package', name);
      return null;
    },
  },
  getPackage: {
    params: ['info', 'strict', 'create'],
    call: (ctx, a) => {
      const ref = required('getPackage', a, 'info');
      const name = ctx.files
        .builds()
        .map((b) => splitNvr(b.nvr)?.name ?? '')
        .find((n) => (typeof ref === 'number' ? kojiId('package', n) === ref : n === ref));
      if (name) return { id: kojiId('package', name), name };
      if (a.strict) throw notFound('package', ref);
      return null;
    },
  },
  listRPMs: {
    params: ['buildID', 'buildrootID', 'imageID', 'componentBuildrootID', 'hostID', 'arches', 'queryOpts', 'draft'],
    call: async (ctx, a) => {
      const ref = intOrName('listRPMs', a, 'buildID');
      const builds = ref === undefined ? ctx.files.builds() : [findBuild(ctx, ref)].filter((b) => b !== undefined);
      if (a.buildrootID != null || a.componentBuildrootID != null || a.imageID != null || a.hostID != null) return [];
      const arches = typeof a.arches === 'string' ? [a.arches] : Array.isArray(a.arches) ? a.arches : undefined;
      const rows: KojiMap[] = [];
      for (const build of builds) rows.push(...(await rpmsOf(ctx, build)));
      return arches ? rows.filter((r) => arches.includes(r.arch as XmlRpcValue)) : rows;
    },
  },
  getRPM: {
    params: ['rpminfo', 'strict', 'multi'],
    call: async (ctx, a) => {
      const ref = required('getRPM', a, 'rpminfo');
      const found = await findRpm(ctx, ref);
      if (!found && a.strict) throw notFound('rpm', ref);
      if (a.multi) return found ? [found] : [];
      return found ?? null;
    },
  },
  listArchives: {
    params: [
      'buildID',
      'buildrootID',
      'componentBuildrootID',
      'hostID',
      'type',
      'filename',
      'size',
      'checksum',
      'checksum_type',
      'typeInfo',
      'queryOpts',
      'imageID',
      'archiveID',
      'strict',
    ],
    call: () => [],
  },
  getMavenBuild: { params: ['buildInfo', 'strict'], call: () => null },
  getWinBuild: { params: ['buildInfo', 'strict'], call: () => null },
  getImageBuild: { params: ['buildInfo', 'strict'], call: () => null },
  getBuildType: {
    params: ['buildInfo', 'strict'],
    call: (ctx, a) => {
      const ref = required('getBuildType', a, 'buildInfo');
      if (findBuild(ctx, ref)) return { rpm: null };
      if (a.strict) throw notFound('build', ref);
      return {};
    },
  },
  queryRPMSigs: { params: ['rpm_id', 'sigkey', 'queryOpts'], call: () => [] },
};
