// The module build family's contract: its input, its outcome and its progress query, imported by
// the workflow, by the campaign's attempts that run it as a child, and by its callers
// (clients/module-build-client.ts). The query's Temporal name is part of recorded histories.
import { defineQuery } from '@temporalio/workflow';
import type { ModuleBuildRequest } from '../../activities/module-build/module-build-plan';
import type { ModuleBuildProgress } from '../../domain/module-build/run-module-build';

// The progress and the outcome are the shared orchestration's (domain/module-build/run-module-build.ts).
export type {
  ComponentProgress,
  ModuleBuildOutcome,
  ModuleBuildProgress,
} from '../../domain/module-build/run-module-build';

export interface ModuleBuildInput extends ModuleBuildRequest {
  concurrency: number;
  componentTimeoutMs: number;
}

export const moduleBuildProgressQuery = defineQuery<ModuleBuildProgress>('moduleBuildProgress');
