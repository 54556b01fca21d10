import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareModuleKeys, pageByTier } from '../../../domain/campaign';

const modules = [
  { node: 'b:f29', tier: 0 },
  { node: 'a:f30', tier: 0 },
  { node: 'a:f29', tier: 0 },
  { node: 'a-b:f29', tier: 0 },
  { node: 'c:f29', tier: 2 },
];
const key = (m: { node: string; tier: number }) => m;

describe('pageByTier', () => {
  it('orders by name then stream, not by the joined key', () => {
    // 'a-b' sorts after 'a' as a name, though 'a-b:…' sorts before 'a:…' as a string
    assert.deepEqual(['a-b:f29', 'a:f30', 'b:f29', 'a:f29'].sort(compareModuleKeys), [
      'a:f29',
      'a:f30',
      'a-b:f29',
      'b:f29',
    ]);
  });

  it('lists every tier with its count, empty tiers too, and a page of each', () => {
    const pages = pageByTier(modules, key, { limit: 2 }, 3);
    assert.deepEqual(
      pages.map((p) => [p.tier, p.count, p.modules.map((m) => m.node), p.nextCursor]),
      [
        [0, 4, ['a:f29', 'a:f30'], 'a:f30'],
        [1, 0, [], null],
        [2, 1, ['c:f29'], null],
      ],
    );
  });

  it('walks one tier page by page with the cursor, each module once', () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const pages = pageByTier(modules, key, { tier: 0, limit: 1, after });
      // the other tiers keep their counts, without modules or a cursor
      assert.deepEqual(pages[1], { tier: 2, count: 1, modules: [] });
      seen.push(...pages[0]!.modules.map((m) => m.node));
      if (!pages[0]!.nextCursor) break;
      after = pages[0]!.nextCursor;
    }
    assert.deepEqual(seen, ['a:f29', 'a:f30', 'a-b:f29', 'b:f29']);
  });

  it('answers an empty page after the last module', () => {
    const [tier0] = pageByTier(modules, key, { tier: 0, limit: 10, after: 'zz:f29' });
    assert.deepEqual([tier0!.count, tier0!.modules, tier0!.nextCursor], [4, [], null]);
  });
});
