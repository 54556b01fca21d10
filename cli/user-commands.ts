// `cascade user show` and `cascade user set [--user NAME] [--email ADDRESS|--no-email] [--notify inbox,email]`:
// how a person is told (their own settings, or another user's for release engineers). Imported by cli/main.ts only.
import type { Command } from 'commander';
import type { ApiClient } from './api-client';

interface UserSettings {
  name: string;
  role: string;
  email: string | null;
  notifyBy: string[];
}

function printSettings(s: UserSettings): void {
  console.log(`${s.name} (${s.role})`);
  console.log(`e-mail    ${s.email ?? '(none)'}`);
  console.log(`notify by ${s.notifyBy.join(', ')}`);
}

const CHANNELS = ['inbox', 'email'];

function channels(list: string): string[] {
  const names = list
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const unknown = names.filter((c) => !CHANNELS.includes(c));
  if (names.length === 0 || unknown.length > 0)
    throw new Error(`--notify: a comma-separated list of ${CHANNELS.join(', ')} (got '${list}')`);
  return names;
}

export function registerUserCommands(program: Command, client: () => ApiClient, json: () => boolean): void {
  const user = program.command('user').description('how you are told: your e-mail address and notification channels');
  user
    .command('show')
    .description('your e-mail address and notification channels')
    .action(async () => {
      const settings = await client().request<UserSettings>('GET', '/api/v1/users/me');
      if (json()) return console.log(JSON.stringify(settings, null, 2));
      printSettings(settings);
    });
  user
    .command('set')
    .description("set your e-mail address and channels, or another user's with --user (release engineers)")
    .option('--user <name>', "another user's (release engineers only)")
    .option('--email <address>', 'the address e-mail notifications go to')
    .option('--no-email', 'remove the address')
    .option('--notify <channels>', 'comma-separated: inbox, email (the inbox is always kept)', channels)
    .action(async (opts: { user?: string; email?: string | false; notify?: string[] }) => {
      const body = {
        ...(opts.email !== undefined ? { email: opts.email === false ? null : opts.email } : {}),
        ...(opts.notify ? { notifyBy: opts.notify } : {}),
      };
      if (Object.keys(body).length === 0) throw new Error('give --email, --no-email or --notify');
      const path = `/api/v1/users/${opts.user ? encodeURIComponent(opts.user) : 'me'}`;
      const settings = await client().request<UserSettings>('PUT', path, body);
      if (json()) return console.log(JSON.stringify(settings, null, 2));
      printSettings(settings);
    });
}
