// /module-builds/<nsvc>: a module build's states, and its components batch by batch — built, reused
// (from which build) or failed — each with its build log on demand.
import { useState } from 'preact/hooks';
import { apiText, enc } from '../api';
import { between, Loading, Problem, short, StateBadge, TemporalLink, when } from '../components';
import { html } from '../html';
import { useResource } from '../resource';

interface ComponentBuild {
  name: string;
  batch: number;
  state: string;
  stateReason: string | null;
  nvr: string | null;
  commitHash: string;
  taskId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  reusedFrom: { nsvc: string; nvr: string | null } | null;
}

interface ModuleBuild {
  nsvc: string;
  name: string;
  stream: string;
  state: string;
  stateReason: string | null;
  commitHash: string;
  strategy: string;
  campaignId: string | null;
  workflowId: string;
  owner: string;
  ciOutcome: string | null;
  createdAt: string;
  updatedAt: string;
  states: { state: string; reason: string | null; at: string }[];
  components: ComponentBuild[];
}

function Log({ nsvc, component }: { nsvc: string; component: string }) {
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const toggle = async () => {
    setOpen(!open);
    if (text === null) {
      try {
        setText(await apiText(`/api/v1/module-builds/${enc(nsvc)}/components/${enc(component)}/log`));
      } catch (error) {
        setText(`The log could not be read: ${String(error)}`);
      }
    }
  };
  return html`<div class="log">
    <button type="button" class="linkish" aria-expanded=${open} onClick=${toggle}>${open ? 'Hide' : 'Show'} log</button>
    ${open && html`<pre class="log-text" tabindex="0" aria-label=${`Build log of ${component}`}>${text ?? 'Loading…'}</pre>`}
  </div>`;
}

function Batch({ build, batch, components }: { build: ModuleBuild; batch: number; components: ComponentBuild[] }) {
  return html`<section class="panel" aria-label=${`Batch ${batch}`}>
    <h3>Batch ${batch}</h3>
    <table class="grid">
      <thead><tr><th>Component</th><th>State</th><th>NVR</th><th>Source</th><th>Took</th><th>Log</th></tr></thead>
      <tbody>
        ${components.map(
          (c) => html`<tr key=${c.name} data-component=${c.name}>
            <td><strong>${c.name}</strong></td>
            <td>
              <${StateBadge} state=${c.state} />
              ${c.reusedFrom && html`<div class="muted">from <a href=${`/module-builds/${enc(c.reusedFrom.nsvc)}`}>${c.reusedFrom.nsvc}</a></div>`}
              ${c.state === 'failed' && c.stateReason && html`<div class="problem">${c.stateReason}</div>`}
            </td>
            <td><code>${c.nvr ?? '—'}</code></td>
            <td><code title=${c.commitHash}>${short(c.commitHash)}</code></td>
            <td>${c.state === 'reused' ? 'reused' : between(c.startedAt, c.finishedAt)}</td>
            <td>${c.taskId ? html`<${Log} nsvc=${build.nsvc} component=${c.name} />` : html`<span class="muted">${c.state === 'reused' ? 'see the origin build' : 'none'}</span>`}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

export function ModuleBuildPage({ nsvc }: { nsvc: string }) {
  const { data: b, error } = useResource<ModuleBuild>(`/api/v1/module-builds/${enc(nsvc)}`, (key) =>
    key.startsWith(`module-build/${nsvc}`),
  );
  if (!b)
    return error
      ? html`<${Problem} error=${error} what="module build" />`
      : html`<${Loading} what="the module build" />`;
  const batches = [...new Set(b.components.map((c) => c.batch))].sort((x, y) => x - y);
  const tally = (s: string) => b.components.filter((c) => c.state === s).length;
  return html`<div class="page module-build">
    <header class="page-head">
      <h1>Module build <code>${b.nsvc}</code> <${StateBadge} state=${b.state} /></h1>
      ${b.stateReason && html`<p class="lead">${b.stateReason}</p>`}
      <dl class="facts inline">
        <dt>Module commit</dt><dd><code title=${b.commitHash}>${short(b.commitHash)}</code></dd>
        <dt>Strategy</dt><dd>${b.strategy}</dd>
        <dt>Owner</dt><dd>${b.owner}</dd>
        <dt>CI</dt><dd>${b.ciOutcome ? html`<${StateBadge} state=${b.ciOutcome} />` : 'not run'}</dd>
        <dt>Campaign</dt><dd>${b.campaignId ? html`<a href=${`/campaigns/${enc(b.campaignId)}`}>${b.campaignId}</a>` : '—'}</dd>
        <dt>Started</dt><dd>${when(b.createdAt)}</dd>
      </dl>
      <p><${TemporalLink} workflowId=${b.workflowId} /></p>
      <p class="summary">${b.components.length} components: ${tally('complete')} built, ${tally('reused')} reused, ${tally('failed')} failed${tally('building') + tally('waiting') > 0 ? `, ${tally('building') + tally('waiting')} to go` : ''}.</p>
    </header>
    <section aria-labelledby="batches-title">
      <h2 id="batches-title">Batches</h2>
      ${batches.length === 0 && html`<p class="muted">No component planned yet.</p>`}
      ${batches.map((n) => html`<${Batch} key=${n} build=${b} batch=${n} components=${b.components.filter((c) => c.batch === n)} />`)}
    </section>
    <section class="panel" aria-labelledby="states-title">
      <h2 id="states-title">States</h2>
      <ol class="timeline">
        ${b.states.map((s) => html`<li><time>${when(s.at)}</time> <${StateBadge} state=${s.state} /> ${s.reason ?? ''}</li>`)}
      </ol>
    </section>
  </div>`;
}
