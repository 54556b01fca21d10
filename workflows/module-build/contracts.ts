// The module build family's contract: its input, its outcome and its progress query, imported by
// the workflow, by the campaign's attempts that run it as a child, and by its callers
// (clients/module-build-client.ts). The query's Temporal name is part of recorded histories.
import { defineQuery } from '@temporalio/workflow';
import type { ModuleBuildRequest } from '../../activities/module-build/module-build-plan';

export type ComponentProgress = 'waiting' | 'building' | 'complete' | 'reused' | 'failed';

export interface ModuleBuildProgress {
  nsvc: string | null;
  state: 'init' | 'wait' | 'build' | 'done' | 'ready' | 'failed';
  reason: string | null;
  batches: { batch: number; components: { name: string; state: ComponentProgress; nvr: string | null }[] }[];
}

export interface ModuleBuildInput extends ModuleBuildRequest {
  concurrency: number;
  componentTimeoutMs: number;
}

export interface ModuleBuildOutcome {
  nsvc: string;
  state: 'ready' | 'failed';
  reason: string | null;
  built: number;
  reused: number;
}

export const moduleBuildProgressQuery = defineQuery<ModuleBuildProgress>('moduleBuildProgress');
