// Cascade's builds, tasks, tags and people in the dictionaries Koji's hub answers (field names as
// kojihub.py's get_build, readTaggedBuilds, Task.fields, list_tags/get_tag, list_rpms and get_user
// select them), so koji's CLI formats them as it formats a real hub's.
import type { PrismaClient } from '@prisma/client';
import type { BuildRecord, Builder, TaskStatus } from '../../activities/koji/builder';
import type { Actor } from '../identity/authorize';
import { kojiTagName } from '../../domain/module-build';
import type { HubSessions, SessionCall } from './hub-sessions';
import type { HubState } from './hub-state';
import { kojiId, kojiTaskId } from './koji-ids';
import { splitNvr, type LocalKojiFiles, type RpmHeader } from './local-koji-files';
import { KojiDouble, type XmlRpcValue } from '../../platform/xmlrpc-codec';

export interface HubContext {
  files: LocalKojiFiles;
  prisma: PrismaClient;
  /** where this hub is reached, for the source URLs it hands out */
  baseUrl: string;
  actor?: Actor;
  /** tags, untags and builds through the builder, as the workflows do */
  builder: Builder;
  /** what the hub keeps beside LocalKoji's records: tags, targets, repos, submitted build tasks */
  state: HubState;
  sessions: HubSessions;
  /** the Koji session the call came in, when it came in one */
  session?: SessionCall;
  /** the CN of the client certificate the TLS server verified (for sslLogin) */
  sslUser?: string;
  /** a build's time limit */
  buildTimeoutMs: number;
  /** the person one of their Cascade API tokens names (the `login` password) */
  actorForToken(token: string): Promise<Actor | undefined>;
}

export type KojiMap = Record<string, XmlRpcValue>;

export const BUILD_STATE = { BUILDING: 0, COMPLETE: 1, DELETED: 2, FAILED: 3, CANCELED: 4 } as const;
export const TASK_STATE = { FREE: 0, OPEN: 1, CLOSED: 2, CANCELED: 3, ASSIGNED: 4, FAILED: 5 } as const;
/** Builds and tasks no person started (LocalKoji's own) belong to this user. */
export const SYSTEM_USER = 'cascade';
const ARCHES = 'x86_64 noarch';

const kojiTime = (iso: string | undefined) => (iso ? iso.replace('T', ' ').replace('Z', '+00:00') : null);
const kojiTs = (iso: string | undefined) => (iso ? new KojiDouble(Date.parse(iso) / 1000) : null);

/** The module build a component build was first made for, which owns it and names its target. */
async function firstUse(prisma: PrismaClient, where: { nvr: string } | { taskId: string }) {
  return prisma.componentBuild.findFirst({
    where: { ...where, reusedFromId: null },
    include: { moduleBuild: true },
    orderBy: { startedAt: 'asc' },
  });
}

export const moduleTag = (m: { name: string; stream: string; version: string; context: string }) =>
  kojiTagName(m.name, m.stream, m.version, m.context);

export function userInfo(name: string): KojiMap {
  return { id: kojiId('user', name), name, status: 0, usertype: 0, krb_principals: [], krb_principal: null };
}

