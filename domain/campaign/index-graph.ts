// The plan's view of the metadata service's dependency index, with the component refs (which the
// index does not keep) supplied by the caller from the store.
import { moduleStreamKey, type DependencyIndex } from '../dependencies';
import type { CampaignGraph } from './plan';

export interface ComponentHolderRow {
  moduleName: string;
  moduleStream: string;
  componentName: string;
  ref: string | null;
}

/** What a plan reads of a dependency graph: the metadata service's, or a DependencyIndex. */
export type PlanGraphSource = Pick<DependencyIndex, 'modules' | 'directDependents' | 'dependenciesOf'>;

export function campaignGraphOf(index: PlanGraphSource, holders: readonly ComponentHolderRow[]): CampaignGraph {
  const byComponent = new Map<string, { module: string; ref: string | null }[]>();
  for (const h of holders) {
    const list = byComponent.get(h.componentName) ?? [];
    list.push({ module: moduleStreamKey(h.moduleName, h.moduleStream), ref: h.ref });
    byComponent.set(h.componentName, list);
  }
  const known = new Set(index.modules());
  return {
    holdersOf: (component) => byComponent.get(component) ?? [],
    hasModule: (node) => known.has(node),
    dependentsOf: (node, relation) => index.directDependents(node, relation),
    dependenciesOf: (node, relation) => index.dependenciesOf(node)[relation],
  };
}
