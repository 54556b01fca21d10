// The compose's orchestration, written once: Pungi's phases in order, variant by variant, with the
// rules of what a failure costs. It does no I/O itself — every step is a function it is given — so
// the Compose workflow runs it with activities and child workflows as its steps, and
// `cascade compose --local` runs it with the same library functions called directly. Deterministic:
// it only awaits its steps, so it is safe inside a workflow.
import type { ComposeVariant, ModuleStreamSpec } from './compose-request';
import type { ComposePhase } from './vocabulary';

export type ComposePhaseName = ComposePhase;

export type PhaseState = 'running' | 'done' | 'failed' | 'skipped';

export type FinalComposeStatus = 'FINISHED' | 'FINISHED_INCOMPLETE' | 'DOOMED';

/** A module a variant asks for: a stream, or one build of it when version (and context) are given (ODCS). */
export interface RequestedModule extends ModuleStreamSpec {
  version?: string;
  context?: string;
}

/** A variant as the compose runs it: CaaS's definition, its modules possibly pinned to builds. */
export interface PlannedVariant extends Omit<ComposeVariant, 'modules'> {
  modules: RequestedModule[];
}

export interface ComposeRunPlan {
  composeId: string;
  variants: PlannedVariant[];
}

export interface PkgsetAnswer {
  /** NSVCs of ready builds that passed CI, one per requested module */
  builds: string[];
  /** streams with no such build: they are built, then looked up again */
  missing: RequestedModule[];
  /** modules that cannot be had at all (a named build that does not exist), with the reason */
  unavailable: string[];
}

export interface VariantVerdict {
  passed: boolean;
  reason: string | null;
}

export interface ComposeSteps {
  phase(phase: ComposePhaseName, state: PhaseState, detail?: Record<string, unknown>): Promise<void>;
  variantState(uid: string, state: 'ready' | 'failed', reason: string | null): Promise<void>;
  init(): Promise<ComposeRunPlan>;
  pkgset(variant: PlannedVariant): Promise<PkgsetAnswer>;
  /** the streams a stream buildrequires that have no ready build yet: they are built before it */
  unbuiltBuildrequires(module: RequestedModule): Promise<RequestedModule[]>;
  /** builds a missing stream; never throws for a failed build, answers why */
  buildModule(module: RequestedModule): Promise<{ nsvc: string } | { failed: string }>;
  gather(variant: PlannedVariant, builds: string[]): Promise<void>;
  createrepo(variant: PlannedVariant): Promise<{ reused: boolean }>;
  image(variant: PlannedVariant): Promise<void>;
  imageChecksum(variants: PlannedVariant[]): Promise<void>;
  test(variant: PlannedVariant): Promise<VariantVerdict>;
  metadata(status: FinalComposeStatus, shipped: PlannedVariant[]): Promise<void>;
  note(shipped: { uid: string; builds: string[] }[]): Promise<void>;
  publish(): Promise<void>;
}

export interface ComposeRunOutcome {
  composeId: string;
  status: FinalComposeStatus;
  reason: string | null;
  variants: { uid: string; state: 'ready' | 'failed'; reason: string | null; builds: string[] }[];
}