export async function buildInfo(ctx: HubContext, build: BuildRecord): Promise<KojiMap> {
  const parts = splitNvr(build.nvr)!;
  const used = await firstUse(ctx.prisma, { nvr: build.nvr });
  const owner = ctx.state.buildTask(build.taskId)?.owner ?? used?.moduleBuild.owner ?? SYSTEM_USER;
  const status = ctx.files.taskStatus(build.taskId);
  const submitted = ctx.state.buildTask(build.taskId);
  const source = `git+${ctx.baseUrl}/git/rpms/${build.component}#${build.commit}`;
  const metadata = submitted?.opts.custom_user_metadata;
  return {
    id: kojiId('build', build.nvr),
    build_id: kojiId('build', build.nvr),
    package_id: kojiId('package', parts.name),
    package_name: parts.name,
    name: parts.name,
    version: parts.version,
    release: parts.release,
    epoch: null,
    nvr: build.nvr,
    draft: false,
    state: BUILD_STATE.COMPLETE,
    task_id: kojiTaskId(build.taskId),
    owner_id: kojiId('user', owner),
    owner_name: owner,
    volume_id: 0,
    volume_name: 'DEFAULT',
    creation_event_id: null,
    creation_time: kojiTime(status?.startedAt ?? build.completedAt),
    creation_ts: kojiTs(status?.startedAt ?? build.completedAt),
    start_time: kojiTime(status?.startedAt),
    start_ts: kojiTs(status?.startedAt),
    completion_time: kojiTime(build.completedAt),
    completion_ts: kojiTs(build.completedAt),
    promotion_time: null,
    promotion_ts: null,
    promoter_id: null,
    promoter_name: null,
    cg_id: null,
    source: submitted ? `${submitted.src.replace(/[?#].*$/, '')}#${build.commit}` : source,
    extra: {
      source: { original_url: submitted?.src ?? source },
      ...(metadata ? { custom_user_metadata: metadata } : {}),
    },
  };
}

export function rpmInfo(build: BuildRecord, rpm: RpmHeader): KojiMap {
  return {
    id: kojiId('rpm', rpm.file),
    build_id: kojiId('build', build.nvr),
    name: rpm.name,
    version: rpm.version,
    release: rpm.release,
    epoch: rpm.epoch,
    arch: rpm.arch,
    nvr: `${rpm.name}-${rpm.version}-${rpm.release}`,
    draft: false,
    payloadhash: rpm.payloadhash,
    size: rpm.size,
    buildtime: rpm.buildtime,
    buildroot_id: null,
    external_repo_id: 0,
    external_repo_name: 'INTERNAL',
    metadata_only: false,
    extra: null,
  };
}

export function tagInfo(name: string, stored?: { arches: string | null; extra: Record<string, XmlRpcValue> }): KojiMap {
  return {
    id: kojiId('tag', name),
    name,
    perm_id: null,
    perm: null,
    arches: stored ? stored.arches : ARCHES,
    locked: false,
    maven_support: false,
    maven_include_all: false,
    extra: stored?.extra ?? {},
  };
}

const TASK_STATES: Record<TaskStatus['state'], number> = {
  running: TASK_STATE.OPEN,
  complete: TASK_STATE.CLOSED,
  failed: TASK_STATE.FAILED,
};

/** A LocalKoji task as a Koji `build` task: request [source URL, target, opts], as kojid's build task takes. */
export async function taskInfo(ctx: HubContext, taskId: string, withRequest: boolean): Promise<KojiMap | null> {
  const status = ctx.files.taskStatus(taskId);
  const request = ctx.files.taskRequest(taskId);
  if (!status || !request) return null;
  const used = await firstUse(ctx.prisma, { taskId });
  const submitted = ctx.state.buildTask(taskId);
  const owner = submitted?.owner ?? used?.moduleBuild.owner ?? SYSTEM_USER;
  const target = submitted?.target ?? (used ? moduleTag(used.moduleBuild) : null);
  const info: KojiMap = {
    id: kojiTaskId(taskId),
    state: TASK_STATES[status.state],
    create_time: kojiTime(status.startedAt),
    create_ts: kojiTs(status.startedAt),
    start_time: kojiTime(status.startedAt),
    start_ts: kojiTs(status.startedAt),
    completion_time: kojiTime(status.finishedAt),
    completion_ts: kojiTs(status.finishedAt),
    channel_id: 1,
    host_id: null,
    parent: null,
    label: null,
    waiting: null,
    awaited: null,
    owner: kojiId('user', owner),
    method: 'build',
    arch: 'noarch',
    priority: 20,
    weight: 1.0,
  };
  if (withRequest) {
    info.request = submitted
      ? [submitted.src, submitted.target, submitted.opts]
      : [
          `git+${ctx.baseUrl}/git/rpms/${request.component}#${request.commit}`,
          target,
          { buildroot_hash: request.buildrootHash },
        ];
  }
  return info;
}

export async function knownUsers(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.user.findMany({ select: { name: true } });
  return [SYSTEM_USER, ...rows.map((r) => r.name)];
}
