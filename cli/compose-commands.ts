// `cascade compose start|list|show|watch|diff|cancel|history`: thin client of /api/v1/composes, with
// live progress per phase and per variant. (`compose --local` is the offline command: compose-local.ts.)
import type { Command } from 'commander';
import { COMPOSE_PHASES, FINAL_COMPOSE_STATUSES } from '../domain/compose/vocabulary';
import type { ApiClient } from './api-client';
import { readTolerating } from './transient-reads';

interface PhaseView {
  phase: string;
  state: string;
  seconds: number | null;
  detail: unknown;
}
interface VariantView {
  uid: string;
  state: string;
  reason: string | null;
  arches: string[];
  modules: string[];
  images: { path: string; size: number }[];
  validation: { testcase: string; outcome: string; note: string | null }[];
}
export interface ComposeView {
  composeId: string;
  release: string;
  type: string;
  label: string | null;
  status: string;
  statusReason: string | null;
  phase: string | null;
  published: string;
  mirrorPath: string | null;
  createdBy: string;
  phases: PhaseView[];
  variants: VariantView[];
  changes: { summary?: { variants: Record<string, Record<string, number | string>> } } | null;
}

const FINAL = new Set<string>(FINAL_COMPOSE_STATUSES);
const MARK: Record<string, string> = { running: '⋯', done: '✔', failed: '✖', skipped: '-', ready: '✔', pending: '·' };

export function renderCompose(c: ComposeView): string {
  const lines = [
    `${c.composeId}  ${c.status}${c.statusReason ? ` — ${c.statusReason}` : ''}  (${c.type}${c.label ? ` ${c.label}` : ''}, by ${c.createdBy})`,
    `  ${c.published}${c.mirrorPath ? ` at ${c.mirrorPath}` : ''}`,
    '  phases:',
  ];
  const byName = new Map(c.phases.map((p) => [p.phase, p]));
  for (const name of COMPOSE_PHASES) {
    const p = byName.get(name);
    const time = p?.seconds !== null && p?.seconds !== undefined ? `${p.seconds.toFixed(1)} s` : '';
    lines.push(`    ${MARK[p?.state ?? ''] ?? '·'} ${name.padEnd(15)} ${(p?.state ?? 'waiting').padEnd(8)} ${time}`);
  }
  lines.push('  variants:');
  for (const v of c.variants) {
    lines.push(
      `    ${MARK[v.state] ?? '?'} ${v.uid.padEnd(15)} ${v.state.padEnd(8)} ${v.arches.join(',')}  ${v.modules.length} modules, ${v.images.length} images${v.reason ? ` — ${v.reason}` : ''}`,
    );
    for (const r of v.validation)
      lines.push(`        ${r.outcome === 'PASSED' ? '✔' : '✖'} ${r.testcase}${r.note ? ` — ${r.note}` : ''}`);
  }
  return lines.join('\n');
}

export function renderChanges(changes: ComposeView['changes'], composeId: string): string {
  const summary = changes?.summary;
  if (!summary) return `${composeId}: no changes recorded yet`;
  const lines = [`what changed in ${composeId}:`];
  for (const [variant, counts] of Object.entries(summary.variants)) {
    const parts = Object.entries(counts)
      .filter(([k, n]) => k !== 'status' && n !== 0)
      .map(([k, n]) => `${k} ${n}`);
    lines.push(`  ${variant.padEnd(15)} ${String(counts.status).padEnd(9)} ${parts.join(', ') || 'nothing'}`);
  }
  return lines.join('\n');
}

