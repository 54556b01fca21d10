// Embedded-store choice, measured: activities writing while the API reads, through one Prisma client
// on PGlite (in process) and on a private PostgreSQL (Debian's), same workload.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { openDatabase } from '../platform/database';
import { applyMigrations } from '../platform/migrations';
import { startPostgresCluster } from '../platform/postgres-cluster';
import { freePort } from '../platform/temporal-dev-server';

const READERS = 8;
const SECONDS = 5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function workload(prisma: PrismaClient, writerCount: number) {
  const deadline = performance.now() + SECONDS * 1000;
  const reads: number[] = [];
  let writes = 0;
  let n = 0;
  const writer = async () => {
    while (performance.now() < deadline) {
      const id = `w${n++}`;
      await prisma.campaign.upsert({
        where: { id },
        create: {
          id,
          workflowId: `campaign-${id}`,
          trigger: { components: ['x'] },
          branch: 'f29',
          strategy: 'all',
          state: 'running',
          createdBy: 'bench',
        },
        update: { state: 'recorded' },
      });
      writes += 1;
    }
  };
  const reader = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      await prisma.campaign.findUnique({ where: { id: `w${Math.floor(n / 2)}` } });
      reads.push(performance.now() - started);
    }
  };
  await Promise.all([...Array.from({ length: writerCount }, writer), ...Array.from({ length: READERS }, reader)]);
  reads.sort((a, b) => a - b);
  return {
    writesPerSecond: writes / SECONDS,
    readsPerSecond: reads.length / SECONDS,
    readP50: percentile(reads, 50),
    readP99: percentile(reads, 99),
  };
}

export async function runStoreConcurrencyBench(): Promise<string> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-bench-store-'));
  const rows: string[] = [
    `writers (campaign upserts) with ${READERS} readers (findUnique), ${SECONDS} s each, one Prisma client`,
  ];
  const pglite = { kind: 'pglite' as const, dataDir: path.join(scratch, 'pglite') };
  await applyMigrations(pglite);
  const cluster = await startPostgresCluster(await freePort());
  try {
    const postgres = { kind: 'postgres' as const, url: cluster.url() };
    await applyMigrations(postgres);
    for (const target of [pglite, postgres]) {
      for (const writers of [1, 8]) {
        const db = await openDatabase(target);
        const r = await workload(db.prisma, writers);
        await db.close();
        rows.push(
          `${target.kind.padEnd(9)} ${writers} writer(s): writes ${r.writesPerSecond.toFixed(0).padStart(6)}/s   reads ${r.readsPerSecond.toFixed(0).padStart(6)}/s   read p50 ${r.readP50.toFixed(2)} ms   p99 ${r.readP99.toFixed(2)} ms`,
        );
      }
    }
  } finally {
    await cluster.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return rows.join('\n');
}
