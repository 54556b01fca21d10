// `cascade notifications [--unread]` and `cascade notifications read ID|--all`: the caller's own inbox.
import type { Command } from 'commander';
import type { ApiClient } from './api-client';

interface NotificationView {
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
interface InboxPage {
  items: NotificationView[];
  unread: number;
  nextCursor: string | null;
}

function printInbox(page: InboxPage, more: (cursor: string) => string): void {
  console.log(`${page.unread} unread`);
  for (const n of page.items) {
    const about = [n.campaignId && `campaign ${n.campaignId}`, n.moduleBuild ?? n.module].filter(Boolean).join(', ');
    console.log(
      `${n.readAt ? ' ' : '*'} ${n.createdAt}  ${n.kind.padEnd(24)} ${n.subject}${about ? `  (${about})` : ''}`,
    );
    console.log(`    id ${n.id}`);
  }
  if (page.nextCursor) console.log(`more: ${more(page.nextCursor)}`);
}

export function registerNotificationCommands(program: Command, client: () => ApiClient, json: () => boolean): void {
  const notifications = program
    .command('notifications')
    .description('your notifications, newest first (* marks unread ones)')
    .option('--unread', 'unread ones only')
    .option('--campaign <id>', "one campaign's only")
    .option('--limit <n>', 'at most this many', '50')
    .option('--cursor <cursor>', 'the page after the one that printed this cursor')
    .action(async (opts: { unread?: boolean; campaign?: string; limit: string; cursor?: string }) => {
      const query = new URLSearchParams({ limit: opts.limit });
      if (opts.unread) query.set('unread', 'true');
      if (opts.campaign) query.set('campaign', opts.campaign);
      if (opts.cursor) query.set('cursor', opts.cursor);
      const page = await client().request<InboxPage>('GET', `/api/v1/notifications?${query}`);
      if (json()) return console.log(JSON.stringify(page, null, 2));
      const same = `${opts.unread ? ' --unread' : ''}${opts.campaign ? ` --campaign ${opts.campaign}` : ''}`;
      printInbox(page, (cursor) => `cascade notifications${same} --limit ${opts.limit} --cursor ${cursor}`);
    });

  notifications
    .command('read [id]')
    .description('mark one notification read, or all of them with --all')
    .option('--all', 'every unread notification')
    .action(async (id: string | undefined, opts: { all?: boolean }) => {
      if (Boolean(id) === Boolean(opts.all)) throw new Error('name one notification id, or --all (not both)');
      const api = client();
      if (opts.all) {
        const done = await api.request<{ marked: number }>('POST', '/api/v1/notifications/read-all');
        if (json()) return console.log(JSON.stringify(done, null, 2));
        return console.log(`marked ${done.marked} read`);
      }
      const item = await api.request<NotificationView>('POST', `/api/v1/notifications/${encodeURIComponent(id!)}/read`);
      if (json()) return console.log(JSON.stringify(item, null, 2));
      console.log(`marked ${item.id} read (${item.subject})`);
    });
}
