// Appending many relationship and component rows at once: one INSERT … SELECT FROM unnest(arrays)
// per table, instead of Prisma's createMany, which binds every value as its own parameter and
// splits large batches (the import of a 60,000-stream index spent most of its store time there).
import type { Prisma, PrismaClient } from '@prisma/client';

type Db = PrismaClient | Prisma.TransactionClient;

/** timestamp(3) columns hold UTC without a zone: send them as such, whatever the session's time zone. */
const utc = (d: Date | string) =>
  (typeof d === 'string' ? new Date(d) : d).toISOString().replace('T', ' ').replace('Z', '');

export async function insertRelationships(db: Db, rows: Prisma.ModuleRelationshipCreateManyInput[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof Prisma.ModuleRelationshipCreateManyInput>(k: K) => rows.map((r) => r[k] ?? null);
  await db.$executeRaw`
    INSERT INTO "ModuleRelationship" ("fromName", "fromStream", "type", "toName", "toStream", "release", "validFrom", "commitHash")
    SELECT * FROM unnest(${col('fromName')}::text[], ${col('fromStream')}::text[], ${col('type')}::"RelationType"[],
      ${col('toName')}::text[], ${col('toStream')}::text[], ${col('release')}::text[],
      ${rows.map((r) => utc(r.validFrom))}::timestamp(3)[], ${col('commitHash')}::text[])`;
}

export async function insertModuleComponents(db: Db, rows: Prisma.ModuleComponentCreateManyInput[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof Prisma.ModuleComponentCreateManyInput>(k: K) => rows.map((r) => r[k] ?? null);
  await db.$executeRaw`
    INSERT INTO "ModuleComponent" ("moduleName", "moduleStream", "componentName", "ref", "buildorder", "rationale", "validFrom", "commitHash")
    SELECT * FROM unnest(${col('moduleName')}::text[], ${col('moduleStream')}::text[], ${col('componentName')}::text[],
      ${col('ref')}::text[], ${rows.map((r) => r.buildorder ?? 0)}::int[], ${col('rationale')}::text[],
      ${rows.map((r) => utc(r.validFrom))}::timestamp(3)[], ${col('commitHash')}::text[])`;
}
