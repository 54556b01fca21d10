import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  runCompose,
  type ComposeSteps,
  type PlannedVariant,
  type RequestedModule,
  type VariantVerdict,
} from '../../../domain/compose/run-compose';

const variant = (uid: string, modules: string[], parent?: string): PlannedVariant => ({
  uid,
  name: uid,
  type: 'variant',
  arches: ['x86_64'],
  groups: [],
  modules: modules.map((m) => {
    const [name, stream] = m.split(':');
    return { name: name!, stream: stream! };
  }),
  ...(parent ? { parent } : {}),
});

interface Script {
  variants: PlannedVariant[];
  /** streams with a ready build at the start (name:stream → nsvc) */
  ready: Record<string, string>;
  /** what building a stream gives: its nsvc, or a failure */
  builds?: Record<string, string | { failed: string }>;
  verdicts?: Record<string, VariantVerdict>;
  /** what a stream buildrequires (name:stream) */
  buildrequires?: Record<string, string[]>;
  throwIn?: keyof ComposeSteps;
}

/** Steps that record every call in order and answer from the script: the orchestration's whole contract. */
function scriptedSteps(script: Script) {
  const calls: string[] = [];
  const ready = { ...script.ready };
  const step =
    <A extends unknown[], R>(name: keyof ComposeSteps, answer: (...args: A) => R) =>
    async (...args: A): Promise<R> => {
      calls.push(
        `${name}(${args.map((a) => (typeof a === 'object' ? JSON.stringify(a && 'uid' in a ? a.uid : a) : String(a))).join(', ')})`,
      );
      if (script.throwIn === name) throw new Error(`${name} broke`);
      return answer(...args);
    };
  const key = (m: RequestedModule) => `${m.name}:${m.stream}`;
  const steps: ComposeSteps = {
    phase: step('phase', () => undefined),
    variantState: step('variantState', () => undefined),
    init: step('init', () => ({ composeId: 'test-1-20261130.n.0', variants: script.variants })),
    pkgset: step('pkgset', (v: PlannedVariant) => ({
      builds: v.modules.flatMap((m) => (ready[key(m)] ? [ready[key(m)]!] : [])),
      missing: v.modules.filter((m) => !ready[key(m)]),
      unavailable: [],
    })),
    unbuiltBuildrequires: step('unbuiltBuildrequires', (m: RequestedModule) =>
      (script.buildrequires?.[key(m)] ?? [])
        .filter((dep) => !ready[dep])
        .map((dep) => ({ name: dep.split(':')[0]!, stream: dep.split(':')[1]! })),
    ),
    buildModule: step('buildModule', (m: RequestedModule) => {
      const out = script.builds?.[key(m)] ?? { failed: 'no such stream' };
      if (typeof out === 'string') ready[key(m)] = out;
      return typeof out === 'string' ? { nsvc: out } : out;
    }),
    gather: step('gather', () => undefined),
    createrepo: step('createrepo', () => ({ reused: false })),
    image: step('image', () => undefined),
    imageChecksum: step('imageChecksum', () => undefined),
    test: step('test', (v: PlannedVariant) => script.verdicts?.[v.uid] ?? { passed: true, reason: null }),
    metadata: step('metadata', () => undefined),
    note: step('note', () => undefined),
    publish: step('publish', () => undefined),
  };
  return { steps, calls };
}

const phasesOf = (calls: string[]) => calls.filter((c) => c.startsWith('phase(')).map((c) => c.slice(6, -1));

