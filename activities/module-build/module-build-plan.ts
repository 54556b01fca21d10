// Planning one module build, as MBS does when a build is submitted: read the stream's modulemd at
// the commit, resolve its buildrequires to ready module builds, fill xmd.mbs, compute version and
// context, resolve every component's ref to a commit, split the components into batches, and
// record the build and its components in the store.
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { ApplicationFailure } from '@temporalio/activity';
import {
  computeBatches,
  computeContexts,
  computeModuleVersion,
  formatNsvc,
  moduleDisttag,
  planRebuild,
  type RebuildStrategy,
} from '../../domain/module-build';
import {
  describeModulemdError,
  parseModuleStream,
  serializeModuleStream,
  type ModuleStreamV2,
} from '../../domain/modulemd';
import { latestReadyModuleBuilds, recordPlannedModuleBuild } from '../../store/module-builds';
import type { ModuleBuildPlan, PlannedComponentBuild } from '../../domain/module-build/run-module-build';
import type { DistGit } from '../distgit';
import { heartbeatWhile } from './step-heartbeats';

/** Modules that are virtual here: nothing is built for them, their stream is all that matters. */
export const BASE_MODULES = new Set(['platform']);

export interface ModuleBuildRequest {
  name: string;
  stream: string;
  /** the module repository's commit; its branch head when absent */
  commit?: string;
  strategy: RebuildStrategy;
  owner: string;
  campaignId?: string | null;
  /**
   * A rebuild of an unchanged module (a campaign's) needs an NSVC of its own: its version comes from
   * this ISO time when it is later than the commit's.
   */
  rebuildAt?: string | null;
}

export type { ModuleBuildPlan, PlannedComponentBuild } from '../../domain/module-build/run-module-build';

const fail = (message: string, type = 'ModuleBuildPlanFailed') => ApplicationFailure.nonRetryable(message, type);
const isHash = (ref: string) => /^[0-9a-f]{40}$/.test(ref);

export async function readModuleAt(distGit: DistGit, name: string, stream: string, commit?: string) {
  const repo = { namespace: 'modules' as const, name };
  await distGit.refresh?.(repo);
  const resolved = commit ?? (await distGit.resolveBranch(repo, stream));
  if (!resolved) throw fail(`modules/${name} has no branch ${stream}`);
  const text = await distGit.readFile(repo, resolved, `${name}.yaml`);
  if (text === undefined) throw fail(`modules/${name} has no ${name}.yaml at ${resolved}`);
  const parsed = parseModuleStream(text, { fileName: `${name}.yaml` });
  if (!parsed.ok)
    throw fail(
      `modules/${name} ${stream} at ${resolved}: ${parsed.errors.map((e) => describeModulemdError(e)).join('; ')}`,
      'InvalidModulemd',
    );
  const info = await distGit.commitInfo(repo, resolved);
  return { commit: resolved, stream: parsed.stream, committedAt: info.committedAt };
}

function platformStream(stream: ModuleStreamV2): string | undefined {
  for (const deps of stream.dependencies) {
    const named = (deps.buildrequires.platform ?? []).filter((s) => !s.startsWith('-'));
    if (named[0]) return named[0];
  }
  return undefined;
}

/** The version a build of this commit gets (the API needs it for the workflow id). */
export async function moduleVersionAt(
  distGit: DistGit,
  name: string,
  stream: string,
  commit?: string,
  rebuildAt?: string | null,
) {
  const read = await readModuleAt(distGit, name, stream, commit);
  return { commit: read.commit, version: versionOf(read, rebuildAt) };
}

function versionOf(read: { stream: ModuleStreamV2; committedAt: Date }, rebuildAt?: string | null): string {
  const at = rebuildAt && new Date(rebuildAt) > read.committedAt ? new Date(rebuildAt) : read.committedAt;
  return computeModuleVersion(at, platformStream(read.stream));
}

/** Where the repository of a ready module build lives. */
export function moduleRepoDir(kojiRoot: string, nsvc: string): string {
  return path.join(kojiRoot, 'modules', nsvc.replace(/:/g, '-'));
}

