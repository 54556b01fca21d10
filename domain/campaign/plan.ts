// What a change makes Cascade rebuild, and why: the modules that hold a changed component (or are
// changed themselves), everything that depends on them, their tiers, the dependency path that
// explains each member, and the dependencies each must wait for inside the campaign.
import {
  compareNodeNames,
  computeTiers,
  moduleStreamKey,
  splitModuleStreamKey,
  type DependencyRelation,
  type RelationFilter,
} from '../dependencies';

/** The dependency graph as the plan needs it (the metadata service's index, or a store snapshot). */
export interface CampaignGraph {
  /** module streams ("name:stream") that hold the component, with the ref their modulemd gives it */
  holdersOf(component: string): readonly { module: string; ref: string | null }[];
  hasModule(node: string): boolean;
  /** direct dependents following the relation, sorted */
  dependentsOf(node: string, relation: RelationFilter): readonly string[];
  /** direct dependencies of one relation */
  dependenciesOf(node: string, relation: DependencyRelation): readonly string[];
}

export interface CampaignChange {
  components: readonly string[];
  modules: readonly string[];
  branch: string;
  relation: RelationFilter;
}

export interface PlannedModule {
  node: string;
  name: string;
  stream: string;
  tier: number;
  /** named by the change itself (not only reached through a dependency) */
  changed: boolean;
  cycle: boolean;
  /** from a changed module to this one, each depending on the previous */
  path: string[];
  /** one line a person reads: why this module is rebuilt */
  reason: string;
  /** dependencies inside the campaign it waits for (lower tiers only: cycle mates cannot wait for each other) */
  dependsOn: string[];
}

export interface CampaignPlan {
  modules: PlannedModule[];
  tiers: string[][];
  cycles: string[][];
}

export type CampaignPlanResult =
  | { ok: true; plan: CampaignPlan }
  | { ok: false; error: { code: 'nothing_to_rebuild' | 'unknown_module'; field: string; message: string } };

/** A component's ref defaults to the module's stream name, as in MBS. */
function componentBranch(holder: { module: string; ref: string | null }): string {
  return holder.ref ?? splitModuleStreamKey(holder.module).stream;
}

export function planCampaign(change: CampaignChange, graph: CampaignGraph): CampaignPlanResult {
  const causes = new Map<string, string[]>();
  const addCause = (node: string, cause: string) => causes.set(node, [...(causes.get(node) ?? []), cause]);
  for (const component of [...change.components].sort(compareNodeNames)) {
    for (const holder of graph.holdersOf(component)) {
      if (componentBranch(holder) === change.branch)
        addCause(holder.module, `holds rpms/${component}, changed on ${change.branch}`);
    }
  }
  for (const module of [...change.modules].sort(compareNodeNames)) {
    const node = moduleStreamKey(module, change.branch);
    if (!graph.hasModule(node)) {
      return {
        ok: false,
        error: {
          code: 'unknown_module',
          field: 'modules',
          message: `module ${module} has no stream ${change.branch} in the dependency store`,
        },
      };
    }
    addCause(node, `modules/${module} changed on ${change.branch}`);
  }
  if (causes.size === 0) {
    const named = change.components.map((c) => `rpms/${c}`).join(', ');
    return {
      ok: false,
      error: {
        code: 'nothing_to_rebuild',
        field: 'components',
        message: `no module stream holds ${named} on branch ${change.branch}`,
      },
    };
  }
  const changed = [...causes.keys()].sort(compareNodeNames);
  const dependents = (node: string) => graph.dependentsOf(node, change.relation);
  const tiers = computeTiers(changed, dependents);
  const paths = explainingPaths(changed, dependents);
  const tierOf = new Map(tiers.members.map((m) => [m.node, m.tier]));
  const relations: DependencyRelation[] = change.relation === 'all' ? ['buildrequires', 'requires'] : [change.relation];

  const modules = tiers.members.map((member): PlannedModule => {
    const path = paths.get(member.node) ?? [member.node];
    const inside = new Set<string>();
    for (const relation of relations) {
      for (const dependency of graph.dependenciesOf(member.node, relation)) {
        const tier = tierOf.get(dependency);
        if (tier !== undefined && tier < member.tier) inside.add(dependency);
      }
    }
    return {
      node: member.node,
      ...splitModuleStreamKey(member.node),
      tier: member.tier,
      changed: member.changed,
      cycle: member.cycle,
      path,
      reason: member.changed ? (causes.get(member.node) ?? []).join('; ') : dependencyReason(path, graph),
      dependsOn: [...inside].sort(compareNodeNames),
    };
  });
  return {
    ok: true,
    plan: {
      modules,
      tiers: tiers.tiers.map((t) => [...t]),
      cycles: tiers.cycles.map((c) => [...c]),
    },
  };
}

/** Multi-source breadth-first walk: each node's shortest path from some changed node, smallest first. */
function explainingPaths(changed: readonly string[], dependents: (node: string) => readonly string[]) {
  const paths = new Map<string, string[]>(changed.map((c) => [c, [c]]));
  let layer = [...changed];
  while (layer.length > 0) {
    const next: string[] = [];
    for (const parent of layer) {
      for (const child of dependents(parent)) {
        if (paths.has(child)) continue;
        paths.set(child, [...paths.get(parent)!, child]);
        next.push(child);
      }
    }
    layer = next;
  }
  return paths;
}

function dependencyReason(path: readonly string[], graph: CampaignGraph): string {
  const node = path.at(-1)!;
  const via = path.at(-2);
  if (!via) return 'rebuilt with the change';
  const kind = graph.dependenciesOf(node, 'buildrequires').includes(via) ? 'buildrequires' : 'requires';
  return `${kind} ${via}, rebuilt (${path.join(' → ')})`;
}
