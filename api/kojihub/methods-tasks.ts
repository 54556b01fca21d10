// Tasks: getTaskInfo, getTaskResult, getTaskChildren, listTaskOutput, downloadTaskOutput and the
// buildroot and host queries taskinfo makes. Every LocalKoji task is one `build` task with no children.
import fs from 'node:fs';
import { kojiId } from './koji-ids';
import { notFound, required, type MethodTable } from './koji-method';
import { TASK_STATE, taskInfo, userInfo, type HubContext, type KojiMap } from './koji-shapes';
import { settleBuildTask } from './methods-build-submit';
import { FAULT, KojiFault } from '../../platform/xmlrpc-codec';

const LOG_NAME = 'build.log';

/** A task the hub did itself (newRepo), closed at once, in getTaskInfo's shape. */
function ownTaskInfo(ctx: HubContext, id: number, withRequest: boolean): KojiMap | null {
  const task = ctx.state.ownTask(id);
  if (!task) return null;
  const time = task.createdAt.replace('T', ' ').replace('Z', '+00:00');
  const ts = Date.parse(task.createdAt) / 1000;
  return {
    id: task.id,
    state: TASK_STATE.CLOSED,
    create_time: time,
    create_ts: ts,
    start_time: time,
    start_ts: ts,
    completion_time: time,
    completion_ts: ts,
    channel_id: 2,
    host_id: null,
    parent: null,
    label: null,
    waiting: null,
    awaited: null,
    owner: userInfo(task.owner).id,
    method: task.method,
    arch: 'noarch',
    priority: 15,
    weight: 0.1,
    ...(withRequest ? { request: task.request } : {}),
  };
}

function localTask(ctx: HubContext, method: string, ref: number | string): string | undefined {
  if (typeof ref !== 'number') throw new KojiFault(FAULT.parameter, `${method}: a task id is an integer`);
  return ctx.files.taskById(ref);
}

export const taskMethods: MethodTable = {
  getTaskInfo: {
    params: ['task_id', 'request', 'strict'],
    call: async (ctx, a) => {
      const one = async (ref: number | string) => {
        const id = localTask(ctx, 'getTaskInfo', ref);
        if (id) await settleBuildTask(ctx, id);
        const info = id
          ? await taskInfo(ctx, id, Boolean(a.request))
          : ownTaskInfo(ctx, Number(ref), Boolean(a.request));
        if (!info && a.strict) throw notFound('task', ref);
        return info;
      };
      if (Array.isArray(a.task_id)) return Promise.all(a.task_id.map((t) => one(t as number)));
      return one(required('getTaskInfo', a, 'task_id'));
    },
  },
  getTaskResult: {
    params: ['taskId', 'raise_fault'],
    call: (ctx, a) => {
      const ref = required('getTaskResult', a, 'taskId');
      const id = localTask(ctx, 'getTaskResult', ref);
      const own = id ? undefined : ctx.state.ownTask(Number(ref));
      if (own) return own.result;
      const status = id ? ctx.files.taskStatus(id) : undefined;
      if (!id || !status) throw new KojiFault(FAULT.generic, 'No such task');
      if (status.state === 'running') throw new KojiFault(FAULT.generic, `Task ${ref} is not finished`);
      if (status.state === 'failed') {
        const fault = new KojiFault(FAULT.build, status.reason ?? 'build failed');
        if (a.raise_fault === false) return { faultCode: fault.faultCode, faultString: fault.message };
        throw fault;
      }
      const build = status.nvr ? ctx.files.build(status.nvr) : undefined;
      return {
        nvr: status.nvr ?? null,
        srpms: build ? [build.srpm] : [],
        rpms: build?.rpms ?? [],
        logs: [LOG_NAME],
      };
    },
  },
  getTaskChildren: {
    params: ['task_id', 'request', 'strict'],
    call: (ctx, a) => {
      const ref = required('getTaskChildren', a, 'task_id');
      if (a.strict && !localTask(ctx, 'getTaskChildren', ref)) throw notFound('task', ref);
      return [];
    },
  },
  listTaskOutput: {
    params: ['taskID', 'stat', 'all_volumes', 'strict'],
    call: (ctx, a) => {
      const ref = required('listTaskOutput', a, 'taskID');
      const id = localTask(ctx, 'listTaskOutput', ref);
      const log = id ? ctx.files.taskLogFile(id) : undefined;
      if (!log) {
        if (a.strict) throw notFound('task', ref);
        return a.stat || a.all_volumes ? {} : [];
      }
      if (a.stat) {
        const st = fs.statSync(log);
        const info = {
          st_size: String(st.size),
          st_atime: st.atimeMs / 1000,
          st_mtime: st.mtimeMs / 1000,
          st_ctime: st.ctimeMs / 1000,
        };
        return { [LOG_NAME]: a.all_volumes ? { DEFAULT: info } : info };
      }
      return a.all_volumes ? { [LOG_NAME]: ['DEFAULT'] } : [LOG_NAME];
    },
  },
  downloadTaskOutput: {
    params: ['taskID', 'fileName', 'offset', 'size', 'volume'],
    call: (ctx, a) => {
      const ref = required('downloadTaskOutput', a, 'taskID');
      const id = localTask(ctx, 'downloadTaskOutput', ref);
      if (a.fileName !== LOG_NAME || !id)
        throw new KojiFault(FAULT.generic, `no file: ${String(a.fileName)} output by task ${ref}`);
      const log = ctx.files.taskLogFile(id);
      const content = log ? fs.readFileSync(log) : Buffer.alloc(0);
      const offset = typeof a.offset === 'number' ? a.offset : 0;
      const size = typeof a.size === 'number' && a.size >= 0 ? a.size : content.length;
      return content.subarray(offset, offset + size).toString('base64');
    },
  },
  listBuildroots: {
    params: ['hostID', 'tagID', 'state', 'rpmID', 'archiveID', 'taskID', 'buildrootID', 'repoID', 'queryOpts'],
    call: () => [],
  },
  getHost: {
    params: ['hostInfo', 'strict', 'event'],
    call: (_ctx, a) => {
      const ref = required('getHost', a, 'hostInfo');
      if (ref !== 'localkoji' && ref !== kojiId('user', 'localkoji')) return null;
      return {
        id: kojiId('user', 'localkoji'),
        name: 'localkoji',
        user_id: kojiId('user', 'localkoji'),
        arches: 'x86_64 noarch',
        task_load: 0,
        capacity: 2,
        description: null,
        comment: null,
        ready: true,
        enabled: true,
      };
    },
  },
};
