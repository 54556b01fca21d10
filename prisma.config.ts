// The Prisma CLI's configuration: the JavaScript schema engine with a driver adapter, so that no
// native engine is ever downloaded. The CLI always connects over the PostgreSQL wire protocol:
// to PostgreSQL in production, and to the embedded PGlite through the private server that
// scripts/migrate.ts opens (use `npm run db:migrate`, which the bootstrap calls).
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import { loadConfig } from './platform/config';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => {
    const target = loadConfig().database;
    if (target.kind !== 'postgres') {
      throw new Error("the embedded database is PGlite: run 'npm run db:migrate', which serves it to Prisma's CLI");
    }
    return new PrismaPg({ connectionString: target.url });
  },
});
