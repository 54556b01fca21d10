// The messages Cascade announces, shaped as Fedora's services announce theirs: MBS's
// module.state.change and component.state.change (ModuleBuild.json / ComponentBuild.json of MBS 3.9),
// Pungi's notifier bodies (status-change, phase-start, phase-stop with compose_id, location and the
// compose fields it adds), ResultsDB's result.new (a result as its API v2 serialises it), and
// Cascade's own campaign.* bodies. Field names are kept where a Fedora consumer reads them.

/** fedora-messaging's severities (fedora_messaging.message: INFO 20, WARNING 30). */
export const SEVERITY = { info: 20, warning: 30 } as const;

export interface OutboxMessage {
  topic: string;
  /** what the message is about: campaign/<id>, module-build/<nsvc>, compose/<compose id> */
  objectKey: string;
  body: Record<string, unknown>;
  severity: number;
}

/** MBS's module build states and their numbers (module_build_service.models.BUILD_STATES). */
export const MBS_MODULE_STATES = { init: 0, wait: 1, build: 2, done: 3, failed: 4, ready: 5 } as const;
export type MbsModuleState = keyof typeof MBS_MODULE_STATES;

/** Koji's build states, which MBS's component builds carry (koji.BUILD_STATES). */
const KOJI_BUILD_STATES = { BUILDING: 0, COMPLETE: 1, DELETED: 2, FAILED: 3, CANCELED: 4 } as const;
type ComponentState = 'waiting' | 'building' | 'complete' | 'failed' | 'reused';

const iso = (d: Date | null | undefined) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null);

export const objectKeys = {
  campaign: (id: string) => `campaign/${id}`,
  moduleBuild: (nsvc: string) => `module-build/${nsvc}`,
  compose: (composeId: string) => `compose/${composeId}`,
};

export interface ModuleBuildFacts {
  id: string;
  name: string;
  stream: string;
  version: string;
  context: string;
  state: MbsModuleState;
  stateReason: string | null;
  owner: string;
  strategy: string;
  commitHash: string;
  campaignId: string | null;
  createdAt: Date;
  componentIds: string[];
}

export function moduleStateChange(b: ModuleBuildFacts, at: Date): OutboxMessage {
  const nsvc = `${b.name}:${b.stream}:${b.version}:${b.context}`;
  const final = b.state === 'done' || b.state === 'failed';
  return {
    topic: 'mbs.module.state.change',
    objectKey: objectKeys.moduleBuild(nsvc),
    severity: b.state === 'failed' ? SEVERITY.warning : SEVERITY.info,
    body: {
      id: b.id,
      name: b.name,
      stream: b.stream,
      version: b.version,
      context: b.context,
      state: MBS_MODULE_STATES[b.state],
      state_name: b.state,
      state_reason: b.stateReason,
      scratch: false,
      owner: b.owner,
      rebuild_strategy: b.strategy,
      scmurl: `modules/${b.name}?#${b.commitHash}`,
      koji_tag: `module-${b.name}-${b.stream}-${b.version}-${b.context}`,
      component_builds: b.componentIds,
      srpms: [],
      siblings: [],
      time_submitted: iso(b.createdAt),
      time_modified: iso(at),
      time_completed: final ? iso(at) : null,
      // Cascade's own, beside MBS's fields
      nsvc,
      campaign_id: b.campaignId,
    },
  };
}

export interface ComponentBuildFacts {
  id: string;
  name: string;
  state: ComponentState;
  stateReason: string | null;
  taskId: string | null;
  nvr: string | null;
  batch: number;
  commitHash: string;
  reusedFromId: string | null;
  moduleBuildId: string;
  nsvc: string;
}

/** MBS records a reused component as COMPLETE with a reason; a waiting one has no Koji state yet. */
function kojiState(state: ComponentState): keyof typeof KOJI_BUILD_STATES | null {
  if (state === 'building') return 'BUILDING';
  if (state === 'complete' || state === 'reused') return 'COMPLETE';
  if (state === 'failed') return 'FAILED';
  return null;
}

export function componentStateChange(c: ComponentBuildFacts): OutboxMessage {
  const koji = kojiState(c.state);
  return {
    topic: 'mbs.component.state.change',
    objectKey: objectKeys.moduleBuild(c.nsvc),
    severity: c.state === 'failed' ? SEVERITY.warning : SEVERITY.info,
    body: {
      id: c.id,
      package: c.name,
      format: 'rpms',
      task_id: c.taskId,
      state: koji === null ? null : KOJI_BUILD_STATES[koji],
      state_name: koji,
      state_reason: c.stateReason,
      module_build: c.moduleBuildId,
      nvr: c.nvr,
      batch: c.batch,
      ref: c.commitHash,
      // Cascade's own: the finer state (reused is COMPLETE to MBS) and where a reused build came from
      cascade_state: c.state,
      reused_component_id: c.reusedFromId,
      module_nsvc: c.nsvc,
    },
  };
}

export interface CampaignFacts {
  id: string;
  state: string;
  stateReason: string | null;
  branch: string;
  strategy: string;
  relation: string;
  trigger: unknown;
  createdBy: string;
  tierCount: number | null;
  workflowId: string;
  createdAt: Date;
  finishedAt: Date | null;
}

