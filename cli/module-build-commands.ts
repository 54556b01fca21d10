// `cascade module-build start|show|logs|watch`.
import type { Command } from 'commander';
import { DEFAULT_REBUILD_STRATEGY, REBUILD_STRATEGY_NAMES } from '../domain/module-build';
import type { ApiClient } from './api-client';

interface ComponentView {
  name: string;
  batch: number;
  state: string;
  nvr: string | null;
  stateReason: string | null;
  reusedFrom: { nsvc: string; nvr: string | null } | null;
}
interface ModuleBuildView {
  nsvc: string;
  state: string;
  stateReason: string | null;
  owner: string;
  commitHash: string;
  components: ComponentView[];
  states: { state: string; at: string; reason: string | null }[];
}

const FINAL = new Set(['ready', 'failed']);
const MARK: Record<string, string> = { waiting: '·', building: '⋯', complete: '✔', reused: '↺', failed: '✖' };

function render(b: ModuleBuildView): string {
  const lines = [
    `${b.nsvc}  ${b.state}${b.stateReason ? ` — ${b.stateReason}` : ''}  (by ${b.owner}, module commit ${b.commitHash.slice(0, 12)})`,
  ];
  const batches = [...new Set(b.components.map((c) => c.batch))].sort((x, y) => x - y);
  for (const batch of batches) {
    const cs = b.components.filter((c) => c.batch === batch);
    const done = cs.filter((c) => c.state === 'complete' || c.state === 'reused').length;
    lines.push(`  batch ${batch}  [${'#'.repeat(done)}${'.'.repeat(cs.length - done)}] ${done}/${cs.length}`);
    for (const c of cs) {
      const origin = c.reusedFrom ? ` (reused from ${c.reusedFrom.nsvc})` : '';
      lines.push(
        `    ${MARK[c.state] ?? '?'} ${c.name.padEnd(24)} ${c.state.padEnd(9)} ${c.nvr ?? ''}${origin}${c.stateReason ? ` — ${c.stateReason}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}

export function registerModuleBuildCommands(program: Command, client: () => ApiClient, json: () => boolean): void {
  const mb = program.command('module-build').description('module builds');

  const watch = async (api: ApiClient, nsvcOrWorkflow: { nsvc?: string; name?: string; stream?: string }) => {
    let last = '';
    for (;;) {
      const nsvc =
        nsvcOrWorkflow.nsvc ??
        (
          await api.request<{ items: { nsvc: string }[] }>(
            'GET',
            `/api/v1/module-builds?name=${nsvcOrWorkflow.name}&stream=${nsvcOrWorkflow.stream}&limit=1`,
          )
        ).items[0]?.nsvc;
      if (nsvc) {
        const b = await api.request<ModuleBuildView>('GET', `/api/v1/module-builds/${nsvc}`);
        const text = render(b);
        if (text !== last) console.log(text + '\n');
        last = text;
        if (FINAL.has(b.state)) {
          if (b.state === 'failed') process.exitCode = 1;
          return;
        }
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  };

  mb.command('start')
    .description('build a module stream at its branch head (or --commit)')
    .requiredOption('--module <name>', 'module name')
    .requiredOption('--stream <stream>', 'stream (the module repository branch)')
    .option('--commit <hash>', 'a specific module commit')
    .option('--strategy <strategy>', REBUILD_STRATEGY_NAMES.join(' | '), DEFAULT_REBUILD_STRATEGY)
    .option('--watch', 'follow the build until it ends')
    .action(async (opts: { module: string; stream: string; commit?: string; strategy: string; watch?: boolean }) => {
      const api = client();
      const started = await api.request<{ workflowId: string; version: string; commit: string }>(
        'POST',
        '/api/v1/module-builds',
        {
          name: opts.module,
          stream: opts.stream,
          commit: opts.commit,
          strategy: opts.strategy,
        },
      );
      if (json() && !opts.watch) return console.log(JSON.stringify(started, null, 2));
      console.log(
        `started ${started.workflowId} (version ${started.version}, module commit ${started.commit.slice(0, 12)})`,
      );
      if (opts.watch) await watch(api, { name: opts.module, stream: opts.stream });
    });

  mb.command('show <nsvc>')
    .description('a module build: batches, components, reuse')
    .action(async (nsvc: string) => {
      const b = await client().request<ModuleBuildView>('GET', `/api/v1/module-builds/${nsvc}`);
      if (json()) return console.log(JSON.stringify(b, null, 2));
      console.log(render(b));
      for (const s of b.states) console.log(`  ${s.at}  ${s.state}${s.reason ? ` — ${s.reason}` : ''}`);
    });

  mb.command('watch <nsvc>')
    .description('follow a module build until it is ready or failed')
    .action(async (nsvc: string) => watch(client(), { nsvc }));

  mb.command('logs <nsvc> <component>')
    .description("a component build's log")
    .action(async (nsvc: string, component: string) => {
      process.stdout.write(
        await client().requestText('GET', `/api/v1/module-builds/${nsvc}/components/${component}/log`),
      );
    });
}
