// Which components of a module build are rebuilt and which are taken over from the previous build of the same
// module stream, under MBS's three rebuild strategies (ModuleBuild.rebuild_strategies in
// module_build_service/common/models.py; the rules are get_reusable_component in scheduler/reuse.py):
// - all: every component is rebuilt; nothing is reused.
// - only-changed: a component is rebuilt when its ref changed since the previous build; the rest are reused.
// - changed-and-after (MBS's default): a component is reused only when its ref is unchanged and every batch
//   before its own is unchanged. So the changed components and every component in a batch after the earliest
//   batch holding a change are rebuilt; unchanged components in that earliest batch or before it are reused.
// "Changed" is the caller's judgement from the previous build: a new ref, a component new to the module, a
// component moved to another batch, or changed arches. MBS also refuses reuse under changed-and-after when the
// module's macros changed; Cascade's buildroot hash covers the macros, so that check lives there.
import type { BuildBatch } from './build-batches';
import type { ModuleBuildResult } from './module-build-error';
import { moduleBuildError } from './module-build-error';

/** The strategies' names, in MBS's order: what the API's and the CLI's choices list. */
export const REBUILD_STRATEGY_NAMES = ['all', 'changed-and-after', 'only-changed'] as const;

export type RebuildStrategy = (typeof REBUILD_STRATEGY_NAMES)[number];

/** MBS's description of each strategy. */
export const REBUILD_STRATEGIES = {
  all: 'All components will be rebuilt',
  'changed-and-after': 'All components that have changed and those in subsequent batches will be rebuilt',
  'only-changed': 'All changed components will be rebuilt',
} as const satisfies Record<RebuildStrategy, string>;

/** MBS's conf.rebuild_strategy default. */
export const DEFAULT_REBUILD_STRATEGY: RebuildStrategy = 'changed-and-after';

export function parseRebuildStrategy(text: string): ModuleBuildResult<{ strategy: RebuildStrategy }> {
  if (Object.hasOwn(REBUILD_STRATEGIES, text)) return { ok: true, strategy: text as RebuildStrategy };
  const choices = Object.keys(REBUILD_STRATEGIES).join(', ');
  return {
    ok: false,
    error: moduleBuildError(
      'invalid-rebuild-strategy',
      `the rebuild strategy "${text}" is invalid; choose from: ${choices}`,
    ),
  };
}

export interface RebuildPlan {
  /** component names to build, sorted */
  rebuild: string[];
  /** component names whose previous builds are taken over, sorted */
  reuse: string[];
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The plan for a module build's components. changedComponents names those that changed since the previous
 * build; names that are not in any batch (components since removed) change nothing here, as the caller marks
 * what their removal affects.
 */
export function planRebuild(
  strategy: RebuildStrategy,
  batches: readonly BuildBatch[],
  changedComponents: Iterable<string>,
): RebuildPlan {
  const changed = new Set(changedComponents);
  const all = batches.flatMap((batch) => batch.components);
  const mustRebuild = (name: string, batch: number, earliestChanged: number): boolean => {
    if (strategy === 'all') return true;
    if (changed.has(name)) return true;
    return strategy === 'changed-and-after' && batch > earliestChanged;
  };
  const changedBatches = batches.filter((batch) => batch.components.some((name) => changed.has(name)));
  const earliestChanged = Math.min(...changedBatches.map((batch) => batch.batch));
  const rebuild = batches.flatMap((batch) =>
    batch.components.filter((name) => mustRebuild(name, batch.batch, earliestChanged)),
  );
  const rebuilt = new Set(rebuild);
  return { rebuild: rebuild.sort(byName), reuse: all.filter((name) => !rebuilt.has(name)).sort(byName) };
}
