// Small pieces every page uses: state badges, times and durations, the Temporal Web UI link, and
// how a failed request is shown.
import { useEffect, useState } from 'preact/hooks';
import { apiGet, type ApiFailure } from './api';
import { html } from './html';
import { stateLabel, stateSymbol, toneOf, type Tone } from './states';

/** `tone` and `label` override the usual ones where a word means something else (a phase 'done'). */
export function StateBadge({ state, tone, label }: { state: string | null | undefined; tone?: Tone; label?: string }) {
  return html`<span class=${`badge tone-${tone ?? toneOf(state)}`} data-state=${state ?? ''}
    ><span aria-hidden="true">${tone === 'ok' ? '✓' : stateSymbol(state)}</span> ${label ?? stateLabel(state)}</span
  >`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function seconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return '—';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function between(from: string | null | undefined, to: string | null | undefined): string {
  if (!from || !to) return '—';
  return seconds((new Date(to).getTime() - new Date(from).getTime()) / 1000);
}

export const short = (hash: string | null | undefined) => (hash ? hash.slice(0, 10) : '—');

interface UiConfig {
  temporalUiUrl: string;
  temporalNamespace: string;
}
let uiConfig: Promise<UiConfig | null> | undefined;

/** "Open in Temporal" for a workflow id: the Web UI's base URL comes from GET /api/v1/ui-config. */
export function TemporalLink({ workflowId }: { workflowId: string | null | undefined }) {
  const [config, setConfig] = useState<UiConfig | null>(null);
  useEffect(() => {
    uiConfig ??= apiGet<UiConfig>('/api/v1/ui-config').catch(() => null);
    void uiConfig.then(setConfig);
  }, []);
  if (!workflowId || !config) return null;
  const href = `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return html`<a class="temporal-link" href=${href} target="_blank" rel="noopener"
    >Workflow <code>${workflowId}</code> in Temporal ↗</a
  >`;
}

export function Problem({ error, what }: { error: ApiFailure; what: string }) {
  if (error.status === 404) return html`<p class="problem" role="alert">No ${what} here: ${error.message}</p>`;
  if (error.status === 401) return html`<p class="problem" role="alert">Sign in to see ${what}.</p>`;
  return html`<p class="problem" role="alert">Could not load ${what}: ${error.message}</p>`;
}

export function Loading({ what }: { what: string }) {
  return html`<p class="muted">Loading ${what}…</p>`;
}

/** Who may act, as the campaign API lists them ('role:release-engineer' in words). */
export function peopleList(names: string[]): string {
  return names.map((n) => (n === 'role:release-engineer' ? 'release engineers' : n)).join(', ');
}
