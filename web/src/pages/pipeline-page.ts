// /pipeline?q=: "where is my thing in the pipeline" — a component, name:stream, NSVC, NVR or compose
// id, answered by GET /api/v1/pipeline?q= in one shape whatever was asked. A server without the
// overview says so instead of failing.
import { useState } from 'preact/hooks';
import { enc } from '../api';
import { Loading, Problem, short, StateBadge, TemporalLink, when } from '../components';
import { html } from '../html';
import { useResource } from '../resource';
import { navigate } from '../router';

interface Overview {
  kind: string;
  key: string;
  verdict: string;
  source: { commit: string; pushedBy: string | null; pushedAt: string | null } | null;
  underway: {
    campaignId: string;
    tier: number | null;
    state: string;
    startedAt: string | null;
    waitingFor: string[];
    workflowId?: string;
  }[];
  latestBuild: { nsvc?: string; nvr?: string; builtAt: string | null; fromCommit: string | null; state: string } | null;
  latestCompose: { composeId: string; status: string; published: boolean | string; publishedAt: string | null } | null;
  lineage?: unknown;
  links?: { temporal?: string; dashboard?: string };
}

function SearchForm({ initial }: { initial: string }) {
  const [q, setQ] = useState(initial);
  return html`<form role="search" class="pipeline-search" onSubmit=${(e: Event) => (e.preventDefault(), q.trim() && navigate(`/pipeline?q=${enc(q.trim())}`))}>
    <label for="pipeline-q">Component, module (name:stream), NSVC, NVR or compose id</label>
    <div class="row">
      <input id="pipeline-q" name="q" value=${q} placeholder="e.g. nodejs:10 or libcore" onInput=${(e: Event) => setQ((e.target as HTMLInputElement).value)} />
      <button type="submit">Find</button>
    </div>
  </form>`;
}

function Answer({ o }: { o: Overview }) {
  const build = o.latestBuild;
  const published =
    o.latestCompose && (o.latestCompose.published === true || o.latestCompose.published === 'published');
  return html`<article class="panel overview" data-kind=${o.kind}>
    <p class="verdict">${o.verdict}</p>
    <dl class="facts">
      <dt>What</dt><dd>${o.kind} <code>${o.key}</code></dd>
      <dt>Source</dt><dd>${o.source ? html`<code>${short(o.source.commit)}</code> pushed by ${o.source.pushedBy ?? 'unknown'} ${when(o.source.pushedAt)}` : '—'}</dd>
      <dt>Under way</dt><dd>${
        o.underway.length === 0
          ? 'nothing'
          : html`<ul class="plain">${o.underway.map(
              (u) =>
                html`<li><a href=${`/campaigns/${enc(u.campaignId)}`}>${u.campaignId}</a> <${StateBadge} state=${u.state} />${u.tier !== null ? ` tier ${u.tier}` : ''}${u.waitingFor.length ? `, waiting for ${u.waitingFor.join(', ')}` : ''}</li>`,
            )}</ul>`
      }</dd>
      <dt>Newest build</dt><dd>${build ? html`${build.nsvc ? html`<a href=${`/module-builds/${enc(build.nsvc)}`}>${build.nsvc}</a>` : html`<code>${build.nvr}</code>`} <${StateBadge} state=${build.state} /> ${when(build.builtAt)}${build.fromCommit ? html` from <code>${short(build.fromCommit)}</code>` : ''}` : '—'}</dd>
      <dt>Newest compose</dt><dd>${o.latestCompose ? html`<a href=${`/composes/${enc(o.latestCompose.composeId)}`}>${o.latestCompose.composeId}</a> <${StateBadge} state=${o.latestCompose.status} /> ${published ? 'published' : 'not published'}` : '—'}</dd>
    </dl>
    ${o.underway[0]?.workflowId && html`<p><${TemporalLink} workflowId=${o.underway[0].workflowId} /></p>`}
    ${o.links?.temporal && html`<p><a href=${o.links.temporal} target="_blank" rel="noopener">Open in Temporal ↗</a></p>`}
    ${o.lineage !== undefined && html`<details><summary>Lineage</summary><pre>${JSON.stringify(o.lineage, null, 2)}</pre></details>`}
  </article>`;
}

function Result({ q }: { q: string }) {
  const { data, error } = useResource<Overview>(`/api/v1/pipeline?q=${enc(q)}`, () => true);
  if (error?.status === 404 && /no route/.test(error.message))
    return html`<p class="problem" role="alert">This server has no pipeline overview yet (GET /api/v1/pipeline). The campaign, module build and compose pages still answer.</p>`;
  if (error) return html`<${Problem} error=${error} what=${`"${q}"`} />`;
  if (!data) return html`<${Loading} what=${`where ${q} is`} />`;
  return html`<${Answer} o=${data} />`;
}

export function PipelinePage({ q }: { q: string }) {
  return html`<div class="page">
    <h1>Where is it in the pipeline?</h1>
    <${SearchForm} key=${q} initial=${q} />
    ${q && html`<${Result} q=${q} />`}
  </div>`;
}
