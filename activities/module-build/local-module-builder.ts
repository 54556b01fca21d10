// Module builds with no Temporal, no API, no database server and no Koji hub, for
// `cascade compose --local`: the same orchestration as the ModuleBuild workflow
// (domain/module-build/run-module-build.ts) over the same plan, record and finish functions, with
// the store on an embedded PGlite, LocalKoji called directly and dist-git a private LocalDistGit —
// all under one state directory, so a second run over the same tree reuses every build.
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { DEFAULT_REBUILD_STRATEGY, type RebuildStrategy } from '../../domain/module-build';
import { runModuleBuild, type ModuleBuildOutcome } from '../../domain/module-build/run-module-build';
import { rootCauseMessage } from '../../domain/root-cause';
import { workflowIds } from '../../domain/workflow-ids';
import { openDatabase } from '../../platform/database';
import { applyMigrations } from '../../platform/migrations';
import { latestReadyModuleBuild } from '../../store/module-builds';
import { LocalDistGit } from '../distgit';
import { importTreeIntoDistGit, type TreeImportResult } from '../distgit/tree-import';
import { LocalKoji } from '../koji';
import { buildComponentOnce } from '../koji/koji-activities';
import { createModuleBuildActivities } from './module-build-activities';
import { BASE_MODULES, createModuleBuildPlanActivities, moduleVersionAt, readModuleAt } from './module-build-plan';

export interface StreamRef {
  name: string;
  stream: string;
}

export interface LocalStreamOutcome extends StreamRef {
  nsvc: string | null;
  state: 'ready' | 'failed';
  reason: string | null;
  built: number;
  reused: number;
}

export type LocalBuildEvent =
  | { kind: 'planned'; nsvc: string; alreadyReady: boolean; components: number }
  | {
      kind: 'component';
      nsvc: string;
      name: string;
      state: 'building' | 'complete' | 'reused' | 'failed';
      nvr?: string;
    }
  | { kind: 'finished'; outcome: LocalStreamOutcome };

export interface LocalModuleBuilderOptions {
  /** holds db/ (PGlite), distgit/ and koji/ */
  stateDir: string;
  /** component builds of one batch at once (default 2) */
  concurrency?: number;
  componentTimeoutMs?: number;
  strategy?: RebuildStrategy;
  owner?: string;
  onEvent?: (event: LocalBuildEvent) => void;
}

const streamKey = (s: StreamRef) => `${s.name}:${s.stream}`;

