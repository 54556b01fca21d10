// /campaigns/<id>: the campaign's state, what blocks it and who can act, its tiers as a graph, every
// module in a table (the graph's accessible twin), and the actions people took. Live: refetched when
// an event names the campaign or a module build.
import { useEffect, useState } from 'preact/hooks';
import { enc } from '../api';
import { Loading, peopleList, Problem, StateBadge, TemporalLink, when } from '../components';
import { html } from '../html';
import { useResource } from '../resource';
import { mayActOnModule, mayCancel, useSession, type Person } from '../session';
import { CancelCampaign, ModuleActions } from './campaign-actions';
import { blockersOf, elk, TierGraph, type GraphModule } from './tier-graph';

interface CampaignModule extends GraphModule {
  name: string;
  stream: string;
  cycle: boolean;
  path: string[];
  reason: string | null;
  nsvc: string | null;
  failedStep: string | null;
  failure: string | null;
}

interface Campaign {
  id: string;
  workflowId: string;
  state: string;
  stateReason: string | null;
  branch: string | null;
  strategy: string | null;
  relation: string | null;
  trigger: { components?: string[]; modules?: string[]; reason?: string | null } | null;
  createdBy: string | null;
  createdAt: string | null;
  finishedAt: string | null;
  counts: Record<string, number>;
  tiers: { tier: number; modules: CampaignModule[] }[];
  blocking: {
    module: string;
    failedStep: string | null;
    failure: string | null;
    nsvc: string | null;
    blocks: number;
    canAct: string[];
  }[];
  actions: { at: string; action: string; module: string | null; actor: string; reason: string | null }[];
}

const ENDED = new Set(['finished', 'cancelled', 'failed']);

function Counts({ counts }: { counts: Record<string, number> }) {
  const present = Object.entries(counts).filter(([, n]) => n > 0);
  return html`<ul class="counts" aria-label="Modules by state">
    ${present.map(([state, n]) => html`<li><${StateBadge} state=${state} /> <strong>${n}</strong></li>`)}
  </ul>`;
}

function Blocking({ campaign, person, reload }: { campaign: Campaign; person: Person | null; reload: () => void }) {
  if (campaign.blocking.length === 0) return null;
  return html`<section class="panel attention" aria-labelledby="blocking-title">
    <h2 id="blocking-title">Needs a person</h2>
    ${campaign.blocking.map(
      (b) => html`<article class="blocking" data-blocking=${b.module}>
        <h3>${b.module} <${StateBadge} state="failed" /></h3>
        <p>Failed in <strong>${b.failedStep ?? 'an unknown step'}</strong>${b.blocks > 0 ? html`; blocks ${b.blocks} module${b.blocks === 1 ? '' : 's'}` : ''}.
          ${b.nsvc && html` Build <a href=${`/module-builds/${enc(b.nsvc)}`}>${b.nsvc}</a>.`}</p>
        ${b.failure && html`<pre class="failure">${b.failure}</pre>`}
        <p class="can-act">Who can act: <strong>${peopleList(b.canAct)}</strong></p>
        ${
          !ENDED.has(campaign.state) && mayActOnModule(person, b.module)
            ? html`<${ModuleActions} campaignId=${campaign.id} module=${b.module} onDone=${reload} />`
            : !person && html`<p class="muted">Sign in as one of them to resume, retry or skip.</p>`
        }
      </article>`,
    )}
  </section>`;
}

function ModuleDetail(props: {
  campaign: Campaign;
  module: CampaignModule;
  person: Person | null;
  reload: () => void;
}) {
  const { campaign, module: m, person, reload } = props;
  const modules = campaign.tiers.flatMap((t) => t.modules);
  return html`<section class="panel" aria-labelledby="detail-title" data-detail=${m.module}>
    <h2 id="detail-title">${m.module} <${StateBadge} state=${m.state} /></h2>
    <dl class="facts">
      <dt>Tier</dt><dd>${m.tier}${m.cycle ? ' (in a dependency cycle)' : ''}</dd>
      <dt>Why rebuilt</dt><dd>${m.reason ?? '—'}</dd>
      <dt>Path from the change</dt><dd>${m.path.join(' → ') || '—'}</dd>
      <dt>Waits for</dt><dd>${m.dependsOn.join(', ') || 'nothing inside the campaign'}</dd>
      <dt>Attempt</dt><dd>${m.attempt}</dd>
      <dt>Build</dt><dd>${m.nsvc ? html`<a href=${`/module-builds/${enc(m.nsvc)}`}>${m.nsvc}</a>` : '—'}</dd>
      ${m.state === 'blocked' && html`<dt>Blocked by</dt><dd>${blockersOf(modules, m.module).join(', ')}</dd>`}
      ${m.failure && html`<dt>Failure (${m.failedStep})</dt><dd><pre class="failure">${m.failure}</pre></dd>`}
    </dl>
    ${
      m.state === 'failed' &&
      !ENDED.has(campaign.state) &&
      mayActOnModule(person, m.module) &&
      html`<${ModuleActions} campaignId=${campaign.id} module=${m.module} onDone=${reload} />`
    }
  </section>`;
}

