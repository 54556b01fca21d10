// `cascade import index FILE`: parse a module index here (domain/modulemd), send its definitions to
// the API in batches. `cascade import tree DIR`: push a tree of repositories into the embedded dist-git.
// The modulemd reader is imported when `import index` runs, not at every start of the CLI.
import type { Command } from 'commander';
import type { ApiClient } from './api-client';
import { importTree } from './import-tree';
import type { ApplyReport } from '../store/pdc-relationships';

type ImportReport = ApplyReport;

export function registerImportCommands(program: Command, client: () => ApiClient, json: () => boolean): void {
  const imports = program.command('import').description('load a distribution into the dependency store');
  imports
    .command('index <file>')
    .description(
      'load a module index (multi-document modulemd YAML) as module streams with dependencies and components',
    )
    .option('--at <time>', 'when these definitions took effect (ISO 8601); default now')
    .option('--batch <n>', 'streams per request', (v) => Number(v), 2000)
    .option('--parallel <n>', 'requests in flight', (v) => Number(v), 3)
    .action(async (file: string, opts: { at?: string; batch: number; parallel: number }) => {
      const started = performance.now();
      const [{ ModuleIndexDefinitions }, { describeModulemdError }, { scanModuleIndexFile }, { emptyApplyReport }] =
        await Promise.all([
          import('../domain/pdc'),
          import('../domain/modulemd'),
          import('./module-index-file'),
          import('../store/pdc-relationships'),
        ]);
      // The whole file is checked before anything is sent: a bad document anywhere imports nothing.
      const index = new ModuleIndexDefinitions();
      const parsed = await scanModuleIndexFile(file, (stream) => index.add(stream));
      if (!parsed.ok) {
        for (const error of parsed.errors.slice(0, 20)) console.error(describeModulemdError(error, file));
        throw new Error(`${file}: ${parsed.errors.length} error(s); nothing was imported`);
      }
      const definitions = index.definitions();
      const parsedMs = performance.now() - started;
      const total: ImportReport = emptyApplyReport();
      const api = client();
      // Batches hold distinct streams, so they are independent transactions: a few in flight keep
      // both the API and the database busy.
      let next = 0;
      let sent = 0;
      const lane = async () => {
        for (let i = next; i < definitions.length; i = next) {
          next += opts.batch;
          const batch = definitions.slice(i, i + opts.batch).map(({ definition: d, version, context }) => ({
            name: d.name,
            stream: d.stream,
            release: d.release,
            edges: d.edges,
            components: d.components,
            ...(version ? { version } : {}),
            ...(context ? { context } : {}),
          }));
          const report = await api.request<ImportReport>('POST', '/api/v1/imports/module-streams', {
            at: opts.at,
            streams: batch,
          });
          for (const k of Object.keys(total) as (keyof ImportReport)[]) total[k] += report[k];
          sent += batch.length;
          if (!json()) process.stderr.write(`\r  ${sent}/${definitions.length} streams`);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, opts.parallel) }, lane));
      if (!json()) process.stderr.write('\n');
      const seconds = (performance.now() - started) / 1000;
      if (json()) return console.log(JSON.stringify({ ...total, builds: parsed.streams, seconds }, null, 2));
      console.log(
        `imported ${total.streams} module streams (${parsed.streams} builds) in ${seconds.toFixed(1)} s (parse ${(parsedMs / 1000).toFixed(1)} s): ` +
          `${total.changedStreams} changed, +${total.edgesAdded}/-${total.edgesRemoved} relationships, +${total.componentsAdded}/-${total.componentsRemoved} components`,
      );
    });

  imports
    .command('tree <dir>')
    .description(
      'push DIR/rpms/<name> and DIR/modules/<name> (git repositories, or plain directories) into the embedded dist-git',
    )
    .option('--branch <branch>', 'branch for plain directories', 'main')
    .option('--as <user>', 'the pusher recorded in branch history', 'import')
    .action(async (dir: string, opts: { branch: string; as: string }) => {
      const report = await importTree(client(), dir, { branch: opts.branch, identity: opts.as });
      if (json()) return console.log(JSON.stringify(report, null, 2));
      for (const p of report.pushed) console.log(`  ${p.namespace}/${p.name}: ${p.branches} branch(es)`);
      console.log(
        `pushed ${report.repositories} repositories; branch history and the dependency store fill as their push events are processed`,
      );
    });
}