export function campaignStateChange(c: CampaignFacts): OutboxMessage {
  return {
    topic: 'cascade.campaign.state.change',
    objectKey: objectKeys.campaign(c.id),
    severity: c.state === 'failed' || c.state === 'waiting' ? SEVERITY.warning : SEVERITY.info,
    body: {
      campaign_id: c.id,
      state: c.state,
      state_reason: c.stateReason,
      branch: c.branch,
      rebuild_strategy: c.strategy,
      relation: c.relation,
      trigger: c.trigger,
      owner: c.createdBy,
      tier_count: c.tierCount,
      workflow_id: c.workflowId,
      time_submitted: iso(c.createdAt),
      time_completed: iso(c.finishedAt),
    },
  };
}

export interface CampaignModuleFacts {
  campaignId: string;
  name: string;
  stream: string;
  tier: number;
  state: string;
  attempt: number;
  nsvc: string | null;
  failedStep: string | null;
  failure: string | null;
}

export function campaignModuleStateChange(m: CampaignModuleFacts): OutboxMessage {
  return {
    topic: 'cascade.campaign.module.state.change',
    objectKey: objectKeys.campaign(m.campaignId),
    severity: m.state === 'failed' ? SEVERITY.warning : SEVERITY.info,
    body: {
      campaign_id: m.campaignId,
      module: `${m.name}:${m.stream}`,
      name: m.name,
      stream: m.stream,
      tier: m.tier,
      state: m.state,
      attempt: m.attempt,
      nsvc: m.nsvc,
      failed_step: m.failedStep,
      failure: m.failure,
    },
  };
}

export interface ResultFacts {
  id: bigint | number;
  testcase: string;
  outcome: string;
  itemType: string;
  item: string;
  note: string;
  data: unknown;
  submittedAt: Date;
  /** the object the result is about, for the feed's order: module-build/<nsvc> or compose/<id> */
  objectKey: string;
  refUrl: string | null;
}

/** ResultsDB keeps extra data as lists of strings per key. */
function resultsDbData(r: ResultFacts): Record<string, string[]> {
  const out: Record<string, string[]> = { item: [r.item], type: [r.itemType] };
  if (!r.data || typeof r.data !== 'object' || Array.isArray(r.data)) return out;
  for (const [key, value] of Object.entries(r.data)) {
    if (key === 'item' || key === 'type' || value === null || value === undefined) continue;
    if (Array.isArray(value)) out[key] = value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    else out[key] = [typeof value === 'string' ? value : JSON.stringify(value)];
  }
  return out;
}

export function resultNew(r: ResultFacts): OutboxMessage {
  return {
    topic: 'resultsdb.result.new',
    objectKey: r.objectKey,
    severity: r.outcome === 'PASSED' ? SEVERITY.info : SEVERITY.warning,
    body: {
      id: Number(r.id),
      outcome: r.outcome,
      note: r.note,
      ref_url: r.refUrl,
      submit_time: iso(r.submittedAt),
      testcase: { name: r.testcase, ref_url: null },
      data: resultsDbData(r),
      groups: [],
    },
  };
}

export interface ComposeFacts {
  composeId: string;
  status: string;
  path: string | null;
  date: string;
  type: string;
  respin: number;
  label: string | null;
  short: string;
  version: string;
  release: string;
}

/** The fields Pungi's notifier adds to every message about a compose. */
function composeFields(c: ComposeFacts) {
  return {
    compose_id: c.composeId,
    location: c.path,
    compose_date: c.date,
    compose_type: c.type,
    compose_respin: c.respin,
    compose_label: c.label,
    compose_path: c.path,
    release_short: c.short,
    release_name: c.short,
    release_version: c.version,
    release_type: 'ga',
    release_is_layered: false,
  };
}

export function composeStatusChange(c: ComposeFacts): OutboxMessage {
  const bad = c.status === 'DOOMED' || c.status === 'TERMINATED' || c.status === 'FINISHED_INCOMPLETE';
  return {
    topic: 'pungi.compose.status.change',
    objectKey: objectKeys.compose(c.composeId),
    severity: bad ? SEVERITY.warning : SEVERITY.info,
    body: { status: c.status, ...composeFields(c) },
  };
}

/** A compose on the mirror: Bodhi's "pushed" moment, when the latest link points at it. */
export function composePublished(c: ComposeFacts & { mirrorPath: string }): OutboxMessage {
  return {
    topic: 'cascade.compose.published',
    objectKey: objectKeys.compose(c.composeId),
    severity: SEVERITY.info,
    body: { status: c.status, mirror_path: c.mirrorPath, ...composeFields(c) },
  };
}

/** A variant's verdict: ready to ship, or left out with its reason. */
export function composeVariantChange(
  c: ComposeFacts,
  variant: string,
  state: string,
  reason: string | null,
): OutboxMessage {
  return {
    topic: 'cascade.compose.variant.state.change',
    objectKey: objectKeys.compose(c.composeId),
    severity: state === 'failed' ? SEVERITY.warning : SEVERITY.info,
    body: { variant, state, state_reason: reason, ...composeFields(c) },
  };
}

/** running is phase-start; done, failed and skipped are phase-stop (Cascade's `phase_state` says which). */
export function composePhaseChange(c: ComposeFacts, phase: string, state: string): OutboxMessage {
  return {
    topic: state === 'running' ? 'pungi.compose.phase.start' : 'pungi.compose.phase.stop',
    objectKey: objectKeys.compose(c.composeId),
    severity: state === 'failed' ? SEVERITY.warning : SEVERITY.info,
    body: { phase_name: phase, phase_state: state, ...composeFields(c) },
  };
}
