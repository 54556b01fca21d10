// A module build and its component builds in the JSON MBS 3.9.2 answers, field for field: short_json (the
// list's ?short=true), json (the default) and extended_json (?verbose=true), and ComponentBuild.json.
import { MBS_MODULE_STATES, type MbsModuleState } from '../events/messages';

/** MBS's BUILD_STATES: the numbers its API and messages carry (garbage, 6, is never used by Cascade). */
export const MBS_BUILD_STATES = { ...MBS_MODULE_STATES, garbage: 6 } as const;

/** A state filter's value, by name or number, as filter_module_builds takes it; undefined when unknown. */
export function mbsStateNumber(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  return (MBS_BUILD_STATES as Record<string, number>)[value];
}

/** Koji's build states, which MBS's component builds carry (koji.BUILD_STATES). */
const KOJI_BUILD_STATES = { BUILDING: 0, COMPLETE: 1, DELETED: 2, FAILED: 3, CANCELED: 4 } as const;
type KojiStateName = keyof typeof KOJI_BUILD_STATES;
type CascadeComponentState = 'waiting' | 'building' | 'complete' | 'failed' | 'reused';

/** MBS records a reused component COMPLETE with a reason; one not yet submitted has no Koji state. */
function kojiState(state: CascadeComponentState): KojiStateName | null {
  if (state === 'building') return 'BUILDING';
  if (state === 'complete' || state === 'reused') return 'COMPLETE';
  if (state === 'failed') return 'FAILED';
  return null;
}

/**
 * The Koji task number of a component's task: a real Koji's task id is its number already; LocalKoji's is a
 * 24-hex digest whose first 48 bits the Koji-compatible hub serves it by (api/kojihub/koji-ids.ts), so
 * that `koji taskinfo <task_id>` finds what MBS's JSON names.
 */
export function kojiTaskNumber(taskId: string | null): number | null {
  if (taskId === null) return null;
  if (/^\d{1,15}$/.test(taskId)) return Number(taskId);
  if (/^[0-9a-f]{24}$/.test(taskId)) return Number.parseInt(taskId.slice(0, 12), 16);
  return null;
}

export interface MbsComponentFacts {
  mbsId: number;
  name: string;
  state: CascadeComponentState;
  stateReason: string | null;
  taskId: string | null;
  nvr: string | null;
  batch: number;
  commitHash: string;
  /** the MBS id of the component build this one reused */
  reusedFromMbsId: number | null;
}

export interface MbsTraceFacts {
  state: MbsModuleState;
  reason: string | null;
  at: Date;
}

export interface MbsModuleFacts {
  mbsId: number;
  name: string;
  stream: string;
  version: string;
  context: string;
  state: MbsModuleState;
  stateReason: string | null;
  owner: string;
  strategy: string;
  scmurl: string;
  kojiTag: string;
  createdAt: Date;
  updatedAt: Date;
  /** xmd.mbs.buildrequires of the built modulemd, as MBS answers it */
  buildrequires: Record<string, unknown>;
  modulemd: string | null;
  components: MbsComponentFacts[];
  /** the state history, oldest first */
  trace: MbsTraceFacts[];
  /** the other contexts of the same name:stream:version */
  siblings: number[];
  /** the MBS id of the build whose components were reused, if any */
  reusedModuleMbsId: number | null;
}

/** MBS's _utc_datetime_to_iso: seconds, a Z, no fraction. */
const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null);

/** When the build reached done or failed (MBS sets time_completed then); a ready build counts from its ready. */
function completedAt(b: MbsModuleFacts): Date | null {
  const end =
    b.trace.find((t) => t.state === 'done' || t.state === 'failed') ?? b.trace.find((t) => t.state === 'ready');
  return end?.at ?? null;
}

export function mbsShortJson(b: MbsModuleFacts) {
  return {
    id: b.mbsId,
    state: MBS_BUILD_STATES[b.state],
    state_name: b.state,
    stream: b.stream,
    version: b.version,
    name: b.name,
    context: b.context,
    scratch: false,
  };
}

/** ModuleBuild.tasks: format -> package -> its Koji task; none while the build is in init. */
function tasks(b: MbsModuleFacts) {
  if (b.state === 'init' || b.components.length === 0) return {};
  const rpms: Record<
    string,
    { task_id: number | null; state: number | null; state_reason: string | null; nvr: string | null }
  > = {};
  for (const c of b.components) {
    const koji = kojiState(c.state);
    rpms[c.name] = {
      task_id: kojiTaskNumber(c.taskId),
      state: koji === null ? null : KOJI_BUILD_STATES[koji],
      state_reason: c.stateReason,
      nvr: c.nvr,
    };
  }
  return { rpms };
}

export function mbsModuleJson(b: MbsModuleFacts) {
  const batches = b.components.filter((c) => c.state !== 'waiting').map((c) => c.batch);
  return {
    ...mbsShortJson(b),
    batch: batches.length ? Math.max(...batches) : 0,
    component_builds: b.components.map((c) => c.mbsId),
    koji_tag: b.kojiTag,
    owner: b.owner,
    new_repo_task_id: null,
    rebuild_strategy: b.strategy,
    scmurl: b.scmurl,
    srpms: [],
    siblings: b.siblings,
    state_reason: b.stateReason,
    time_completed: iso(completedAt(b)),
    time_modified: iso(b.updatedAt),
    time_submitted: iso(b.createdAt),
    buildrequires: b.buildrequires,
    tasks: tasks(b),
  };
}

export function mbsExtendedJson(b: MbsModuleFacts, stateUrl: string) {
  return {
    ...mbsModuleJson(b),
    base_module_buildrequires: [],
    build_context: null,
    build_context_no_bms: null,
    modulemd: b.modulemd,
    reused_module_id: b.reusedModuleMbsId,
    runtime_context: null,
    state_trace: b.trace.map((t) => ({
      time: iso(t.at),
      state: MBS_BUILD_STATES[t.state],
      state_name: t.state,
      reason: t.reason,
    })),
    state_url: stateUrl,
    stream_version: null,
    virtual_streams: [],
    arches: [],
  };
}

/** ComponentBuild.json (with state_name, which MBS adds when koji is importable). */
export function mbsComponentJson(c: MbsComponentFacts, moduleMbsId: number) {
  const koji = kojiState(c.state);
  return {
    id: c.mbsId,
    package: c.name,
    format: 'rpms',
    task_id: kojiTaskNumber(c.taskId),
    state: koji === null ? null : KOJI_BUILD_STATES[koji],
    state_name: koji,
    state_reason: c.stateReason,
    module_build: moduleMbsId,
    nvr: c.nvr,
  };
}
