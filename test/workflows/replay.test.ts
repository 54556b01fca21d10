// Recorded histories of real runs (test/fixtures/histories, written by the end-to-end campaign test
// with CASCADE_RECORD_HISTORIES set) must replay on the current workflow code: a change that would
// break running workflows fails here, and must go behind patched().
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

  it('has recorded histories to replay', () => {
    assert.ok(files.length >= 2, `only ${files.length} in ${fixtures}`);
  });

  for (const file of files) {
    it(`replays ${file} on the current workflow code`, async () => {
      // The proto3 JSON `temporal workflow show --output json` writes; the replayer reads it as is.
      const history: unknown = JSON.parse(fs.readFileSync(path.join(fixtures, file), 'utf8'));
      await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows') }, history, file);
    });
  }
});
