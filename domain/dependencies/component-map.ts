// Which components (RPM source names) each module stream holds, and the reverse: which module
// streams hold a component — what a component push looks up to find the modules to rebuild.

import { compareNodeNames, sortedUnique } from './graph-model';

const NONE: readonly string[] = Object.freeze([]);

export class ComponentMap {
  private readonly componentsByModule = new Map<string, readonly string[]>();
  private readonly modulesByComponent = new Map<string, Set<string>>();
  /** Sorted answers, rebuilt only for components whose holders changed. */
  private readonly sortedModules = new Map<string, readonly string[]>();

  /** Replaces the module's components; answers whether anything changed. */
  set(node: string, components: Iterable<string>): boolean {
    const next = sortedUnique(components);
    const previous = this.componentsByModule.get(node) ?? NONE;
    if (sameList(previous, next)) return false;
    const kept = new Set(next);
    for (const component of previous) if (!kept.has(component)) this.unlink(node, component);
    const had = new Set(previous);
    for (const component of next) if (!had.has(component)) this.link(node, component);
    if (next.length === 0) this.componentsByModule.delete(node);
    else this.componentsByModule.set(node, Object.freeze(next));
    return true;
  }

  componentsOf(node: string): readonly string[] {
    return this.componentsByModule.get(node) ?? NONE;
  }

  modulesOf(component: string): readonly string[] {
    const memo = this.sortedModules.get(component);
    if (memo) return memo;
    const holders = this.modulesByComponent.get(component);
    if (!holders) return NONE;
    const sorted = Object.freeze([...holders].sort(compareNodeNames));
    this.sortedModules.set(component, sorted);
    return sorted;
  }

  private link(node: string, component: string): void {
    const holders = this.modulesByComponent.get(component);
    if (holders) holders.add(node);
    else this.modulesByComponent.set(component, new Set([node]));
    this.sortedModules.delete(component);
  }

  private unlink(node: string, component: string): void {
    const holders = this.modulesByComponent.get(component);
    holders?.delete(node);
    if (holders?.size === 0) this.modulesByComponent.delete(component);
    this.sortedModules.delete(component);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
