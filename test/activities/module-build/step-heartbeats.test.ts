// A module build's longer store steps heartbeat while they run (so a killed worker is noticed within
// the workflow's heartbeat timeout), stop when they end, and run plainly outside an activity.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeatWhile, STEP_HEARTBEAT_EVERY_MS } from '../../../activities/module-build/step-heartbeats';

describe('heartbeatWhile', () => {
  it('heartbeats at once and then every interval while the step runs, and not after it', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    let stepEnded = false;
    let beatsAfterEnd = 0;
    let secondBeat: () => void = () => undefined;
    const twoBeats = new Promise<void>((resolve) => (secondBeat = resolve));
    env.on('heartbeat', () => {
      beats += 1;
      if (stepEnded) beatsAfterEnd += 1;
      if (beats === 2) secondBeat();
    });
    const answer = await env.run(() =>
      heartbeatWhile(async () => {
        await twoBeats; // the immediate heartbeat and one from the timer
        return 'planned';
      }),
    );
    stepEnded = true;
    assert.equal(answer, 'planned');
    assert.equal(beats, 2);
    await new Promise((r) => setTimeout(r, STEP_HEARTBEAT_EVERY_MS + 500));
    assert.equal(beatsAfterEnd, 0);
  });

  it('only runs the step outside an activity', async () => {
    assert.equal(await heartbeatWhile(async () => 42), 42);
  });

  it('passes the step failure on', async () => {
    const env = new MockActivityEnvironment();
    await assert.rejects(
      env.run(() => heartbeatWhile(async () => Promise.reject(new Error('no modulemd')))),
      /no modulemd/,
    );
  });
});
