// The dashboard's shell: a header with navigation, the pipeline search, the live-update mode and
// sign-in; below it the page the address names.
import { useErrorBoundary, useState } from 'preact/hooks';
import { ApiFailure } from './api';
import { html } from './html';
import { useLiveMode } from './live';
import { CampaignPage } from './pages/campaign-page';
import { CampaignsPage } from './pages/campaigns-page';
import { ComposePage } from './pages/compose-page';
import { ComposesPage } from './pages/composes-page';
import { ModuleBuildPage } from './pages/module-build-page';
import { NotificationsPage } from './pages/notifications-page';
import { PipelinePage } from './pages/pipeline-page';
import { matchPath, navigate, useLocation } from './router';
import { signIn, signOut, useSession } from './session';

const ROLE_WORDS = { 'release-engineer': 'release engineer', maintainer: 'maintainer', reader: 'reader' } as const;

function SignIn() {
  const person = useSession();
  const [open, setOpen] = useState(false);
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  if (person)
    return html`<div class="signin">
      <span class="who" data-user=${person.name} data-role=${person.role}><strong>${person.name}</strong> (${ROLE_WORDS[person.role]})</span>
      <button type="button" onClick=${signOut}>Sign out</button>
    </div>`;
  if (!open)
    return html`<div class="signin"><button type="button" onClick=${() => setOpen(true)}>Sign in</button></div>`;
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await signIn(token);
      setToken('');
      setOpen(false);
      setProblem(null);
    } catch (error) {
      setProblem(
        error instanceof ApiFailure && error.status === 401 ? 'That token is unknown or revoked.' : String(error),
      );
    }
  };
  return html`<form class="signin" onSubmit=${submit}>
    <label>Token <input type="password" name="token" autocomplete="off" required value=${token}
      onInput=${(e: Event) => setToken((e.target as HTMLInputElement).value)} /></label>
    <button type="submit">Sign in</button>
    <button type="button" onClick=${() => setOpen(false)}>Close</button>
    ${problem && html`<span class="problem" role="alert">${problem}</span>`}
  </form>`;
}

function LiveMode() {
  const mode = useLiveMode();
  const words = { connecting: 'connecting…', streaming: 'live', polling: 'refreshing every 2 s' }[mode];
  return html`<span class=${`live live-${mode}`} data-live=${mode} title="How this page follows changes"><span aria-hidden="true">●</span> ${words}</span>`;
}

function Header({ path }: { path: string }) {
  const [q, setQ] = useState('');
  const nav = [
    ['/campaigns', 'Campaigns'],
    ['/composes', 'Composes'],
    ['/pipeline', 'Pipeline'],
    ['/notifications', 'Notifications'],
  ];
  return html`<header class="top">
    <a class="brand" href="/campaigns">Cascade</a>
    <nav aria-label="Main">
      ${nav.map(([href, label]) => html`<a href=${href} aria-current=${path.startsWith(href!) ? 'page' : undefined}>${label}</a>`)}
    </nav>
    <form role="search" class="quick-search" onSubmit=${(e: Event) => (e.preventDefault(), q.trim() && navigate(`/pipeline?q=${encodeURIComponent(q.trim())}`))}>
      <input aria-label="Find in the pipeline" placeholder="Find a component, module, NVR…" value=${q}
        onInput=${(e: Event) => setQ((e.target as HTMLInputElement).value)} />
    </form>
    <${LiveMode} />
    <${SignIn} />
  </header>`;
}

function Page({ path, query }: { path: string; query: URLSearchParams }) {
  let p: Record<string, string> | undefined;
  if (path === '/' || matchPath('/campaigns', path)) return html`<${CampaignsPage} />`;
  if ((p = matchPath('/campaigns/:id', path))) return html`<${CampaignPage} key=${p.id} id=${p.id!} />`;
  if ((p = matchPath('/module-builds/:nsvc', path))) return html`<${ModuleBuildPage} key=${p.nsvc} nsvc=${p.nsvc!} />`;
  if (matchPath('/composes', path)) return html`<${ComposesPage} />`;
  if ((p = matchPath('/composes/:id', path))) return html`<${ComposePage} key=${p.id} id=${p.id!} />`;
  if (matchPath('/pipeline', path)) return html`<${PipelinePage} q=${query.get('q') ?? ''} />`;
  if (matchPath('/notifications', path)) return html`<${NotificationsPage} />`;
  return html`<div class="page"><h1>Not found</h1><p>No page at <code>${path}</code>. <a href="/campaigns">Campaigns</a></p></div>`;
}

/** A page that fails to render says so (instead of freezing on its last good render). */
function Guarded({ path, query }: { path: string; query: URLSearchParams }) {
  const [error, reset] = useErrorBoundary();
  if (error)
    return html`<div class="page"><p class="problem" role="alert">This page could not be shown: ${String(error)}</p>
      <button type="button" onClick=${reset}>Try again</button></div>`;
  return html`<${Page} path=${path} query=${query} />`;
}

export function App() {
  const { path, query } = useLocation();
  return html`<${Header} path=${path} />
    <main id="main"><${Guarded} key=${path} path=${path} query=${query} /></main>`;
}
