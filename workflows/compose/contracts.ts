// The compose family's contract: the Compose workflow's input and outcome, imported by the workflow
// and by its callers (clients/compose-client.ts). Types only: safe to import anywhere.
import type { RebuildStrategy } from '../../domain/module-build';
export type { ComposeRunOutcome as ComposeOutcome } from '../../domain/compose/run-compose';

export interface ComposeInput {
  /** productmd compose id; the store's row for it was allocated before the workflow started */
  composeId: string;
  /** who asked for it: builds it starts are theirs */
  owner: string;
  /** how streams with no ready build are built */
  build: { concurrency: number; componentTimeoutMs: number; strategy: RebuildStrategy };
}
