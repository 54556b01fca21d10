// A person in the chaos harness: a campaign that waits is read through the API, judged (it must wait
// exactly at the modules made to fail, every other module passed), and resolved as a maintainer of a
// flaky test would: retry, which runs CI again on the same build.
import type { Finding } from './chaos-checks';

export interface CampaignView {
  state: string;
  counts: Record<string, number>;
  blocking: { module: string; failedStep: string | null }[];
}

export async function readCampaignView(apiUrl: string, id: string): Promise<CampaignView | undefined> {
  try {
    const res = await fetch(`${apiUrl}/api/v1/campaigns/${id}?limit=1`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return undefined;
    return (await res.json()) as CampaignView;
  } catch {
    return undefined;
  }
}

/**
 * What is wrong with where a campaign waits, if anything: it must wait at every failing module (by
 * CI) and nowhere else, with every other module passed.
 */
export function judgeWaiting(view: CampaignView, failing: string[], total: number): string | undefined {
  const at = view.blocking.map((b) => `${b.module}${b.failedStep === 'ci' ? '' : ` (${b.failedStep})`}`).sort();
  const expected = [...failing].sort();
  if (JSON.stringify(at) !== JSON.stringify(expected))
    return `waits at ${at.join(', ') || 'nothing'}, not at ${expected.join(', ') || 'nothing'}`;
  const passed = view.counts.passed ?? 0;
  if (passed !== total - failing.length) return `waits at ${at.join(', ')} with ${passed} of ${total} passed`;
  return undefined;
}

/** Asks for CI again on a failed module as a maintainer would; answers whether the API accepted it. */
export async function retryModule(apiUrl: string, token: string, id: string, module: string): Promise<boolean> {
  try {
    const res = await fetch(`${apiUrl}/api/v1/campaigns/${id}/modules/${module}/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ reason: 'chaos: the flaky test passes on a second run' }),
      signal: AbortSignal.timeout(15_000),
    });
    return res.status === 202;
  } catch {
    return false;
  }
}

/** Follows one waiting campaign: judges it once, then retries each failing module after `delayMs`. */
export class WaitingCampaign {
  private firstSeen: number | undefined;
  private readonly retried = new Set<string>();
  judged = false;

  constructor(
    private readonly campaignId: string,
    private readonly failing: string[],
    private readonly total: number,
    private readonly delayMs: number,
  ) {}

  /** Called while the campaign waits; a finding when it waits anywhere else. */
  async onWaiting(view: CampaignView, apiUrl: string, token: string): Promise<Finding | undefined> {
    this.firstSeen ??= Date.now();
    if (!this.judged) {
      this.judged = true;
      const wrong = judgeWaiting(view, this.failing, this.total);
      if (wrong) return { kind: 'wrong', what: `campaign ${this.campaignId} ${wrong}`, campaignId: this.campaignId };
    }
    if (Date.now() < this.firstSeen + this.delayMs) return undefined;
    for (const module of view.blocking.map((b) => b.module))
      if (!this.retried.has(module) && (await retryModule(apiUrl, token, this.campaignId, module)))
        this.retried.add(module);
    return undefined;
  }

  /** A campaign with failing modules that never waited lost its failure. */
  finding(): Finding | undefined {
    if (this.failing.length === 0 || this.judged) return undefined;
    return {
      kind: 'lost',
      what: `campaign ${this.campaignId} never waited at ${this.failing.join(', ')}`,
      campaignId: this.campaignId,
    };
  }
}
