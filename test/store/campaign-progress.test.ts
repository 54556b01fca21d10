// A windowed campaign's progress in the store, on PGlite and PostgreSQL: a failure blocks everything
// waiting above it (transitively, through waiting modules only) in one statement, and a skip or a
// relaunch of the failed module releases exactly the blocked modules whose dependencies no longer fail
// — on a small diamond, then on a campaign of 3,000 modules blocked and released whole.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlannedModule } from '../../domain/campaign';
import { campaignInput } from '../support/campaign-input';
import { recordCampaignPlan } from '../../store/campaigns';
import { finishCampaignModuleAttempt, launchCampaignModules, skipCampaignModule } from '../../store/campaign-progress';
import { DATABASE_KINDS, freshDatabaseForSuite } from '../support/databases';

const input = campaignInput;

/** Modules from `name: [dependencies]`, tiers by longest path. */
function planOf(graph: Record<string, string[]>): { modules: PlannedModule[]; tierCount: number } {
  const tier = new Map<string, number>();
  const tierOf = (n: string): number => {
    if (!tier.has(n)) tier.set(n, graph[n]!.length === 0 ? 0 : 1 + Math.max(...graph[n]!.map(tierOf)));
    return tier.get(n)!;
  };
  const modules = Object.keys(graph).map((name) => ({
    node: `${name}:f29`,
    name,
    stream: 'f29',
    tier: tierOf(name),
    changed: graph[name]!.length === 0,
    cycle: false,
    path: [`${name}:f29`],
    reason: 'test',
    dependsOn: graph[name]!.map((d) => `${d}:f29`),
  }));
  return { modules, tierCount: Math.max(...modules.map((m) => m.tier)) + 1 };
}

for (const kind of DATABASE_KINDS) {
  describe(`campaign progress in the store (${kind})`, () => {
    const database = freshDatabaseForSuite(kind);
    const prisma = () => database().prisma;

    const states = async (campaignId: string) =>
      Object.fromEntries(
        (await prisma().campaignModule.findMany({ where: { campaignId }, orderBy: { name: 'asc' } })).map((m) => [
          m.name,
          m.state,
        ]),
      );

    it('blocks what waits above a failure and releases it on a skip, through waiting modules only', async () => {
      // a ← b, c ← d ← e (a diamond and a tail); x ← f beside it; g needs a and x
      await recordCampaignPlan(
        prisma(),
        input('diamond'),
        planOf({ a: [], x: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: ['d'], f: ['x'], g: ['a', 'x'] }),
      );
      const launched = await launchCampaignModules(prisma(), {
        campaignId: 'diamond',
        key: 1,
        relaunches: [],
        claim: 10,
      });
      assert.deepEqual(launched.map((l) => l.node).sort(), ['a:f29', 'x:f29']);
      const failure = { attempt: 1, nsvc: null, failedStep: 'ci' as const, failure: 'smoke failed' };
      assert.ok(await finishCampaignModuleAttempt(prisma(), 'diamond', { node: 'a:f29', state: 'failed', ...failure }));
      assert.deepEqual(await states('diamond'), {
        a: 'failed',
        b: 'blocked',
        c: 'blocked',
        d: 'blocked',
        e: 'blocked',
        f: 'waiting',
        g: 'blocked',
        x: 'building',
      });
      // the same report again changes nothing
      assert.equal(
        await finishCampaignModuleAttempt(prisma(), 'diamond', { node: 'a:f29', state: 'failed', ...failure }),
        false,
      );

      const skipped = await skipCampaignModule(prisma(), 'diamond', {
        node: 'a:f29',
        reason: 'known broken',
        action: {
          campaignId: 'diamond',
          module: 'a:f29',
          action: 'skip',
          actor: 'admin',
          reason: 'known broken',
          actionKey: 'skip-a',
        },
      });
      assert.deepEqual(skipped, { applied: true, state: 'failed' });
      assert.deepEqual(await states('diamond'), {
        a: 'skipped',
        b: 'waiting',
        c: 'waiting',
        d: 'waiting',
        e: 'waiting',
        f: 'waiting',
        g: 'waiting',
        x: 'building',
      });
      const counters = await prisma().campaignModule.findMany({
        where: { campaignId: 'diamond' },
        orderBy: { name: 'asc' },
      });
      assert.deepEqual(
        counters.map((m) => `${m.name}:${m.pendingDeps}`),
        ['a:0', 'b:0', 'c:0', 'd:2', 'e:1', 'f:1', 'g:1', 'x:0'],
      );
    });

    it('keeps blocked what still has another failed dependency when one failure is relaunched', async () => {
      await recordCampaignPlan(
        prisma(),
        input('two-failures'),
        planOf({ a: [], x: [], g: ['a', 'x'], h: ['g'], i: ['a'] }),
      );
      await launchCampaignModules(prisma(), { campaignId: 'two-failures', key: 1, relaunches: [], claim: 10 });
      const failure = { attempt: 1, nsvc: null, failedStep: 'build' as const, failure: 'rpmbuild failed' };
      await finishCampaignModuleAttempt(prisma(), 'two-failures', { node: 'a:f29', state: 'failed', ...failure });
      await finishCampaignModuleAttempt(prisma(), 'two-failures', { node: 'x:f29', state: 'failed', ...failure });
      // a maintainer retries a: its attempt 2 starts, and what waited for a alone is released
      await launchCampaignModules(prisma(), {
        campaignId: 'two-failures',
        key: 2,
        relaunches: [{ node: 'a:f29', attempt: 2, state: 'building' }],
        claim: 0,
      });
      assert.deepEqual(await states('two-failures'), {
        a: 'building',
        g: 'blocked',
        h: 'blocked',
        i: 'waiting',
        x: 'failed',
      });
    });

    it('blocks and releases a 3,000-module campaign whole', async () => {
      // root ← 30 tiers of 100 modules, each needing two of the tier below
      const graph: Record<string, string[]> = { root: [] };
      for (let t = 1; t <= 30; t += 1)
        for (let i = 0; i < 100; i += 1)
          graph[`m${t}-${i}`] = t === 1 ? ['root'] : [`m${t - 1}-${i}`, `m${t - 1}-${(i + 1) % 100}`];
      await recordCampaignPlan(prisma(), input('big'), planOf(graph));
      await launchCampaignModules(prisma(), { campaignId: 'big', key: 1, relaunches: [], claim: 1 });
      const failure = { attempt: 1, nsvc: null, failedStep: 'ci' as const, failure: 'smoke failed' };
      await finishCampaignModuleAttempt(prisma(), 'big', { node: 'root:f29', state: 'failed', ...failure });
      const blocked = await prisma().campaignModule.count({ where: { campaignId: 'big', state: 'blocked' } });
      assert.equal(blocked, 3000);
      const events = await prisma().event.count({ where: { topic: { contains: 'campaign' } } });
      assert.ok(events >= 3001, `${events} events`);
      await launchCampaignModules(prisma(), {
        campaignId: 'big',
        key: 2,
        relaunches: [{ node: 'root:f29', attempt: 2, state: 'building' }],
        claim: 0,
      });
      assert.equal(await prisma().campaignModule.count({ where: { campaignId: 'big', state: 'waiting' } }), 3000);
    });
  });
}
