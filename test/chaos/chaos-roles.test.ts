// The chaos harness's roles and its person's verdict, without servers: which modules build for real
// (tier 0, nothing shared with a zero-cost build, requiring only the platform) and which fail their
// first CI run (the top tier's last, on which nothing depends), and when a waiting campaign waits
// where it should.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chaosDistribution, chaosRoles } from '../../chaos/chaos-distribution';
import { chaosVariantsXml } from '../../chaos/chaos-compose';
import { judgeWaiting, type CampaignView } from '../../chaos/chaos-person';
import { parseVariantsXml } from '../../domain/comps';

describe('chaos roles', () => {
  const distribution = chaosDistribution(1, 6, 50);

  it('builds tier-0 modules for real and fails the last modules of the top tier', () => {
    const roles = chaosRoles(distribution, 3, 2);
    assert.deepEqual(roles.realModules, ['t0m000', 't0m001', 't0m002']);
    assert.deepEqual(roles.failingModules, ['t5m048', 't5m049']);
    const dependents = distribution.modules.filter((m) =>
      m.buildrequires.some((b) => roles.failingModules.includes(b)),
    );
    assert.deepEqual(dependents, [], 'nothing depends on a failing module');
    assert.deepEqual(chaosRoles(distribution, 0, 0), { realModules: [], failingModules: [] });
  });

  it('names the real modules with their default profile in the compose variant', () => {
    const doc = parseVariantsXml(chaosVariantsXml(['t0m000', 't0m001'], 'f29'));
    assert.equal(doc.variants.length, 1);
    assert.deepEqual(
      doc.variants[0]!.modules.map((m) => `${m.name}:${m.stream}/${m.profile ?? ''}`),
      ['t0m000:f29/default', 't0m001:f29/default'],
    );
  });
});

describe("the harness's person", () => {
  const view = (blocking: string[], passed: number, step = 'ci'): CampaignView => ({
    state: 'waiting',
    counts: { passed, failed: blocking.length },
    blocking: blocking.map((module) => ({ module, failedStep: step })),
  });

  it('accepts a campaign waiting exactly at the failing module with every other module passed', () => {
    assert.equal(judgeWaiting(view(['t5m049:f29'], 299), ['t5m049:f29'], 300), undefined);
  });

  it('refuses a campaign waiting elsewhere, at more, at a build failure, or with modules not through', () => {
    assert.match(judgeWaiting(view(['t3m001:f29'], 299), ['t5m049:f29'], 300)!, /waits at t3m001:f29, not at/);
    assert.match(judgeWaiting(view(['t3m001:f29', 't5m049:f29'], 298), ['t5m049:f29'], 300)!, /not at t5m049/);
    assert.match(judgeWaiting(view(['t5m049:f29'], 299, 'build'), ['t5m049:f29'], 300)!, /\(build\)/);
    assert.match(judgeWaiting(view(['t5m049:f29'], 250), ['t5m049:f29'], 300)!, /with 250 of 300 passed/);
    assert.match(judgeWaiting(view([], 300), ['t5m049:f29'], 300)!, /waits at nothing/);
  });
});
