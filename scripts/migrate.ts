// `npm run db:migrate`: applies the committed migrations to the configured database.
import { loadConfig } from '../platform/config';
import { applyMigrations } from '../platform/migrations';

const config = loadConfig();
applyMigrations(config.database)
  .then((report) => {
    const where = config.database.kind === 'postgres' ? 'PostgreSQL' : `PGlite at ${config.database.dataDir}`;
    console.log(
      report.applied.length
        ? `applied ${report.applied.length} migration(s) to ${where}: ${report.applied.join(', ')}`
        : `${where} is up to date (${report.alreadyApplied} migration(s))`,
    );
  })
  .catch((err) => {
    console.error('cascade migrate: ' + (err instanceof Error ? err.message : String(err)));
    process.exit(1);
  });
