/**
 * cli/: `bin/cascade`, the operator command. A thin client of the API, except the offline commands
 * (`modulemd validate`, `compose --local`) that call domain/ and the library code directly.
 */
import { Command } from 'commander';
import { loadConfig } from '../platform/config';
import { ApiClientError, createApiClient, resolveToken } from './api-client';
import { registerTokenCommands } from './token-commands';
import { registerBackupCommands } from './backup-commands';
import { registerCampaignCommands } from './campaign-commands';
import { registerComposeLocal } from './compose-local-command';
import { registerComposeCommands } from './compose-commands';
import { registerDemoCommands } from './demo-command';
import { registerImportCommands } from './import-commands';
import { registerModuleBuildCommands } from './module-build-commands';
import { registerModulemdCommands } from './modulemd-commands';
import { registerNotificationCommands } from './notification-commands';
import { registerStatusCommand } from './status-command';
import { registerUserCommands } from './user-commands';

const config = loadConfig();
const program = new Command('cascade')
  .description('Cascade: rebuild a modular distribution tier by tier')
  .option('--url <url>', 'the Cascade API', config.cli.url)
  .option('--token <token>', 'bearer token (default: $CASCADE_TOKEN, then <data dir>/initial-admin-token)')
  .option('--json', 'print raw JSON');

const client = () => createApiClient(program.opts().url, resolveToken(program.opts().token, config));
const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

program
  .command('health')
  .description('is the API up, and can it reach Temporal and the database?')
  .action(async () => {
    const health = await client().request<{
      status: string;
      temporal: { status: string; address: string; latencyMs: number; error?: string };
      database: { status: string; kind: string; latencyMs: number; error?: string };
    }>('GET', '/healthz');
    if (program.opts().json) return print(health);
    console.log(
      `temporal  ${health.temporal.status.padEnd(5)} ${health.temporal.address} (${health.temporal.latencyMs} ms)${health.temporal.error ? ' ' + health.temporal.error : ''}`,
    );
    console.log(
      `database  ${health.database.status.padEnd(5)} ${health.database.kind} (${health.database.latencyMs} ms)${health.database.error ? ' ' + health.database.error : ''}`,
    );
    if (health.status !== 'up') process.exitCode = 1;
  });

registerTokenCommands(program, client, () => Boolean(program.opts().json));
registerCampaignCommands(program, client, () => Boolean(program.opts().json));
registerModulemdCommands(program);
registerModuleBuildCommands(program, client, () => Boolean(program.opts().json));
registerImportCommands(program, client, () => Boolean(program.opts().json));
registerNotificationCommands(program, client, () => Boolean(program.opts().json));
registerUserCommands(program, client, () => Boolean(program.opts().json));
registerStatusCommand(program, client, () => Boolean(program.opts().json));
registerComposeCommands(program, client, () => Boolean(program.opts().json));
registerComposeLocal(program.commands.find((c) => c.name() === 'compose')!);
registerBackupCommands(program, {
  config,
  url: () => program.opts().url,
  token: () => resolveToken(program.opts().token, config),
  json: () => Boolean(program.opts().json),
});
registerDemoCommands(program, {
  client,
  json: () => Boolean(program.opts().json),
  url: () => program.opts().url,
  cascade: () => (program.opts().url === config.cli.url ? 'bin/cascade' : `bin/cascade --url ${program.opts().url}`),
});

program.parseAsync().catch((err) => {
  console.error(
    `cascade: ${err instanceof ApiClientError ? err.message : err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(err instanceof ApiClientError && err.status === 0 ? 3 : 1);
});