export function createModuleBuildPlanActivities(deps: { prisma: PrismaClient; distGit: DistGit; kojiRoot: string }) {
  const { prisma, distGit } = deps;
  /** `begin`: a build to do is also recorded wait and build (the ModuleBuild workflow's since 'module-build-steps-in-activities'). */
  type PlanRequest = ModuleBuildRequest & { workflowId: string; begin?: boolean };
  async function planModuleBuild(request: PlanRequest): Promise<ModuleBuildPlan> {
    const read = await readModuleAt(distGit, request.name, request.stream, request.commit);
    const source = read.stream;
    if (source.dependencies.length > 1)
      throw fail(
        `${request.name}:${request.stream}: more than one dependencies block needs stream expansion, which Cascade does not do yet`,
      );
    const requirements = source.dependencies[0]?.buildrequires ?? {};
    const resolved: Record<string, { stream: string; version: string; context: string; koji_tag?: string }> = {};
    const buildrequires: ModuleBuildPlan['buildrequires'] = [];
    const wanted: { name: string; stream: string }[] = [];
    for (const [module, streams] of Object.entries(requirements)) {
      const stream = streams.find((s) => !s.startsWith('-'));
      if (!stream) throw fail(`${request.name}:${request.stream} buildrequires ${module} without naming a stream`);
      if (BASE_MODULES.has(module)) resolved[module] = { stream, version: '0', context: '00000000' };
      else wanted.push({ name: module, stream });
    }
    // the buildrequires' latest ready builds and this stream's own (what its components were), in one look
    const ready = await latestReadyModuleBuilds(prisma, [...wanted, { name: request.name, stream: request.stream }]);
    for (const { name: module, stream } of wanted) {
      const build = ready.get(`${module}:${stream}`);
      if (!build)
        throw fail(
          `${request.name}:${request.stream} buildrequires ${module}:${stream}, which has no ready build`,
          'BuildrequireNotReady',
        );
      resolved[module] = { stream, version: build.version, context: build.context };
      buildrequires.push({ nsvc: build.nsvc, repoDir: moduleRepoDir(deps.kojiRoot, build.nsvc) });
    }
    const platform = platformStream(source);
    const version = versionOf(read, request.rebuildAt);
    const componentRefs: Record<string, { ref: string }> = {};
    const components: Record<string, PlannedComponentBuild & { buildorder?: number; buildafter?: string[] }> = {};
    for (const [key, rpm] of Object.entries(source.components.rpms)) {
      const ref = rpm.ref ?? request.stream;
      const repo = { namespace: 'rpms' as const, name: key };
      await distGit.refresh?.(repo);
      const commit = isHash(ref) ? ref : await distGit.resolveBranch(repo, ref);
      if (!commit) throw fail(`component ${key}: rpms/${key} has no branch ${ref}`);
      componentRefs[key] = { ref: commit };
      components[key] = { name: key, commit, buildorder: rpm.buildorder, buildafter: rpm.buildafter };
    }
    const xmd = {
      ...(typeof source.xmd === 'object' && source.xmd && !Array.isArray(source.xmd) ? source.xmd : {}),
      mbs: {
        mse: true,
        commit: read.commit,
        scmurl: distGit.cloneUrl({ namespace: 'modules', name: request.name }) + `?#${read.commit}`,
        buildrequires: resolved,
        rpms: componentRefs,
      },
    };
    const withXmd: ModuleStreamV2 = { ...source, name: request.name, stream: request.stream, version, xmd };
    const contexts = computeContexts(withXmd);
    if (!contexts.ok) throw fail(contexts.error.message);
    const context = contexts.contexts.context;
    const nsvc = formatNsvc({ name: request.name, stream: request.stream, version, context });
    const batches = computeBatches(components);
    if (!batches.ok) throw fail(`${nsvc}: ${batches.error.message}`);

    const previous = ready.get(`${request.name}:${request.stream}`);
    const previousRefs = new Map(
      previous && previous.nsvc !== nsvc
        ? (await prisma.componentBuild.findMany({ where: { moduleBuild: { nsvc: previous.nsvc } } })).map((c) => [
            c.name,
            c.commitHash,
          ])
        : [],
    );
    const changed = Object.values(components)
      .filter((c) => previousRefs.get(c.name) !== c.commit)
      .map((c) => c.name);
    const plan = planRebuild(request.strategy, batches.batches, changed);

    const recorded = await recordPlannedModuleBuild(
      prisma,
      {
        nsvc,
        name: request.name,
        stream: request.stream,
        version,
        context,
        commitHash: read.commit,
        strategy: request.strategy,
        workflowId: request.workflowId,
        owner: request.owner,
        campaignId: request.campaignId ?? null,
      },
      batches.batches.flatMap((b) =>
        b.components.map((name) => ({ name, commitHash: components[name]!.commit, batch: b.batch })),
      ),
      request.begin === true,
    );
    const alreadyReady = recorded.before === 'ready';
    const modulemd = serializeModuleStream({ ...withXmd, context });
    const buildrootMacros = source.buildopts.rpms?.macros ?? '';
    return {
      nsvc,
      name: request.name,
      stream: request.stream,
      version,
      context,
      commit: read.commit,
      modulemd,
      batches: batches.batches.map((b) => ({
        batch: b.batch,
        components: b.components.map((name) => ({ name, commit: components[name]!.commit })),
      })),
      reusable: plan.reuse,
      buildrequires,
      buildrootModules: Object.entries(resolved)
        .map(([module, r]) => `${module}:${r.stream}:${r.version}:${r.context}`)
        .sort(),
      macros: {
        dist: moduleDisttag(
          request.name,
          request.stream,
          version,
          context,
          platform ? { baseModuleMarking: platform } : {},
        ),
        modularitylabel: `${request.name}:${request.stream}:${version}:${context}`,
        ...macroDefinitions(buildrootMacros),
      },
      buildrootMacros,
      buildopts: source.buildopts,
      alreadyReady,
    };
  }
  return {
    planModuleBuild: (request: PlanRequest) => heartbeatWhile(() => planModuleBuild(request)),
  };
}

/** buildopts.rpms.macros lines ("%name value") as rpm --define pairs. */
function macroDefinitions(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*%(\w+)\s+(.*\S)\s*$/.exec(line);
    if (match) out[match[1]!] = match[2]!;
  }
  return out;
}
