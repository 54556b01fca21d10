// Small graphs built by the tests, and a seeded PRNG so randomized tests replay identically.
import { DependencyIndex, type ModuleDependencies } from '../../../domain/dependencies';

export type GraphSpec = Record<string, Partial<ModuleDependencies>>;

export function indexOf(spec: GraphSpec): DependencyIndex {
  const index = new DependencyIndex();
  for (const [node, deps] of Object.entries(spec)) {
    index.setModuleDependencies(node, { buildrequires: deps.buildrequires ?? [], requires: deps.requires ?? [] });
  }
  return index;
}

/** mulberry32: tiny, fast and good enough to draw test graphs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
