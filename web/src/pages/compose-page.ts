// /composes/<id>: a compose's phases with their timing, its variants with validation, what changed
// since the release's previous compose, and whether it is published on the mirror.
import { enc } from '../api';
import { Loading, Problem, seconds, StateBadge, TemporalLink, when } from '../components';
import { html } from '../html';
import { useResource } from '../resource';

interface Phase {
  phase: string;
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
  seconds: number | null;
  detail: unknown;
}
interface Variant {
  uid: string;
  name: string;
  type: string;
  arches: string[];
  state: string;
  reason: string | null;
  validation: { testcase: string; outcome: string; note: string | null }[];
  modules: string[];
  images: { arch: string; type: string; format: string; path: string; size: number; sha256: string }[];
}
interface ChangeSet {
  added: string[];
  removed: string[];
  upgraded: { key: string; from: string; to: string }[];
  downgraded: { key: string; from: string; to: string }[];
}
interface ComposeDiff {
  from: string | null;
  to: string;
  variants: { variant: string; status: string; modules: ChangeSet; rpms: ChangeSet }[];
}
/** as the metadata phase records it: counts per variant, and the full diff */
interface Changes {
  summary: { from: string | null; to: string };
  diff: ComposeDiff | null;
}
interface Compose {
  composeId: string;
  workflowId: string;
  release: string;
  type: string;
  label: string | null;
  status: string;
  statusReason: string | null;
  phase: string | null;
  createdBy: string;
  mirrorPath: string | null;
  published: string;
  publishedAt: string | null;
  createdAt: string | null;
  finishedAt: string | null;
  phases: Phase[];
  variants: Variant[];
  changes: Changes | null;
}

const phaseTone = (state: string) =>
  state === 'done' ? 'ok' : state === 'failed' ? 'bad' : state === 'running' ? 'busy' : undefined;

function Phases({ phases }: { phases: Phase[] }) {
  const longest = Math.max(1, ...phases.map((p) => p.seconds ?? 0));
  return html`<table class="grid phases">
    <thead><tr><th>Phase</th><th>State</th><th>Started</th><th>Took</th><th aria-hidden="true"></th></tr></thead>
    <tbody>
      ${phases.map(
        (p) => html`<tr key=${p.phase}>
          <td><strong>${p.phase}</strong></td>
          <td><${StateBadge} state=${p.state} tone=${phaseTone(p.state)} label=${p.state} /></td>
          <td>${when(p.startedAt)}</td>
          <td>${seconds(p.seconds)}</td>
          <td class="bar-cell" aria-hidden="true"><span class="bar" style=${`width:${Math.max(2, ((p.seconds ?? 0) / longest) * 100)}%`}></span></td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function Variants({ variants }: { variants: Variant[] }) {
  return html`${variants.map(
    (v) => html`<article class="panel variant" key=${v.uid} data-variant=${v.uid}>
      <h3>${v.name} <code>${v.uid}</code> <${StateBadge} state=${v.state} tone=${v.state === 'ready' ? 'ok' : undefined} /></h3>
      ${v.reason && html`<p class="problem">${v.reason}</p>`}
      <p class="muted">${v.type}, ${v.arches.join(', ')}</p>
      <h4>Validation</h4>
      ${
        v.validation.length === 0
          ? html`<p class="muted">not validated yet</p>`
          : html`<ul class="validation">${v.validation.map(
              (r) =>
                html`<li><${StateBadge} state=${r.outcome} /> <code>${r.testcase}</code>${r.note ? html` — ${r.note}` : ''}</li>`,
            )}</ul>`
      }
      <h4>Modules</h4>
      <ul class="plain">${v.modules.map((n) => html`<li><a href=${`/module-builds/${enc(n)}`}>${n}</a></li>`)}</ul>
      ${
        v.images.length > 0 &&
        html`<h4>Images</h4><ul class="plain">${v.images.map((i) => html`<li><code>${i.path}</code> (${i.type}, ${(i.size / 1e6).toFixed(1)} MB)</li>`)}</ul>`
      }
    </article>`,
  )}`;
}

function ChangeList({ title, set }: { title: string; set: ChangeSet }) {
  const total = set.added.length + set.removed.length + set.upgraded.length + set.downgraded.length;
  if (total === 0) return html`<p class="muted">${title}: no change</p>`;
  return html`<details open=${title === 'Modules'}>
    <summary>${title}: ${set.added.length} added, ${set.removed.length} removed, ${set.upgraded.length} upgraded, ${set.downgraded.length} downgraded</summary>
    <ul class="plain changes">
      ${set.added.map((a) => html`<li><span class="chg add">added</span> ${a}</li>`)}
      ${set.removed.map((a) => html`<li><span class="chg del">removed</span> ${a}</li>`)}
      ${set.upgraded.map((c) => html`<li><span class="chg up">upgraded</span> ${c.key}: ${c.from} → ${c.to}</li>`)}
      ${set.downgraded.map((c) => html`<li><span class="chg down">downgraded</span> ${c.key}: ${c.from} → ${c.to}</li>`)}
    </ul>
  </details>`;
}

function WhatChanged({ changes }: { changes: Changes | null }) {
  const diff = changes?.diff;
  if (!diff) return html`<p class="muted">Known once the compose reaches its metadata phase.</p>`;
  return html`<div>
    <p>Since ${diff.from ? html`<a href=${`/composes/${enc(diff.from)}`}>${diff.from}</a>` : "nothing (the release's first compose)"}:</p>
    ${diff.variants.map(
      (v) => html`<div class="variant-changes" key=${v.variant}>
        <h3>${v.variant} <span class="muted">(${v.status})</span></h3>
        <${ChangeList} title="Modules" set=${v.modules} />
        <${ChangeList} title="RPMs" set=${v.rpms} />
      </div>`,
    )}
  </div>`;
}

export function ComposePage({ id }: { id: string }) {
  const { data: c, error } = useResource<Compose>(`/api/v1/composes/${enc(id)}`, (key) =>
    key.startsWith(`compose/${id}`),
  );
  if (!c) return error ? html`<${Problem} error=${error} what="compose" />` : html`<${Loading} what="the compose" />`;
  return html`<div class="page compose">
    <header class="page-head">
      <h1>Compose <code>${c.composeId}</code> <${StateBadge} state=${c.status} /></h1>
      ${c.statusReason && html`<p class="lead">${c.statusReason}</p>`}
      <dl class="facts inline">
        <dt>Release</dt><dd>${c.release} (${c.type}${c.label ? `, ${c.label}` : ''})</dd>
        <dt>Phase</dt><dd>${c.phase ?? '—'}</dd>
        <dt>Published</dt><dd><${StateBadge} state=${c.published} />${c.publishedAt ? ` ${when(c.publishedAt)}` : ''}${c.mirrorPath ? html` — <a href=${`/mirror/${enc(c.composeId)}/`}>on the mirror</a>` : ''}</dd>
        <dt>Started</dt><dd>${when(c.createdAt)} by ${c.createdBy}</dd>
        <dt>Finished</dt><dd>${when(c.finishedAt)}</dd>
      </dl>
      <p><${TemporalLink} workflowId=${c.workflowId} /></p>
    </header>
    <section class="panel" aria-labelledby="phases-title"><h2 id="phases-title">Phases</h2><${Phases} phases=${c.phases} /></section>
    <section aria-labelledby="variants-title"><h2 id="variants-title">Variants</h2><div class="variants"><${Variants} variants=${c.variants} /></div></section>
    <section class="panel" aria-labelledby="changes-title"><h2 id="changes-title">What changed</h2><${WhatChanged} changes=${c.changes} /></section>
  </div>`;
}