export function registerComposeCommands(program: Command, client: () => ApiClient, json: () => boolean): void {
  const compose = program.command('compose').description('composes of a release: repos, images and metadata');
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

  const watch = async (api: ApiClient, id: string) => {
    let last = '';
    for (;;) {
      const c = await readTolerating(() =>
        api.request<ComposeView>('GET', `/api/v1/composes/${encodeURIComponent(id)}`),
      );
      const text = renderCompose(c);
      if (text !== last) {
        if (process.stdout.isTTY && last) process.stdout.write(`\x1b[${last.split('\n').length}A\x1b[J`);
        console.log(text);
        last = text;
      }
      if (FINAL.has(c.status)) {
        process.exitCode = c.status === 'FINISHED' ? 0 : c.status === 'FINISHED_INCOMPLETE' ? 2 : 1;
        return;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  };

  compose
    .command('start')
    .description("start a compose of a release's variants (release engineers)")
    .requiredOption('--release <short-version>', 'the release, e.g. cascade-29')
    .option('--type <type>', 'production | nightly | test | ci', 'nightly')
    .option('--variant <uid...>', 'only these variants')
    .option('--label <label>', "a milestone label such as 'Beta-1.0'")
    .option('--watch', 'follow it until it ends')
    .action(async (opts: { release: string; type: string; variant?: string[]; label?: string; watch?: boolean }) => {
      const api = client();
      const started = await api.request<{ composeId: string; workflowId: string }>('POST', '/api/v1/composes', {
        release: opts.release,
        type: opts.type,
        ...(opts.variant ? { variants: opts.variant } : {}),
        ...(opts.label ? { label: opts.label } : {}),
      });
      if (json() && !opts.watch) return print(started);
      console.log(`compose ${started.composeId} started (workflow ${started.workflowId})`);
      if (opts.watch) await watch(api, started.composeId);
    });

  compose
    .command('list')
    .description('composes, newest first')
    .option('--release <short-version>')
    .option('--status <status>')
    .action(async (opts: { release?: string; status?: string }) => {
      const q = new URLSearchParams({
        ...(opts.release ? { release: opts.release } : {}),
        ...(opts.status ? { status: opts.status } : {}),
      });
      const page = await client().request<{
        items: { composeId: string; status: string; published: string; phase: string | null; createdAt: string }[];
      }>('GET', `/api/v1/composes?${q}`);
      if (json()) return print(page);
      for (const c of page.items)
        console.log(`${c.composeId.padEnd(36)} ${c.status.padEnd(20)} ${c.published.padEnd(18)} ${c.createdAt}`);
    });

  compose
    .command('show <id>')
    .description('a compose: phases with their timing, variants with their validation, published or not')
    .action(async (id: string) => {
      const c = await client().request<ComposeView>('GET', `/api/v1/composes/${encodeURIComponent(id)}`);
      if (json()) return print(c);
      console.log(renderCompose(c));
      if (c.changes) console.log(renderChanges(c.changes, c.composeId));
    });

  compose
    .command('watch <id>')
    .description('follow a compose phase by phase; exit 0 FINISHED, 2 FINISHED_INCOMPLETE, 1 otherwise')
    .action(async (id: string) => watch(client(), id));

  compose
    .command('diff <id>')
    .description('what changed since the previous compose of the release')
    .action(async (id: string) => {
      const changes = await client().request<ComposeView['changes'] & { diff?: unknown }>(
        'GET',
        `/api/v1/composes/${encodeURIComponent(id)}/changes`,
      );
      if (json()) return print(changes);
      console.log(renderChanges(changes, id));
    });

  compose
    .command('cancel <id>')
    .description('cancel a running compose (release engineers); its builds are cancelled too')
    .option('--reason <text>')
    .action(async (id: string, opts: { reason?: string }) => {
      const out = await client().request(
        'POST',
        `/api/v1/composes/${encodeURIComponent(id)}/cancel`,
        opts.reason ? { reason: opts.reason } : {},
      );
      if (json()) return print(out);
      console.log(`compose ${id}: cancelling`);
    });

  compose
    .command('history <id>')
    .description("the compose workflow's Temporal event history")
    .action(async (id: string) => {
      const h = await client().request<{ events: { id: number; time: string; type: string }[] }>(
        'GET',
        `/api/v1/composes/${encodeURIComponent(id)}/history`,
      );
      if (json()) return print(h);
      for (const e of h.events) console.log(`${String(e.id).padStart(5)} ${e.time} ${e.type}`);
    });
}