function ModuleTable({ campaign, onSelect }: { campaign: Campaign; onSelect: (m: string) => void }) {
  const modules = campaign.tiers.flatMap((t) => t.modules);
  return html`<table class="grid" aria-label="Modules of the campaign">
    <thead><tr><th>Tier</th><th>Module</th><th>State</th><th>Attempt</th><th>Build</th><th>Why</th></tr></thead>
    <tbody>
      ${modules.map(
        (m) => html`<tr key=${m.module} data-row=${m.module}>
          <td>${m.tier}</td>
          <td><button type="button" class="linkish" onClick=${() => onSelect(m.module)}>${m.module}</button></td>
          <td><${StateBadge} state=${m.state} />${m.state === 'blocked' ? html` <span class="muted">by ${blockersOf(modules, m.module).join(', ')}</span>` : ''}</td>
          <td>${m.attempt}</td>
          <td>${m.nsvc ? html`<a href=${`/module-builds/${enc(m.nsvc)}`}>${m.nsvc.split(':').slice(2).join(':')}</a>` : '—'}</td>
          <td class="why">${m.reason ?? ''}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

export function CampaignPage({ id }: { id: string }) {
  const person = useSession();
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => void elk(), []);
  const {
    data: c,
    error,
    reload,
  } = useResource<Campaign>(
    `/api/v1/campaigns/${enc(id)}`,
    (key) => key === `campaign/${id}` || key.startsWith(`campaign/${id}/`) || key.startsWith('module-build/'),
  );
  if (!c) return error ? html`<${Problem} error=${error} what="campaign" />` : html`<${Loading} what="the campaign" />`;
  const modules = c.tiers.flatMap((t) => t.modules);
  const chosen = modules.find((m) => m.module === selected);
  const trigger = [
    ...(c.trigger?.components ?? []).map((n) => `rpms/${n}`),
    ...(c.trigger?.modules ?? []).map((n) => `modules/${n}`),
  ];
  return html`<div class="page campaign" data-campaign-state=${c.state}>
    <header class="page-head">
      <h1>Campaign <code>${c.id}</code> <${StateBadge} state=${c.state} /></h1>
      ${c.stateReason && html`<p class="lead">${c.stateReason}</p>`}
      <dl class="facts inline">
        <dt>Change</dt><dd>${trigger.join(', ') || '—'} on <strong>${c.branch ?? '—'}</strong></dd>
        <dt>Started by</dt><dd>${c.createdBy ?? '—'}, ${when(c.createdAt)}</dd>
        <dt>Finished</dt><dd>${when(c.finishedAt)}</dd>
        <dt>Strategy</dt><dd>${c.strategy ?? '—'}, following ${c.relation ?? '—'}</dd>
      </dl>
      <p><${TemporalLink} workflowId=${c.workflowId} /></p>
      <${Counts} counts=${c.counts} />
      ${!ENDED.has(c.state) && mayCancel(person, c.createdBy) && html`<${CancelCampaign} campaignId=${c.id} onDone=${reload} />`}
    </header>
    <${Blocking} campaign=${c} person=${person} reload=${reload} />
    <section class="panel" aria-labelledby="tiers-title">
      <h2 id="tiers-title">Tiers</h2>
      ${
        modules.length === 0
          ? html`<p class="muted">The plan is not recorded yet.</p>`
          : html`<${TierGraph}
            modules=${modules}
            canAct=${new Map(c.blocking.map((b) => [b.module, b.canAct]))}
            selected=${selected}
            onSelect=${setSelected}
          />`
      }
    </section>
    ${chosen && html`<${ModuleDetail} campaign=${c} module=${chosen} person=${person} reload=${reload} />`}
    <section class="panel" aria-labelledby="modules-title">
      <h2 id="modules-title">Modules</h2>
      <${ModuleTable} campaign=${c} onSelect=${setSelected} />
    </section>
    <section class="panel" aria-labelledby="log-title">
      <h2 id="log-title">What people did</h2>
      ${
        c.actions.length === 0
          ? html`<p class="muted">No actions yet.</p>`
          : html`<ol class="action-log">
            ${c.actions.map(
              (a) =>
                html`<li><time>${when(a.at)}</time> <strong>${a.actor}</strong> ${a.action}${a.module ? ` ${a.module}` : ''}${a.reason ? html` — <em>${a.reason}</em>` : ''}</li>`,
            )}
          </ol>`
      }
    </section>
  </div>`;
}
