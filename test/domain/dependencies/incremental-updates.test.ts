import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DependencyIndex, type ModuleDependencies, type RelationFilter } from '../../../domain/dependencies';
import { indexOf, seededRandom } from './graph-fixtures';

const RELATIONS: RelationFilter[] = ['buildrequires', 'requires', 'all'];

/** Every answer the index gives, for every node: what an incremental index must agree on with a fresh one. */
function allAnswers(index: DependencyIndex, nodes: readonly string[]) {
  return nodes.map((node) => ({
    node,
    components: index.componentsOf(node),
    byRelation: RELATIONS.map((relation) => ({
      direct: index.dependents(node, { relation, transitive: false }),
      transitive: index.dependents(node, { relation, transitive: true }),
      tiers: index.tiers(node, relation),
    })),
  }));
}

function rebuilt(declared: ReadonlyMap<string, ModuleDependencies>, components: ReadonlyMap<string, string[]>) {
  const index = new DependencyIndex();
  for (const [node, deps] of declared) index.setModuleDependencies(node, deps);
  for (const [node, list] of components) index.setModuleComponents(node, list);
  return index;
}

describe('DependencyIndex incremental updates', () => {
  it('answers like a fresh index after an edge is added under a cached answer', () => {
    const index = indexOf({ 'b:1': { requires: ['a:1'] }, 'c:1': { requires: ['x:1'] } });
    assert.deepEqual(
      index.dependents('a:1', { relation: 'requires', transitive: true }).map((d) => d.node),
      ['b:1'],
    );
    index.setModuleDependencies('x:1', { buildrequires: [], requires: ['b:1'] });
    const fresh = indexOf({ 'b:1': { requires: ['a:1'] }, 'c:1': { requires: ['x:1'] }, 'x:1': { requires: ['b:1'] } });
    const nodes = ['a:1', 'b:1', 'c:1', 'x:1'];
    assert.deepEqual(allAnswers(index, nodes), allAnswers(fresh, nodes));
    assert.deepEqual(
      index.dependents('a:1', { relation: 'requires', transitive: true }).map((d) => d.node),
      ['b:1', 'x:1', 'c:1'],
    );
  });

  it('answers like a fresh index after an edge is removed under a cached answer', () => {
    const index = indexOf({ 'b:1': { requires: ['a:1'] }, 'c:1': { requires: ['b:1'] } });
    assert.equal(index.tiers('a:1', 'requires').tiers.length, 3);
    index.setModuleDependencies('c:1', { buildrequires: [], requires: [] });
    const fresh = indexOf({ 'b:1': { requires: ['a:1'] }, 'c:1': {} });
    const nodes = ['a:1', 'b:1', 'c:1'];
    assert.deepEqual(allAnswers(index, nodes), allAnswers(fresh, nodes));
  });

  it('keeps edges others declare towards a removed module', () => {
    const index = indexOf({ 'b:1': { requires: ['a:1'] }, 'a:1': { requires: ['base:1'] } });
    index.removeModule('a:1');
    assert.deepEqual(index.dependenciesOf('a:1').requires, []);
    assert.deepEqual(
      index.dependents('a:1', { relation: 'requires', transitive: true }).map((d) => d.node),
      ['b:1'],
    );
    assert.deepEqual(index.dependents('base:1', { relation: 'requires', transitive: true }), []);
    assert.deepEqual(index.modules(), ['b:1']);
  });

  it('keeps unaffected cached answers and drops only those a change can alter', () => {
    const index = indexOf({ 'b:1': { requires: ['a:1'] }, 'q:1': { requires: ['p:1'] } });
    const untouched = index.dependents('p:1', { relation: 'requires', transitive: true });
    const touched = index.dependents('a:1', { relation: 'requires', transitive: true });
    index.setModuleDependencies('c:1', { buildrequires: [], requires: ['b:1'] });
    assert.equal(index.dependents('p:1', { relation: 'requires', transitive: true }), untouched);
    assert.notEqual(index.dependents('a:1', { relation: 'requires', transitive: true }), touched);
  });

  it('bumps the version on each real change and not on a repeated declaration', () => {
    const index = new DependencyIndex();
    const deps = { buildrequires: ['platform:f29'], requires: ['platform:f29'] };
    index.setModuleDependencies('perl:5.26', deps);
    const version = index.version;
    assert.equal(index.setModuleDependencies('perl:5.26', deps), false);
    assert.equal(index.version, version);
    index.setModuleDependencies('perl:5.26', { buildrequires: ['platform:f29'], requires: [] });
    index.removeModule('perl:5.26');
    assert.equal(index.version, version + 2);
    assert.equal(index.removeModule('perl:5.26'), false);
    assert.equal(index.version, version + 2);
  });

  it('agrees with a freshly built index through a seeded random sequence of updates', () => {
    const random = seededRandom(20_180_417);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const nodes = Array.from({ length: 40 }, (_, i) => `m${i}:${pick(['1', '1.10', 'master'])}`);
    const randomDeps = (): ModuleDependencies => {
      // Cycles and self-edges are allowed on purpose: they must not break invalidation either.
      const draw = () => Array.from({ length: Math.floor(random() * 4) }, () => pick(nodes));
      return { buildrequires: draw(), requires: draw() };
    };
    const declared = new Map<string, ModuleDependencies>();
    const components = new Map<string, string[]>();
    const index = new DependencyIndex({ maxCachedMembers: 200 });
    for (let step = 0; step < 400; step += 1) {
      const node = pick(nodes);
      const roll = random();
      if (roll < 0.7) {
        const deps = randomDeps();
        declared.set(node, deps);
        index.setModuleDependencies(node, deps);
      } else if (roll < 0.85) {
        declared.delete(node);
        components.delete(node);
        index.removeModule(node);
      } else {
        const list = Array.from({ length: Math.floor(random() * 3) }, () => `rpm${Math.floor(random() * 10)}`);
        if (list.length > 0) components.set(node, list);
        else components.delete(node);
        index.setModuleComponents(node, list);
      }
      // Queries between updates fill the cache, so stale entries would show at the checkpoints.
      for (let q = 0; q < 5; q += 1) {
        index.dependents(pick(nodes), { relation: pick(RELATIONS), transitive: random() < 0.7 });
        index.tiers(pick(nodes), pick(RELATIONS));
      }
      if (step % 20 === 19) {
        const fresh = rebuilt(declared, components);
        assert.deepEqual(allAnswers(index, nodes), allAnswers(fresh, nodes), `diverged at step ${step}`);
        for (let c = 0; c < 10; c += 1) {
          assert.deepEqual(index.modulesOfComponent(`rpm${c}`), fresh.modulesOfComponent(`rpm${c}`));
        }
      }
    }
  });
});