describe('runCompose', () => {
  it('runs every phase in Pungi order and finishes with every variant shipped', async () => {
    const { steps, calls } = scriptedSteps({
      variants: [variant('Server', ['web:1']), variant('Workstation', ['desk:2'])],
      ready: { 'web:1': 'web:1:1:c', 'desk:2': 'desk:2:1:c' },
    });
    const outcome = await runCompose(steps);
    assert.equal(outcome.status, 'FINISHED');
    assert.equal(outcome.reason, null);
    assert.deepEqual(
      phasesOf(calls)
        .filter((p) => p.endsWith(', running'))
        .map((p) => p.split(',')[0]),
      ['init', 'pkgset', 'gather', 'createrepo', 'image', 'image_checksum', 'test', 'metadata', 'note', 'publish'],
    );
    assert.ok(
      calls.includes('note([{"uid":"Server","builds":["web:1:1:c"]},{"uid":"Workstation","builds":["desk:2:1:c"]}])'),
    );
    assert.ok(!calls.some((c) => c.startsWith('buildModule')));
  });

  it('builds a missing stream once even when two variants need it, then looks the builds up again', async () => {
    const { steps, calls } = scriptedSteps({
      variants: [variant('Server', ['lib:1', 'web:1']), variant('Workstation', ['lib:1'])],
      ready: { 'web:1': 'web:1:1:c' },
      builds: { 'lib:1': 'lib:1:2:c' },
    });
    const outcome = await runCompose(steps);
    assert.equal(outcome.status, 'FINISHED');
    assert.equal(calls.filter((c) => c.startsWith('buildModule')).length, 1);
    assert.deepEqual(outcome.variants.find((v) => v.uid === 'Server')!.builds, ['lib:1:2:c', 'web:1:1:c']);
  });

  it('builds a stream after the streams it buildrequires, even when another variant asks for those', async () => {
    const { steps, calls } = scriptedSteps({
      variants: [variant('Apps', ['app:1']), variant('Server', ['tools:1'])],
      ready: {},
      builds: { 'app:1': 'app:1:1:c', 'tools:1': 'tools:1:1:c' },
      buildrequires: { 'app:1': ['tools:1'] },
    });
    const outcome = await runCompose(steps);
    assert.equal(outcome.status, 'FINISHED');
    const builds = calls.filter((c) => c.startsWith('buildModule'));
    assert.deepEqual(builds, [
      'buildModule({"name":"tools","stream":"1"})',
      'buildModule({"name":"app","stream":"1"})',
    ]);
  });

  it('fails a stream whose buildrequire cannot be built, naming it', async () => {
    const { steps } = scriptedSteps({
      variants: [variant('Apps', ['app:1'])],
      ready: {},
      builds: { 'app:1': 'app:1:1:c' },
      buildrequires: { 'app:1': ['tools:1'] },
    });
    const outcome = await runCompose(steps);
    assert.equal(outcome.status, 'DOOMED');
    assert.match(
      outcome.reason!,
      /app:1 could not be built: its buildrequire tools:1 could not be built: no such stream/,
    );
  });

  it('leaves out a variant whose stream cannot be built, and ships the other: FINISHED_INCOMPLETE', async () => {
    const { steps, calls } = scriptedSteps({
      variants: [variant('Server', ['web:1']), variant('Workstation', ['broken:1'])],
      ready: { 'web:1': 'web:1:1:c' },
      builds: { 'broken:1': { failed: 'batch 1 failed: foo' } },
    });
    const outcome = await runCompose(steps);
    assert.equal(outcome.status, 'FINISHED_INCOMPLETE');
    assert.match(outcome.reason!, /Workstation: broken:1 could not be built: batch 1 failed: foo/);
    assert.ok(calls.includes('gather("Server", ["web:1:1:c"])'));
    assert.ok(!calls.some((c) => c.startsWith('gather("Workstation"')));
    assert.ok(calls.some((c) => c.startsWith('publish')));
  });

  it('leaves out a variant that fails validation, and its child variant with it', async () => {
    const { steps } = scriptedSteps({
      variants: [
        variant('Server', ['web:1']),
        variant('Everything', ['lib:1']),
        variant('Optional', ['web:1'], 'Everything'),
      ],
      ready: { 'web:1': 'web:1:1:c', 'lib:1': 'lib:1:1:c' },
      verdicts: { Everything: { passed: false, reason: 'repoclosure: nothing provides libfoo' } },
    });
    const outcome = await runCompose(steps);
    assert.equal(outcome.status, 'FINISHED_INCOMPLETE');
    assert.deepEqual(
      outcome.variants.map((v) => [v.uid, v.state, v.reason]),
      [
        ['Server', 'ready', null],
        ['Everything', 'failed', 'repoclosure: nothing provides libfoo'],
        ['Optional', 'failed', 'its parent variant Everything was left out'],
      ],
    );
  });

  it('is DOOMED and publishes nothing when no variant is left', async () => {
    const { steps, calls } = scriptedSteps({
      variants: [variant('Server', ['web:1'])],
      ready: { 'web:1': 'web:1:1:c' },
      verdicts: { Server: { passed: false, reason: 'profile default does not install' } },
    });
    const outcome = await runCompose(steps);
    assert.equal(outcome.status, 'DOOMED');
    assert.ok(calls.includes('phase(publish, skipped)'));
    assert.ok(!calls.some((c) => c.startsWith('publish(')));
  });

  it('records a phase that throws as failed and passes the error on', async () => {
    const { steps, calls } = scriptedSteps({
      variants: [variant('Server', ['web:1'])],
      ready: { 'web:1': 'web:1:1:c' },
      throwIn: 'createrepo',
    });
    await assert.rejects(runCompose(steps), /createrepo broke/);
    assert.ok(calls.includes('phase(createrepo, failed, {"reason":"createrepo broke"})'));
    assert.ok(!calls.some((c) => c.startsWith('phase(image,')));
  });
});
