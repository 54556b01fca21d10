// /campaigns: every campaign, newest first, with its state and modules per state.
import { enc } from '../api';
import { Loading, Problem, StateBadge, when } from '../components';
import { html } from '../html';
import { useResource } from '../resource';

interface CampaignItem {
  id: string;
  state: string;
  stateReason: string | null;
  branch: string | null;
  trigger: { components?: string[]; modules?: string[] } | null;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
  tierCount: number | null;
  counts: Record<string, number>;
}

export function CampaignsPage() {
  const { data, error } = useResource<{ items: CampaignItem[] }>('/api/v1/campaigns?limit=100', (key) =>
    key.startsWith('campaign/'),
  );
  if (!data)
    return error ? html`<${Problem} error=${error} what="campaigns" />` : html`<${Loading} what="campaigns" />`;
  return html`<div class="page">
    <h1>Rebuild campaigns</h1>
    ${
      data.items.length === 0
        ? html`<p class="muted">No campaign yet. A push to a supported branch, or <code>bin/cascade campaign start</code>, starts one.</p>`
        : html`<table class="grid">
          <thead><tr><th>Campaign</th><th>State</th><th>Change</th><th>Tiers</th><th>Modules</th><th>Started</th><th>By</th></tr></thead>
          <tbody>
            ${data.items.map(
              (c) => html`<tr key=${c.id}>
                <td><a href=${`/campaigns/${enc(c.id)}`}><code>${c.id}</code></a></td>
                <td><${StateBadge} state=${c.state} /></td>
                <td>${[...(c.trigger?.components ?? []), ...(c.trigger?.modules ?? [])].join(', ')} <span class="muted">on ${c.branch}</span></td>
                <td>${c.tierCount ?? '—'}</td>
                <td class="mini-counts">${Object.entries(c.counts).map(([s, n]) => html`<span><${StateBadge} state=${s} /> ${n}</span> `)}</td>
                <td>${when(c.createdAt)}</td>
                <td>${c.createdBy ?? '—'}</td>
              </tr>`,
            )}
          </tbody>
        </table>`
    }
  </div>`;
}
