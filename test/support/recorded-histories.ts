// Replay tests' fixtures: a finished workflow's history must replay on the current workflow code, and
// with CASCADE_RECORD_HISTORIES set it is written (as the Temporal CLI shows it: the proto3 JSON that
// historyFromJSON reads back) to test/fixtures/histories/<fixture>.json, which
// test/workflows/replay.test.ts replays for as long as it is committed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { testEnvironment } from './environment';
import type { TestStack } from './stack';

export async function replayAndRecordHistory(stack: TestStack, workflowId: string, fixture: string): Promise<void> {
  const recorded = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
  await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows') }, recorded, workflowId);
  const dir = testEnvironment.recordHistoriesDir();
  if (!dir) return;
  const shown = execFileSync(testEnvironment.temporalCli(), [
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    '--address',
    stack.config.temporal.address,
    '--output',
    'json',
  ]);
  const file = path.join(dir, `${fixture}.json`);
  fs.writeFileSync(`${file}.tmp`, shown);
  fs.renameSync(`${file}.tmp`, file);
}
