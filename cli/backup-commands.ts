// `cascade backup DIR` and `cascade restore DIR` for the embedded mode (README, Backups). The work is
// in backup-create.ts and backup-restore.ts, loaded only when one of these commands runs.
import type { Command } from 'commander';
import type { CascadeConfig } from '../platform/config';

export interface BackupContext {
  config: CascadeConfig;
  url: () => string;
  token: () => string | undefined;
  json: () => boolean;
}

export function registerBackupCommands(program: Command, context: BackupContext): void {
  program
    .command('backup')
    .description(
      "copy the embedded mode's state (store, Temporal's file, dist-git, LocalKoji, composes, mirror, secrets) into DIR, running or stopped",
    )
    .argument('<dir>', 'a new or empty directory')
    .action(async (dir: string) => {
      const { createBackup } = await import('./backup-create');
      const say = context.json() ? () => undefined : (line: string) => console.log(line);
      const manifest = await createBackup({
        config: context.config,
        dest: dir,
        url: context.url(),
        token: context.token(),
        say,
      });
      if (context.json()) return console.log(JSON.stringify(manifest, null, 2));
      console.log(
        `backup of ${manifest.source} in ${dir} (${Object.keys(manifest.files).length} files, manifest.json)`,
      );
    });
  program
    .command('restore')
    .description(
      'lay out a backup made by `cascade backup` as the data directory (CASCADE_DATA_DIR), which must be empty',
    )
    .argument('<dir>', 'the backup')
    .option('--force', 'replace a data directory that is not empty (the stack must be stopped)')
    .action(async (dir: string, opts: { force?: boolean }) => {
      const { restoreBackup } = await import('./backup-restore');
      const say = context.json() ? () => undefined : (line: string) => console.log(line);
      const manifest = await restoreBackup({ config: context.config, source: dir, force: Boolean(opts.force), say });
      if (context.json())
        return console.log(JSON.stringify({ restored: context.config.dataDir, from: manifest.finishedAt }));
      console.log(`restored ${context.config.dataDir} as it was at ${manifest.finishedAt}; start it with 'make start'`);
    });
}
