import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatComposeId, nextComposeId, parseComposeId, parseComposeRequest } from '../../../domain/compose';

describe('compose ids', () => {
  it('carry the type suffix productmd gives each compose type', () => {
    const base = { short: 'cascade', version: '29', date: '20260301', respin: 0 };
    assert.equal(formatComposeId({ ...base, type: 'production' }), 'cascade-29-20260301.0');
    assert.equal(formatComposeId({ ...base, type: 'nightly' }), 'cascade-29-20260301.n.0');
    assert.equal(formatComposeId({ ...base, type: 'test' }), 'cascade-29-20260301.t.0');
    assert.equal(formatComposeId({ ...base, type: 'ci' }), 'cascade-29-20260301.ci.0');
  });

  it('parse back into their parts, and a wrong part is named', () => {
    assert.deepEqual(parseComposeId('fedora-modular-29.1-20260301.n.3'), {
      ok: true,
      id: { short: 'fedora-modular', version: '29.1', date: '20260301', type: 'nightly', respin: 3 },
    });
    const badDate = parseComposeId('cascade-29-20261301.0');
    assert.equal(badDate.ok, false);
    assert.equal(!badDate.ok && badDate.error.field, 'date');
    const badSuffix = parseComposeId('cascade-29-20260301.x.0');
    assert.equal(!badSuffix.ok && badSuffix.error.field, 'type');
    const noRespin = parseComposeId('cascade-29-20260301');
    assert.equal(!noRespin.ok && noRespin.error.field, 'id');
  });

  it('count respins per release, day and type', () => {
    const base = { short: 'cascade', version: '29', date: '20260301', type: 'nightly' as const };
    assert.equal(nextComposeId(base, []), 'cascade-29-20260301.n.0');
    const existing = [
      'cascade-29-20260301.n.0',
      'cascade-29-20260301.n.4',
      'cascade-29-20260301.0', // production: another type
      'cascade-29-20260228.n.9', // another day
      'cascade-30-20260301.n.7', // another version
      'latest-cascade-29', // not an id
    ];
    assert.equal(nextComposeId(base, existing), 'cascade-29-20260301.n.5');
    assert.equal(nextComposeId({ ...base, type: 'production' }, existing), 'cascade-29-20260301.1');
  });
});

describe('compose requests', () => {
  const good = {
    release: { short: 'cascade', version: '29', name: 'Cascade' },
    type: 'nightly',
    date: '20260301',
    platformStream: 'f29',
    variants: [
      {
        uid: 'Server',
        name: 'Server',
        type: 'variant',
        arches: ['x86_64'],
        modules: ['greeting:f29/default'],
        groups: ['core'],
      },
      { uid: 'Extras', name: 'Extras', type: 'addon', arches: ['x86_64'], modules: [], groups: [], parent: 'Server' },
    ],
  };

  it('parse module streams with their profile', () => {
    const parsed = parseComposeRequest(good);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.request.variants[0]!.modules, [{ name: 'greeting', stream: 'f29', profile: 'default' }]);
  });

  it('name the field that is wrong', () => {
    const field = (input: unknown) => {
      const parsed = parseComposeRequest(input);
      return parsed.ok ? undefined : parsed.error.field;
    };
    assert.equal(field({ ...good, release: { ...good.release, short: 'Cascade' } }), 'release.short');
    assert.equal(field({ ...good, type: 'weekly' }), 'type');
    const badModule = structuredClone(good);
    badModule.variants[0]!.modules = ['greeting'];
    assert.equal(field(badModule), 'variants[0].modules[0]');
    const badParent = structuredClone(good);
    badParent.variants[1]!.parent = 'Workstation';
    assert.equal(field(badParent), 'variants[1].parent');
  });
});
