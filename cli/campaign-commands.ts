// `cascade campaign start|watch|show|list|history|resume|retry|skip|cancel`: rebuild campaigns for
// release engineers (start, steer, cancel) and maintainers (act on their failed module). A thin
// client of /api/v1/campaigns; the printing lives in campaign-views.ts, the live display in
// campaign-watch.ts.
import { Option, type Command } from 'commander';
import type { ActionAcceptedAnswer, HistoryEventAnswer } from '../api/routes/campaigns.schemas';
import { CAMPAIGN_STATES, REBUILD_STRATEGY_NAMES } from '../domain/campaign';
import type { ApiClient } from './api-client';
import {
  renderCampaign,
  renderList,
  renderPlan,
  type CampaignListView,
  type CampaignView,
  type PlanView,
  type StartedView,
} from './campaign-views';
import { watchCampaign } from './campaign-watch';

const collect = (value: string, previous: string[]) => [...previous, value];
const campaignPath = (id: string) => `/api/v1/campaigns/${encodeURIComponent(id)}`;
const print = (lines: string[]) => console.log(lines.join('\n'));
const printJson = (value: unknown) => console.log(JSON.stringify(value, null, 2));

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--limit must be a positive integer, not '${value}'`);
  return n;
}

export function registerCampaignCommands(program: Command, client: () => ApiClient, json: () => boolean): void {
  const campaign = program.command('campaign').description('rebuild campaigns');

  const watch = async (id: string) => {
    process.exitCode = await watchCampaign(client(), id, { json: json() });
  };

  campaign
    .command('start')
    .description('rebuild what depends on changed components or modules, tier by tier')
    .option('--component <name>', 'a changed component, rpms/<name> (repeatable)', collect, [])
    .option('--module <name>', 'a changed module, modules/<name> (repeatable)', collect, [])
    .requiredOption('--branch <branch>', 'the branch that changed, e.g. f29')
    .addOption(new Option('--strategy <strategy>', 'which components may be reused').choices(REBUILD_STRATEGY_NAMES))
    .addOption(
      new Option('--relation <relation>', 'which dependents are rebuilt (default buildrequires)').choices([
        'buildrequires',
        'requires',
        'all',
      ]),
    )
    .option('--dry-run', 'show the plan per tier; start nothing')
    .option('--reason <text>', 'why, for the record')
    .option('--watch', 'follow the campaign until it ends or waits for a person (exit 0, 1 or 2 as watch)')
    .action(
      async (opts: {
        component: string[];
        module: string[];
        branch: string;
        strategy?: string;
        relation?: string;
        dryRun?: boolean;
        reason?: string;
        watch?: boolean;
      }) => {
        const answer = await client().request<PlanView | StartedView>('POST', '/api/v1/campaigns', {
          components: opts.component,
          modules: opts.module,
          branch: opts.branch,
          strategy: opts.strategy,
          relation: opts.relation,
          dryRun: Boolean(opts.dryRun),
          reason: opts.reason,
        });
        if ('dryRun' in answer) return json() ? printJson(answer) : print(renderPlan(answer));
        if (json()) console.log(opts.watch ? JSON.stringify(answer) : JSON.stringify(answer, null, 2));
        else if (answer.existing)
          console.log(
            `this change already has campaign ${answer.id} (workflow ${answer.workflowId}); nothing new started`,
          );
        else
          console.log(
            `started campaign ${answer.id} (workflow ${answer.workflowId}): ${answer.modules} module(s) in ${answer.tiers} tier(s)`,
          );
        if (opts.watch) await watch(answer.id);
      },
    );

  campaign
    .command('watch <id>')
    .description(
      'follow a campaign tier by tier until it ends or waits for a person; exit 0 finished, 2 waiting, 1 failed or cancelled',
    )
    .action(watch);

  campaign
    .command('show <id>')
    .description('a campaign: tiers with each module, counts, blocking failures and who can act, actions')
    .action(async (id: string) => {
      const c = await client().request<CampaignView>('GET', campaignPath(id));
      if (json()) return printJson(c);
      print(renderCampaign(c));
    });

  campaign
    .command('list')
    .description('campaigns, newest first')
    .addOption(new Option('--state <state>', 'only campaigns in this state').choices(CAMPAIGN_STATES))
    .option('--limit <n>', 'at most this many', positiveInteger)
    .option('--cursor <id>', 'the page after this campaign (as the last page says)')
    .action(async (opts: { state?: string; limit?: number; cursor?: string }) => {
      const query = new URLSearchParams();
      if (opts.state) query.set('state', opts.state);
      if (opts.limit) query.set('limit', String(opts.limit));
      if (opts.cursor) query.set('cursor', opts.cursor);
      const list = await client().request<CampaignListView>('GET', `/api/v1/campaigns?${query}`);
      if (json()) return printJson(list);
      print(renderList(list));
    });

  campaign
    .command('history <id>')
    .description("the campaign workflow's Temporal event history")
    .action(async (id: string) => {
      const h = await client().request<{ workflowId: string; events: HistoryEventAnswer[] }>(
        'GET',
        `${campaignPath(id)}/history`,
      );
      if (json()) return printJson(h);
      console.log(`history of ${h.workflowId} (${h.events.length} events)`);
      for (const e of h.events) {
        const attrs = Object.entries(e.attributes)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        console.log(`${String(e.eventId).padStart(5)}  ${e.time ?? '-'}  ${e.type.padEnd(36)} ${attrs}`);
      }
    });

  const act = async (id: string, action: string, module: string, body: Record<string, string | undefined>) => {
    const accepted = await client().request<ActionAcceptedAnswer>(
      'POST',
      `${campaignPath(id)}/modules/${encodeURIComponent(module)}/${action}`,
      body,
    );
    if (json()) return printJson(accepted);
    const attempt = accepted.attempt === null ? '' : `: attempt ${accepted.attempt} started`;
    console.log(`${accepted.action} of ${accepted.module ?? module} accepted${attempt}`);
    console.log(`follow it with: cascade campaign watch ${id}`);
  };

  campaign
    .command('resume <id>')
    .description("resume a failed module: build its branch head (a maintainer's fix), or adopt a build with --build")
    .requiredOption('--module <name:stream>', 'the failed module')
    .option('--reason <text>', 'why, for the record')
    .option('--build <workflowId>', 'adopt this module build (module-build-…) instead of building')
    .action(async (id: string, opts: { module: string; reason?: string; build?: string }) =>
      act(id, 'resume', opts.module, { reason: opts.reason, build: opts.build }),
    );

  campaign
    .command('retry <id>')
    .description('retry a failed module: CI again on the same build when CI failed, else a new build')
    .requiredOption('--module <name:stream>', 'the failed module')
    .option('--reason <text>', 'why, for the record')
    .action(async (id: string, opts: { module: string; reason?: string }) =>
      act(id, 'retry', opts.module, { reason: opts.reason }),
    );

  campaign
    .command('skip <id>')
    .description('go on without a failed, blocked or waiting module; its dependents build against its last good build')
    .requiredOption('--module <name:stream>', 'the module to skip')
    .requiredOption('--reason <text>', 'why, for the record (required)')
    .action(async (id: string, opts: { module: string; reason: string }) =>
      act(id, 'skip', opts.module, { reason: opts.reason }),
    );

  campaign
    .command('cancel <id>')
    .description('cancel the campaign: builds in flight are cancelled, nothing new starts')
    .option('--reason <text>', 'why, for the record')
    .action(async (id: string, opts: { reason?: string }) => {
      const accepted = await client().request<ActionAcceptedAnswer>('POST', `${campaignPath(id)}/cancel`, {
        reason: opts.reason,
      });
      if (json()) return printJson(accepted);
      console.log(`cancel of campaign ${id} accepted; follow it with: cascade campaign watch ${id}`);
    });
}
