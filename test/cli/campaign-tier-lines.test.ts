import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tierLines, type LiveModule } from '../../cli/campaign-views';

const live = (node: string, tier: number, state: LiveModule['state']): LiveModule => ({
  node,
  tier,
  state,
  attempt: 1,
  nsvc: null,
  failedStep: state === 'failed' ? 'ci' : null,
  reason: null,
});

describe('campaign watch tier lines', () => {
  it('counts the modules it is given when the answer has no tier counts', () => {
    const lines = tierLines([live('a:f29', 0, 'passed'), live('b:f29', 0, 'building'), live('c:f29', 1, 'waiting')]);
    assert.deepEqual(lines, [
      'tier 0  [##########~~~~~~~~~~]   1/2   building 1  passed 1  — in flight: b:f29',
      'tier 1  [....................]   0/1   waiting 1',
    ]);
  });

  it("draws a large campaign's tiers from their own counts, naming the failed and in-flight modules it was given", () => {
    const lines = tierLines(
      [live('x:f29', 3, 'failed'), live('y:f29', 3, 'building')],
      [
        { tier: 3, counts: { passed: 3000, failed: 1, building: 49, waiting: 950 } },
        { tier: 4, counts: { waiting: 4000 } },
      ],
    );
    assert.deepEqual(lines, [
      'tier 3  [###############.....] 3000/4000 waiting 950  building 49  passed 3000  failed 1  — x:f29 failed CI; in flight: y:f29',
      'tier 4  [....................]   0/4000 waiting 4000',
    ]);
  });
});
