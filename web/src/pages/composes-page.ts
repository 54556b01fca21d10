// /composes: the composes of every release, newest first, with status and publication.
import { enc } from '../api';
import { Loading, Problem, StateBadge, when } from '../components';
import { html } from '../html';
import { useResource } from '../resource';

interface ComposeItem {
  composeId: string;
  release: string;
  type: string;
  label: string | null;
  status: string;
  phase: string | null;
  published: string;
  createdAt: string | null;
  finishedAt: string | null;
  variants: { uid: string; state: string }[];
}

export function ComposesPage() {
  const { data, error } = useResource<{ items: ComposeItem[] }>('/api/v1/composes?limit=100', (key) =>
    key.startsWith('compose/'),
  );
  if (!data) return error ? html`<${Problem} error=${error} what="composes" />` : html`<${Loading} what="composes" />`;
  return html`<div class="page">
    <h1>Composes</h1>
    ${
      data.items.length === 0
        ? html`<p class="muted">No compose yet (<code>bin/cascade compose start --release …</code>).</p>`
        : html`<table class="grid">
          <thead><tr><th>Compose</th><th>Status</th><th>Phase</th><th>Variants</th><th>Published</th><th>Started</th><th>Finished</th></tr></thead>
          <tbody>
            ${data.items.map(
              (c) => html`<tr key=${c.composeId}>
                <td><a href=${`/composes/${enc(c.composeId)}`}><code>${c.composeId}</code></a>${c.label ? ` (${c.label})` : ''}</td>
                <td><${StateBadge} state=${c.status} /></td>
                <td>${c.phase ?? '—'}</td>
                <td>${c.variants.map((v) => html`<span class="variant-chip">${v.uid} <${StateBadge} state=${v.state} /></span> `)}</td>
                <td><${StateBadge} state=${c.published} /></td>
                <td>${when(c.createdAt)}</td>
                <td>${when(c.finishedAt)}</td>
              </tr>`,
            )}
          </tbody>
        </table>`
    }
  </div>`;
}
