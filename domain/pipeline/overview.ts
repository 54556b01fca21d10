// The pipeline overview's answer: one shape for a component on a branch, a module stream, an NSVC,
// an NVR, a compose and a commit, so a person (or the dashboard) reads them all the same way.

export type PipelineKind = 'component' | 'module' | 'nsvc' | 'nvr' | 'compose' | 'commit';

export interface SourceCommit {
  /** namespace/name of the dist-git repository, e.g. rpms/libcore */
  repo: string;
  branch: string;
  commit: string;
  pushedBy: string;
  pushedAt: string;
}

export interface UnderwayBuild {
  /** null for a module build nobody's campaign started */
  campaignId: string | null;
  /** name:stream being built */
  module: string;
  tier: number | null;
  /** the campaign module's state (waiting, building, testing) or the module build's (init, wait, build) */
  state: string;
  startedAt: string | null;
  /** what it waits for: modules of the campaign (name:stream) not passed yet, or components still building */
  waitingFor: string[];
  workflowId: string;
  /** true when the state came from the running workflow's query, false when from the store */
  live: boolean;
}

export interface LatestBuild {
  nsvc: string;
  /** the component's NVR, when the overview is about a component or an NVR */
  nvr: string | null;
  builtAt: string | null;
  /** the module commit the build was made from (or the component commit, for a component or NVR) */
  fromCommit: string;
  state: string;
  ciOutcome: string | null;
  workflowId: string;
}

export interface LatestCompose {
  composeId: string;
  status: string;
  /** 'published', 'not yet published' (finished, not on the mirror), 'not published', 'removed' */
  publication: string;
  published: boolean;
  publishedAt: string | null;
  finishedAt: string | null;
  /** the build it holds, and in which variant */
  nsvc: string | null;
  variant: string | null;
}

export interface LineageCommit {
  repo: string;
  commit: string;
  /** the component, for an rpms/ commit */
  component: string | null;
  nvr: string | null;
  pushedBy: string | null;
  pushedAt: string | null;
}

export interface LineageBuild {
  nsvc: string;
  state: string;
  fromCommit: string;
  /** the component build in it, when the lineage is from a component commit or an NVR */
  component: string | null;
  nvr: string | null;
  /** the component build's state: complete, reused… */
  componentState: string | null;
}

export interface LineageCompose {
  composeId: string;
  nsvc: string;
  variant: string;
  status: string;
  publication: string;
}

/** Both ways: back to the commits a thing was built from, forward to the builds and composes holding it. */
export interface Lineage {
  commits: LineageCommit[];
  builds: LineageBuild[];
  composes: LineageCompose[];
}

export interface PipelineOverview {
  kind: PipelineKind;
  /** what the answer is about, canonical: libcore@f29, core:f29, an NSVC, an NVR, a compose id, a commit */
  key: string;
  verdict: string;
  source: SourceCommit | null;
  underway: UnderwayBuild[];
  latestBuild: LatestBuild | null;
  latestCompose: LatestCompose | null;
  lineage: Lineage;
  links: { temporal?: string; dashboard: string };
}
