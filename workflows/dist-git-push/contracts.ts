// The dist-git push family's contract: one ref move in, what it did out. The workflow takes no
// messages; its callers (clients/dist-git-push-client.ts) only start it.
import type { PushCampaignOutcome } from '../../activities/campaign/push-trigger-activities';
import type { RefMoveInput } from '../../activities/pdc/pdc-activities';

export type { RefMoveInput };

export interface DistGitPushOutcome {
  recorded: boolean;
  changedStreams: number;
  campaigns: PushCampaignOutcome | null;
}
