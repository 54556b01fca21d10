// Recorded histories of real runs (test/fixtures/histories, written with CASCADE_RECORD_HISTORIES set
// by the end-to-end tests through test/support/recorded-histories.ts: the campaign and its module
// attempt by test/workflows/rebuild-campaign.test.ts, a module build by module-build.test.ts, a push
// by test/api/dist-git-push.test.ts, a compose killed twice by compose-kill.test.ts) must replay on
// the current workflow code: a change that would break running workflows fails here, and must go
// behind patched(). A history recorded before a patch is kept beside the new one (`<name>-before-<patch>`).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';
import { createLogger } from '../../platform/logger';
import { installTemporalRuntime } from '../../workers/worker-runtime';

const fixtures = path.join(__dirname, '..', 'fixtures', 'histories');
// The replay workers' lifecycle lines are noise here.
installTemporalRuntime(createLogger('warn'));

describe('recorded workflow histories', () => {
  const files = fs.readdirSync(fixtures).filter((f) => f.endsWith('.json'));

  it('has a recorded history of every workflow type to replay', () => {
    const recorded = [
      'rebuild-campaign',
      'windowed-rebuild-campaign',
      'campaign-module-attempt',
      'campaign-module-attempt-claimed',
      'campaign-module-attempt-claimed-before-testing-in-one-activity',
      'campaign-module-attempt-claimed-before-attempt-builds-inline',
      'module-build',
      'module-build-before-steps-in-activities',
      'dist-git-push',
      'compose',
      'compose-reaper',
    ];
    assert.deepEqual(
      recorded.filter((name) => !files.includes(`${name}.json`)),
      [],
      `missing in ${fixtures}`,
    );
  });

  for (const file of files) {
    it(`replays ${file} on the current workflow code`, async () => {
      // The proto3 JSON `temporal workflow show --output json` writes; the replayer reads it as is.
      const history: unknown = JSON.parse(fs.readFileSync(path.join(fixtures, file), 'utf8'));
      await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows') }, history, file);
    });
  }
});
