// The Prisma CLI's configuration: the JavaScript schema engine with a driver adapter, so that no
// native engine is ever downloaded. Cascade applies migrations itself (platform/migrations.ts, `npm run
// db:migrate`); the CLI is used to write them (`prisma migrate diff`) and to generate the client. For
// those, an in-memory PGlite stands in when the configured database is the embedded one.
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { defineConfig } from 'prisma/config';
import { loadConfig } from './platform/config';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => {
    const target = loadConfig().database;
    if (target.kind === 'postgres') return new PrismaPg({ connectionString: target.url });
    // Types come from an older driver-adapter-utils; the runtime contract is the same.
    return new PrismaPGlite(new PGlite('memory://')) as unknown as PrismaPg;
  },
});