/** Runs one phase, recording it running and then done (or failed, rethrowing). */
async function inPhase<T>(steps: ComposeSteps, phase: ComposePhaseName, work: () => Promise<T>): Promise<T> {
  await steps.phase(phase, 'running');
  try {
    const result = await work();
    await steps.phase(phase, 'done');
    return result;
  } catch (err) {
    await steps.phase(phase, 'failed', { reason: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}

const moduleKey = (m: RequestedModule) => [m.name, m.stream, m.version, m.context].filter(Boolean).join(':');

/**
 * The compose: a variant that cannot get its modules, or fails validation, is left out with its
 * reason and the others ship (FINISHED_INCOMPLETE); with none left the compose is DOOMED and nothing
 * is published. A failure of the compose's own machinery (a phase that throws) dooms it too.
 */
export async function runCompose(steps: ComposeSteps): Promise<ComposeRunOutcome> {
  const plan = await inPhase(steps, 'init', () => steps.init());
  const state = new Map(plan.variants.map((v) => [v.uid, { failed: null as string | null, builds: [] as string[] }]));
  const failVariant = async (uid: string, reason: string) => {
    const s = state.get(uid)!;
    if (s.failed) return;
    s.failed = reason;
    await steps.variantState(uid, 'failed', reason);
  };
  const alive = () => plan.variants.filter((v) => !state.get(v.uid)!.failed);

  await inPhase(steps, 'pkgset', async () => {
    // A stream two variants need is built once, after the streams it buildrequires that have no build.
    const builds = new Map<string, Promise<{ nsvc: string } | { failed: string }>>();
    const ensureBuilt = (m: RequestedModule, chain: string[]): Promise<{ nsvc: string } | { failed: string }> => {
      const key = moduleKey(m);
      if (chain.includes(key))
        return Promise.resolve({ failed: `buildrequires form a cycle: ${[...chain, key].join(' → ')}` });
      if (!builds.has(key))
        builds.set(
          key,
          (async () => {
            for (const dep of await steps.unbuiltBuildrequires(m)) {
              const built = await ensureBuilt(dep, [...chain, key]);
              if ('failed' in built)
                return { failed: `its buildrequire ${moduleKey(dep)} could not be built: ${built.failed}` };
            }
            return steps.buildModule(m);
          })(),
        );
      return builds.get(key)!;
    };
    await Promise.all(
      plan.variants.map(async (variant) => {
        const first = await steps.pkgset(variant);
        if (first.unavailable.length > 0) return failVariant(variant.uid, first.unavailable.join('; '));
        const failures: string[] = [];
        for (const m of first.missing) {
          const built = await ensureBuilt(m, []);
          if ('failed' in built) failures.push(`${moduleKey(m)} could not be built: ${built.failed}`);
        }
        if (failures.length > 0) return failVariant(variant.uid, failures.join('; '));
        const answer = first.missing.length > 0 ? await steps.pkgset(variant) : first;
        if (answer.missing.length + answer.unavailable.length > 0)
          return failVariant(
            variant.uid,
            [...answer.unavailable, ...answer.missing.map((m) => `${moduleKey(m)} has no ready build`)].join('; '),
          );
        state.get(variant.uid)!.builds = answer.builds;
      }),
    );
  });

  const perVariant = async (phase: ComposePhaseName, work: (v: PlannedVariant) => Promise<unknown>) =>
    inPhase(steps, phase, async () => {
      await Promise.all(alive().map((v) => work(v)));
    });

  if (alive().length > 0) {
    await perVariant('gather', (v) => steps.gather(v, state.get(v.uid)!.builds));
    await perVariant('createrepo', (v) => steps.createrepo(v));
    await perVariant('image', (v) => steps.image(v));
    await inPhase(steps, 'image_checksum', () => steps.imageChecksum(alive()));
    await perVariant('test', async (v) => {
      const verdict = await steps.test(v);
      if (!verdict.passed) await failVariant(v.uid, verdict.reason ?? 'validation failed');
    });
  } else {
    for (const phase of ['gather', 'createrepo', 'image', 'image_checksum', 'test'] as const)
      await steps.phase(phase, 'skipped');
  }

  // A variant whose parent was left out cannot ship either: its closure is gone.
  for (const v of plan.variants) {
    if (v.parent && state.get(v.parent)?.failed && !state.get(v.uid)!.failed)
      await failVariant(v.uid, `its parent variant ${v.parent} was left out`);
  }
  const shipped = alive();
  for (const v of shipped) await steps.variantState(v.uid, 'ready', null);
  const status: FinalComposeStatus =
    shipped.length === 0 ? 'DOOMED' : shipped.length < plan.variants.length ? 'FINISHED_INCOMPLETE' : 'FINISHED';

  await inPhase(steps, 'metadata', () => steps.metadata(status, shipped));
  await inPhase(steps, 'note', () =>
    steps.note(shipped.map((v) => ({ uid: v.uid, builds: state.get(v.uid)!.builds }))),
  );
  if (status === 'DOOMED') await steps.phase('publish', 'skipped');
  else await inPhase(steps, 'publish', () => steps.publish());

  const failedReasons = plan.variants.flatMap((v) => {
    const failed = state.get(v.uid)!.failed;
    return failed ? [`${v.uid}: ${failed}`] : [];
  });
  return {
    composeId: plan.composeId,
    status,
    reason: failedReasons.length > 0 ? failedReasons.join('; ') : null,
    variants: plan.variants.map((v) => {
      const s = state.get(v.uid)!;
      return { uid: v.uid, state: s.failed ? 'failed' : 'ready', reason: s.failed, builds: s.builds };
    }),
  };
}
