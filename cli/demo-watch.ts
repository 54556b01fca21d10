// `cascade demo --watch`: follows the demo's campaign to its end. `campaign watch` stops when the
// campaign waits for a person; the demo instead says which command is awaited, waits until a person
// has acted (the fix pushed, or resume from the dashboard) and follows the campaign again.
import type { ApiClient } from './api-client';
import { readTolerating } from './transient-reads';
import { WATCH_EXIT, watchCampaign } from './campaign-watch';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function followDemoCampaign(
  api: ApiClient,
  id: string,
  options: { json: boolean; fixCommand?: string },
): Promise<number> {
  for (;;) {
    const exit = await watchCampaign(api, id, { json: options.json });
    if (exit !== WATCH_EXIT.waiting) return exit;
    const hint = options.fixCommand
      ? `waiting for a person: run '${options.fixCommand}' in another terminal (or act from the dashboard)`
      : 'waiting for a person (act from the dashboard or with bin/cascade campaign resume|retry|skip)';
    (options.json ? console.error : console.log)(hint);
    for (;;) {
      await sleep(2000);
      const c = await readTolerating(() =>
        api.request<{ state: string }>('GET', `/api/v1/campaigns/${encodeURIComponent(id)}`),
      );
      if (c.state !== 'waiting') break;
    }
  }
}
