// The buttons a maintainer or release engineer uses on a campaign: resume, retry or skip (with a
// reason) a failed module, cancel the campaign. They call the same POST routes as the CLI; the API
// answers 403 or 409 when the person or the moment is wrong, and the page shows that answer.
import { useState } from 'preact/hooks';
import { apiPost, ApiFailure, enc } from '../api';
import { html } from '../html';

type Outcome = { ok: boolean; text: string } | null;

function useAction(onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const run = async (label: string, path: string, body: unknown) => {
    setBusy(true);
    setOutcome(null);
    try {
      await apiPost(path, body);
      setOutcome({ ok: true, text: `${label}: accepted` });
      onDone();
    } catch (error) {
      const message = error instanceof ApiFailure ? `${error.status} ${error.message}` : String(error);
      setOutcome({ ok: false, text: `${label} refused: ${message}` });
    } finally {
      setBusy(false);
    }
  };
  return { busy, outcome, run };
}

function OutcomeLine({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  return html`<p class=${outcome.ok ? 'outcome ok' : 'outcome problem'} role="status">${outcome.text}</p>`;
}

export function ModuleActions(props: { campaignId: string; module: string; onDone: () => void }) {
  const { campaignId, module, onDone } = props;
  const { busy, outcome, run } = useAction(onDone);
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  const base = `/api/v1/campaigns/${enc(campaignId)}/modules/${enc(module)}`;
  return html`<div class="actions" data-actions-for=${module}>
    <button type="button" disabled=${busy} onClick=${() => run('Resume', `${base}/resume`, {})}
      title="Build the branch head again (after a fix) and go on">Resume</button>
    <button type="button" disabled=${busy} onClick=${() => run('Retry', `${base}/retry`, {})}
      title="Run CI again on the same build (a new build when the build failed)">Retry</button>
    <button type="button" disabled=${busy} onClick=${() => setSkipping(!skipping)} aria-expanded=${skipping}
      title="Go on without this module: dependents build against its last good build">Skip…</button>
    ${
      skipping &&
      html`<form
      class="skip-form"
      onSubmit=${(e: Event) => {
        e.preventDefault();
        void run('Skip', `${base}/skip`, { reason });
      }}
    >
      <label>Why skip ${module}? <input required value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" disabled=${busy || !reason.trim()}>Skip ${module}</button>
    </form>`
    }
    <${OutcomeLine} outcome=${outcome} />
  </div>`;
}

export function CancelCampaign(props: { campaignId: string; onDone: () => void }) {
  const { busy, outcome, run } = useAction(props.onDone);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  return html`<div class="actions cancel">
    ${!asking && html`<button type="button" class="danger" onClick=${() => setAsking(true)}>Cancel campaign…</button>`}
    ${
      asking &&
      html`<form
      onSubmit=${(e: Event) => {
        e.preventDefault();
        void run('Cancel', `/api/v1/campaigns/${enc(props.campaignId)}/cancel`, reason.trim() ? { reason } : {});
      }}
    >
      <label>Reason (optional) <input value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" class="danger" disabled=${busy}>Cancel the campaign</button>
      <button type="button" onClick=${() => setAsking(false)}>Keep it running</button>
    </form>`
    }
    <${OutcomeLine} outcome=${outcome} />
  </div>`;
}
