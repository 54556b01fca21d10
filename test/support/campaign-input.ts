// A campaign's input as the API records it, for store tests that write a plan without the API: a
// change of rpms/libcore on f29 asked for by admin, keyed by the campaign's id.
import type { CampaignInput } from '../../domain/campaign';

export function campaignInput(campaignId: string, changeKey = `rpms/libcore@f29=${campaignId}`): CampaignInput {
  return {
    campaignId,
    request: {
      components: ['libcore'],
      modules: [],
      branch: 'f29',
      strategy: 'changed-and-after',
      relation: 'buildrequires',
      dryRun: false,
    },
    requestedBy: 'admin',
    changeKey,
    triggeredAt: '2026-11-30T10:00:00.000Z',
  };
}