export class LocalModuleBuilder {
  private readonly outcomes = new Map<string, Promise<LocalStreamOutcome>>();
  // One module build at a time: PGlite is one connection, and the builds' order is the dependencies'.
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly prisma: PrismaClient,
    readonly distGit: LocalDistGit,
    readonly koji: LocalKoji,
    readonly kojiRoot: string,
    private readonly options: LocalModuleBuilderOptions,
    private readonly closeDatabase: () => Promise<void>,
  ) {}

  static async open(options: LocalModuleBuilderOptions): Promise<LocalModuleBuilder> {
    const stateDir = path.resolve(options.stateDir);
    const database = { kind: 'pglite' as const, dataDir: path.join(stateDir, 'db') };
    await applyMigrations(database);
    const db = await openDatabase(database);
    const kojiRoot = path.join(stateDir, 'koji');
    return new LocalModuleBuilder(
      db.prisma,
      new LocalDistGit({ root: path.join(stateDir, 'distgit') }),
      new LocalKoji({ root: kojiRoot }),
      kojiRoot,
      options,
      db.close,
    );
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.closeDatabase();
  }

  importTree(dir: string, branch: string): Promise<TreeImportResult> {
    return importTreeIntoDistGit(this.distGit, dir, { branch });
  }

  /** The streams asked for and everything they buildrequire, each after what it needs. */
  async buildOrder(streams: StreamRef[]): Promise<StreamRef[]> {
    const order: StreamRef[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = async (s: StreamRef, path: string[]) => {
      const key = streamKey(s);
      if (state.get(key) === 'done') return;
      if (state.get(key) === 'visiting') throw new Error(`buildrequires form a cycle: ${[...path, key].join(' → ')}`);
      state.set(key, 'visiting');
      for (const dep of await this.buildrequires(s)) await visit(dep, [...path, key]);
      state.set(key, 'done');
      order.push(s);
    };
    for (const s of streams) await visit(s, []);
    return order;
  }

  /** The module streams (base modules aside) a stream's branch head buildrequires. */
  async buildrequires(s: StreamRef): Promise<StreamRef[]> {
    const read = await readModuleAt(this.distGit, s.name, s.stream);
    const requirements = read.stream.dependencies[0]?.buildrequires ?? {};
    return Object.entries(requirements).flatMap(([name, streams]) => {
      const stream = streams.find((x) => !x.startsWith('-'));
      return stream && !BASE_MODULES.has(name) ? [{ name, stream }] : [];
    });
  }

  /** Builds each stream (and its buildrequires first) once per run; a failed buildrequire fails its dependants. */
  async buildStreams(streams: StreamRef[]): Promise<LocalStreamOutcome[]> {
    return Promise.all(streams.map((s) => this.buildStream(s)));
  }

  async buildStream(s: StreamRef): Promise<LocalStreamOutcome> {
    let order: StreamRef[];
    try {
      order = await this.buildOrder([s]);
    } catch (err) {
      return this.failed(s, rootCauseMessage(err));
    }
    let last: LocalStreamOutcome | undefined;
    for (const step of order) {
      const outcome = await this.buildOnce(step);
      if (outcome.state === 'failed' && streamKey(step) !== streamKey(s))
        return this.failed(s, `its buildrequire ${streamKey(step)} failed: ${outcome.reason}`);
      last = outcome;
    }
    return last!;
  }

  /** The latest ready build of a stream in the local store (CI is not run locally). */
  async readyBuild(s: StreamRef): Promise<string | undefined> {
    return (await latestReadyModuleBuild(this.prisma, s.name, s.stream))?.nsvc;
  }

  private failed(s: StreamRef, reason: string): LocalStreamOutcome {
    const outcome: LocalStreamOutcome = { ...s, nsvc: null, state: 'failed', reason, built: 0, reused: 0 };
    this.options.onEvent?.({ kind: 'finished', outcome });
    return outcome;
  }

  private buildOnce(s: StreamRef): Promise<LocalStreamOutcome> {
    const key = streamKey(s);
    if (!this.outcomes.has(key)) {
      const next = this.queue.then(() => this.runBuild(s));
      this.queue = next.catch(() => undefined);
      this.outcomes.set(key, next);
    }
    return this.outcomes.get(key)!;
  }

  private async runBuild(s: StreamRef): Promise<LocalStreamOutcome> {
    let outcome: ModuleBuildOutcome;
    try {
      outcome = await this.runModuleBuild(s);
    } catch (err) {
      return this.failed(s, rootCauseMessage(err));
    }
    const result: LocalStreamOutcome = { ...s, ...outcome };
    this.options.onEvent?.({ kind: 'finished', outcome: result });
    return result;
  }

  private async runModuleBuild(s: StreamRef): Promise<ModuleBuildOutcome> {
    const deps = { prisma: this.prisma, distGit: this.distGit, builder: this.koji, kojiRoot: this.kojiRoot };
    const planning = createModuleBuildPlanActivities(deps);
    const records = createModuleBuildActivities(deps);
    const emit = (event: LocalBuildEvent) => this.options.onEvent?.(event);
    const target = await moduleVersionAt(this.distGit, s.name, s.stream);
    return runModuleBuild(
      {
        concurrency: this.options.concurrency ?? 2,
        componentTimeoutMs: this.options.componentTimeoutMs ?? 3_600_000,
      },
      {
        plan: async () => {
          const plan = await planning.planModuleBuild({
            ...s,
            commit: target.commit,
            strategy: this.options.strategy ?? DEFAULT_REBUILD_STRATEGY,
            owner: this.options.owner ?? 'local',
            workflowId: workflowIds.moduleBuild(s.name, s.stream, target.version),
          });
          const components = plan.batches.reduce((n, b) => n + b.components.length, 0);
          emit({ kind: 'planned', nsvc: plan.nsvc, alreadyReady: plan.alreadyReady, components });
          return plan;
        },
        setState: records.setModuleBuildState,
        reuseComponentBuild: async (input) => {
          const taken = await records.reuseComponentBuild(input);
          if (taken) emit({ kind: 'component', nsvc: input.nsvc, name: input.name, state: 'reused', nvr: taken.nvr });
          return taken;
        },
        recordComponentOutcome: async (nsvc, name, outcome) => {
          await records.recordComponentOutcome(nsvc, name, outcome);
          emit({
            kind: 'component',
            nsvc,
            name,
            state: outcome.state,
            nvr: 'nvr' in outcome ? outcome.nvr : undefined,
          });
        },
        buildComponent: (input) => buildComponentOnce(deps, input),
        finishModuleBuild: records.finishModuleBuild,
      },
    );
  }
}
