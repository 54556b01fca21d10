// Small graphs built by the tests, and a seeded PRNG so randomized tests replay identically.
import { DependencyIndex, type ModuleDependencies } from '../../../domain/dependencies';
import { seededRandom } from '../../../domain/seeded-random';

export type GraphSpec = Record<string, Partial<ModuleDependencies>>;

export function indexOf(spec: GraphSpec): DependencyIndex {
  const index = new DependencyIndex();
  for (const [node, deps] of Object.entries(spec)) {
    index.setModuleDependencies(node, { buildrequires: deps.buildrequires ?? [], requires: deps.requires ?? [] });
  }
  return index;
}

export { seededRandom };
