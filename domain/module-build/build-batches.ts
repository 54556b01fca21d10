// A module build's rpm components split into batches that build in order, each on top of the earlier ones'
// results. By buildorder, as MBS does (components sharing a buildorder share a batch; batches ascend with it),
// or by buildafter (modulemd v2's alternative: a component builds in the first batch after every component it
// names). Cascade numbers component batches from 1; MBS reserves batch 1 for its module-build-macros package and
// starts components at 2. Cascade builds no macros package (the macros are part of the buildroot hash), so pass
// firstBatch: 2 only where MBS's numbering must be reproduced.
import type { ModuleBuildResult } from './module-build-error';
import { moduleBuildError } from './module-build-error';

/** What ordering needs of a component: the shape of RpmComponent in domain/modulemd. */
export interface OrderedComponent {
  buildorder?: number;
  buildafter?: readonly string[];
}

export interface BuildBatch {
  batch: number;
  /** component names, sorted */
  components: string[];
}

export type BatchesResult = ModuleBuildResult<{ batches: BuildBatch[] }>;

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function numbered(groups: string[][], firstBatch: number): BuildBatch[] {
  return groups.map((components, index) => ({ batch: firstBatch + index, components: [...components].sort(byName) }));
}

function batchesByBuildorder(components: Readonly<Record<string, OrderedComponent>>, firstBatch: number): BuildBatch[] {
  const groups = new Map<number, string[]>();
  for (const [name, component] of Object.entries(components)) {
    const order = component.buildorder ?? 0;
    groups.set(order, [...(groups.get(order) ?? []), name]);
  }
  const orders = [...groups.keys()].sort((a, b) => a - b);
  return numbered(
    orders.map((order) => groups.get(order)!),
    firstBatch,
  );
}

/** One cycle among the components left unlayered, named in order, to tell the packager what to break. */
function findCycle(remaining: ReadonlySet<string>, components: Readonly<Record<string, OrderedComponent>>): string[] {
  const start = [...remaining].sort(byName)[0]!;
  const path: string[] = [];
  const seenAt = new Map<string, number>();
  let current = start;
  while (!seenAt.has(current)) {
    seenAt.set(current, path.length);
    path.push(current);
    // Every component left has a dependency still left, or it would have been layered.
    current = [...(components[current]!.buildafter ?? [])].sort(byName).find((dep) => remaining.has(dep))!;
  }
  return [...path.slice(seenAt.get(current)!), current];
}

function batchesByBuildafter(
  components: Readonly<Record<string, OrderedComponent>>,
  firstBatch: number,
): BatchesResult {
  const names = Object.keys(components);
  for (const name of names) {
    for (const dep of components[name]!.buildafter ?? []) {
      if (components[dep] !== undefined) continue;
      return {
        ok: false,
        error: moduleBuildError(
          'unknown-buildafter',
          `component '${name}' builds after '${dep}', which is not a component of the module`,
          { component: name, buildafter: dep },
        ),
      };
    }
  }
  const layered = new Set<string>();
  const groups: string[][] = [];
  while (layered.size < names.length) {
    const ready = names.filter(
      (name) => !layered.has(name) && (components[name]!.buildafter ?? []).every((dep) => layered.has(dep)),
    );
    if (ready.length === 0) {
      const cycle = findCycle(new Set(names.filter((name) => !layered.has(name))), components);
      return {
        ok: false,
        error: moduleBuildError(
          'buildafter-cycle',
          `component '${cycle[0]}' is in a buildafter cycle: ${cycle.join(' -> ')}`,
          { component: cycle[0], cycle },
        ),
      };
    }
    for (const name of ready) layered.add(name);
    groups.push(ready);
  }
  return { ok: true, batches: numbered(groups, firstBatch) };
}

/**
 * The build batches of a module's rpm components, sorted by batch, each batch's names sorted. By buildorder
 * (default 0) unless some component has a buildafter; a module mixing the two is rejected, as libmodulemd does.
 */
export function computeBatches(
  components: Readonly<Record<string, OrderedComponent>>,
  options: { firstBatch?: number } = {},
): BatchesResult {
  const firstBatch = options.firstBatch ?? 1;
  const names = Object.keys(components).sort(byName);
  const withBuildafter = names.find((name) => (components[name]!.buildafter ?? []).length > 0);
  if (withBuildafter === undefined) return { ok: true, batches: batchesByBuildorder(components, firstBatch) };
  // buildorder 0 is the default, indistinguishable from none (libmodulemd's rule, as in domain/modulemd).
  const withBuildorder = names.find((name) => (components[name]!.buildorder ?? 0) !== 0);
  if (withBuildorder !== undefined) {
    return {
      ok: false,
      error: moduleBuildError(
        'mixed-build-ordering',
        `component '${withBuildorder}' has a buildorder while '${withBuildafter}' has a buildafter: use one or the other in a module`,
        { component: withBuildorder, buildafter: withBuildafter },
      ),
    };
  }
  return batchesByBuildafter(components, firstBatch);
}
