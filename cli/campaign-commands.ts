// `cascade campaign start|show|history`.
import type { Command } from 'commander';
import type { ApiClient } from './api-client';

interface Campaign {
  id: string;
  workflowId: string;
  state: string;
  stateReason: string | null;
  branch: string | null;
  strategy: string | null;
  createdBy: string | null;
  createdAt: string | null;
}
interface HistoryEvent {
  eventId: number;
  time: string | null;
  type: string;
  attributes: Record<string, unknown>;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const FINAL_STATES = new Set(['recorded', 'finished', 'failed', 'cancelled']);

function printCampaign(c: Campaign): void {
  console.log(`campaign ${c.id}  (workflow ${c.workflowId})`);
  console.log(`  state     ${c.state}${c.stateReason ? ` — ${c.stateReason}` : ''}`);
  console.log(`  branch    ${c.branch ?? '-'}   strategy ${c.strategy ?? '-'}`);
  console.log(`  by        ${c.createdBy ?? '-'} at ${c.createdAt ?? '-'}`);
}

export function registerCampaignCommands(program: Command, client: () => ApiClient, json: () => boolean): void {
  const campaign = program.command('campaign').description('rebuild campaigns');

  campaign
    .command('start')
    .description('start a rebuild campaign for changed components or modules')
    .option('--component <name>', 'a changed component (repeatable)', collect, [])
    .option('--module <name>', 'a changed module (repeatable)', collect, [])
    .requiredOption('--branch <branch>', 'the branch that changed, e.g. f29')
    .option('--strategy <strategy>', 'all | changed-and-after | only-changed', 'changed-and-after')
    .option('--dry-run', 'plan only; build nothing')
    .option('--reason <text>', 'why')
    .option('--watch', 'follow the campaign until it ends')
    .action(
      async (opts: {
        component: string[];
        module: string[];
        branch: string;
        strategy: string;
        dryRun?: boolean;
        reason?: string;
        watch?: boolean;
      }) => {
        const api = client();
        const started = await api.request<{ id: string; workflowId: string }>('POST', '/api/v1/campaigns', {
          components: opts.component,
          modules: opts.module,
          branch: opts.branch,
          strategy: opts.strategy,
          dryRun: Boolean(opts.dryRun),
          reason: opts.reason,
        });
        if (json() && !opts.watch) return console.log(JSON.stringify(started, null, 2));
        console.log(`started campaign ${started.id} (workflow ${started.workflowId})`);
        if (!opts.watch) return;
        let last = '';
        for (;;) {
          const c = await api.request<Campaign>('GET', `/api/v1/campaigns/${started.id}`);
          if (c.state !== last)
            console.log(`  ${new Date().toISOString()}  ${c.state}${c.stateReason ? ` — ${c.stateReason}` : ''}`);
          last = c.state;
          if (FINAL_STATES.has(c.state)) break;
          await new Promise((r) => setTimeout(r, 500));
        }
      },
    );

  campaign
    .command('show <id>')
    .description('a campaign and its state')
    .action(async (id: string) => {
      const c = await client().request<Campaign>('GET', `/api/v1/campaigns/${encodeURIComponent(id)}`);
      if (json()) return console.log(JSON.stringify(c, null, 2));
      printCampaign(c);
    });

  campaign
    .command('history <id>')
    .description("the campaign workflow's Temporal event history")
    .action(async (id: string) => {
      const h = await client().request<{ workflowId: string; events: HistoryEvent[] }>(
        'GET',
        `/api/v1/campaigns/${encodeURIComponent(id)}/history`,
      );
      if (json()) return console.log(JSON.stringify(h, null, 2));
      console.log(`history of ${h.workflowId} (${h.events.length} events)`);
      for (const e of h.events) {
        const attrs = Object.entries(e.attributes)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        console.log(`${String(e.eventId).padStart(5)}  ${e.time ?? '-'}  ${e.type.padEnd(36)} ${attrs}`);
      }
    });
}
