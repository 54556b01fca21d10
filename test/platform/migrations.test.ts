import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyMigrations, MIGRATIONS_DIR } from '../../platform/migrations';
import { DATABASE_KINDS, freshDatabase } from '../support/databases';
import { testEnvironment } from '../support/environment';

for (const kind of DATABASE_KINDS) {
  describe(`migrations (${kind})`, () => {
    it('are recorded once: applying them again changes nothing', async () => {
      const db = await freshDatabase(kind);
      await db.close();
      const report = await applyMigrations(db.target);
      assert.deepEqual(report.applied, []);
      assert.equal(
        report.alreadyApplied,
        fs.readdirSync(MIGRATIONS_DIR).filter((d) => d !== 'migration_lock.toml').length,
      );
      await db.drop();
    });

    it('refuse a migration edited after it was applied, and roll back a failing one whole', async () => {
      const db = await freshDatabase(kind);
      await db.close();
      const dir = path.join(testEnvironment.scratch(), `migrations-${kind}`);
      fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const [first] = fs.readdirSync(dir).filter((d) => d !== 'migration_lock.toml');
      fs.appendFileSync(path.join(dir, first!, 'migration.sql'), '\n-- edited\n');
      await assert.rejects(applyMigrations(db.target, dir), /was changed after it was applied/);

      fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true, force: true });
      fs.mkdirSync(path.join(dir, '29990101000000_broken'));
      fs.writeFileSync(
        path.join(dir, '29990101000000_broken', 'migration.sql'),
        'CREATE TABLE "Half" (id int);\nSELECT no_such_function();\n',
      );
      await assert.rejects(applyMigrations(db.target, dir), /29990101000000_broken failed and was rolled back/);
      const { openDatabase } = await import('../../platform/database');
      const reopened = await openDatabase(db.target);
      const tables = await reopened.prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM pg_tables WHERE tablename = 'Half'`,
      );
      assert.equal(Number(tables[0]!.n), 0);
      await reopened.close();
      await db.drop();
    });
  });
}
