// `cascade token create|list|revoke`: API tokens. Imported by cli/main.ts only.
import { type Command, Option } from 'commander';
import type { ApiClient } from './api-client';

interface TokenSummary {
  id: string;
  user: string;
  prefix: string;
  description: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

function state(t: TokenSummary, now: Date): string {
  if (t.revokedAt) return `revoked ${t.revokedAt}`;
  if (t.expiresAt && new Date(t.expiresAt) <= now) return `expired ${t.expiresAt}`;
  return t.expiresAt ? `valid until ${t.expiresAt}` : 'valid';
}

export function registerTokenCommands(program: Command, client: () => ApiClient, json: () => boolean): void {
  const token = program.command('token').description('API tokens');
  token
    .command('create')
    .description('issue a token for a user, created when new (release engineers only); shown once')
    .requiredOption('--user <name>', 'user name')
    .addOption(
      new Option('--role <role>', 'role').choices(['release-engineer', 'maintainer', 'reader']).makeOptionMandatory(),
    )
    .option('--description <text>', 'what the token is for')
    .option('--expires-in-days <days>', 'refused after this many days', (v) => Number(v))
    .option('--expires-at <time>', 'refused from this ISO 8601 time on')
    .action(
      async (opts: {
        user: string;
        role: string;
        description?: string;
        expiresInDays?: number;
        expiresAt?: string;
      }) => {
        const issued = await client().request<{ token: string; user: string; role: string; expiresAt: string | null }>(
          'POST',
          '/api/v1/tokens',
          opts,
        );
        if (json()) return console.log(JSON.stringify(issued, null, 2));
        const until = issued.expiresAt ? `, valid until ${issued.expiresAt}` : '';
        console.log(`token for ${issued.user} (${issued.role}${until}), shown once:\n${issued.token}`);
      },
    );
  token
    .command('list')
    .description("tokens without their secrets: yours, or everyone's for a release engineer")
    .action(async () => {
      const { items } = await client().request<{ items: TokenSummary[] }>('GET', '/api/v1/tokens');
      if (json()) return console.log(JSON.stringify(items, null, 2));
      const now = new Date();
      for (const t of items) {
        const used = t.lastUsedAt ? `used ${t.lastUsedAt}` : 'never used';
        console.log(`${t.id}  ${t.user.padEnd(16)} ${t.prefix}…  ${state(t, now)}  ${used}  ${t.description ?? ''}`);
      }
    });
  token
    .command('revoke <id>')
    .description("revoke a token (yours, or anyone's for a release engineer); refused from then on")
    .action(async (id: string) => {
      await client().request('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`);
      if (json()) return console.log(JSON.stringify({ revoked: id }));
      console.log(`revoked ${id}`);
    });
}
