// /notifications: the signed-in person's inbox (what failed, reminders, finished campaigns), with
// marking read. Readers without a token are asked to sign in.
import { apiPost, enc } from '../api';
import { Loading, Problem, when } from '../components';
import { html } from '../html';
import { useResource } from '../resource';
import { useSession } from '../session';

interface Notification {
  id: string;
  kind: string;
  subject: string;
  body: string;
  campaignId: string | null;
  module: string | null;
  moduleBuild: string | null;
  createdAt: string;
  readAt: string | null;
}

function Inbox() {
  const { data, error, reload } = useResource<{ items: Notification[]; unread: number }>(
    '/api/v1/notifications?limit=100',
    (key) => key.startsWith('campaign/'),
  );
  if (!data)
    return error
      ? html`<${Problem} error=${error} what="your notifications" />`
      : html`<${Loading} what="your notifications" />`;
  const markRead = async (id: string) => {
    await apiPost(`/api/v1/notifications/${enc(id)}/read`);
    reload();
  };
  const markAll = async () => {
    await apiPost('/api/v1/notifications/read-all');
    reload();
  };
  return html`<div>
    <p>${data.unread} unread. ${data.unread > 0 && html`<button type="button" onClick=${markAll}>Mark all read</button>`}</p>
    ${data.items.length === 0 && html`<p class="muted">Nothing for you yet.</p>`}
    <ul class="inbox">
      ${data.items.map(
        (n) => html`<li key=${n.id} class=${n.readAt ? 'read' : 'unread'}>
          <h3>${n.readAt ? '' : html`<span class="badge tone-wait">new</span> `}${n.subject}</h3>
          <p class="muted"><time>${when(n.createdAt)}</time> · ${n.kind}
            ${n.campaignId && html` · <a href=${`/campaigns/${enc(n.campaignId)}`}>campaign ${n.campaignId}</a>`}
            ${n.moduleBuild && html` · <a href=${`/module-builds/${enc(n.moduleBuild)}`}>${n.moduleBuild}</a>`}</p>
          <pre class="note-body">${n.body}</pre>
          ${!n.readAt && html`<button type="button" onClick=${() => markRead(n.id)}>Mark read</button>`}
        </li>`,
      )}
    </ul>
  </div>`;
}

export function NotificationsPage() {
  const person = useSession();
  return html`<div class="page">
    <h1>Notifications</h1>
    ${person ? html`<${Inbox} key=${person.name} />` : html`<p class="muted">Sign in (top right) to see your inbox.</p>`}
  </div>`;
}
