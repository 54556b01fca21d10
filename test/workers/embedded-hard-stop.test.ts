// `make start` killed with SIGKILL — the process and the Temporal dev server it runs, as a power cut or
// `kill -9` of make's process group leaves them — during an index import and during a campaign, then
// started again on the same data directory. PGlite's data directory, the Temporal SQLite file and
// dist-git come back intact: each import request is one transaction (a stream is there with all its
// relationships and components, or not at all), the import can simply be run again, and the campaign
// goes on from where its history stood and finishes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { generateModuleIndex } from '../../bench/module-index-generator';
import { openDatabase } from '../../platform/database';
import { applyMigrations } from '../../platform/migrations';
import { freePort } from '../../platform/temporal-dev-server';
import { embeddedEnv, runCli, startEmbeddedStack } from '../support/embedded-stack';
import { testEnvironment } from '../support/environment';
import { eventually } from '../support/stack';

const projectRoot = path.join(__dirname, '..', '..');

// JSON bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

// Each start gets a UI port of its own: the one a killed start held is free again for a moment before
// the restart, and an outgoing connection may be given it as its local port in between (CI saw the
// Temporal UI fail to bind "address already in use"). The UI port is no state the stack keeps.
const startStack = async (env: Record<string, string>, running: ChildProcess[]) =>
  startEmbeddedStack({ ...env, TEMPORAL_UI_PORT: String(await freePort()) }, running, { detached: true });

describe('make start killed with SIGKILL, then started again', () => {
  const running: ChildProcess[] = [];
  after(() => {
    for (const child of running)
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
  });

  it('keeps an interrupted import whole per request and finishes a campaign interrupted mid-build', async () => {
    const scratch = path.join(testEnvironment.scratch(), 'hard-stop');
    const dataDir = path.join(scratch, 'data');
    await applyMigrations({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    const env = await embeddedEnv(dataDir);

    // An index large enough that its import takes several requests; the CLI prints its progress.
    const indexFile = path.join(scratch, 'index.yaml');
    const out = fs.openSync(indexFile, 'w');
    const stats = generateModuleIndex(7, 2400, (chunk) => fs.writeSync(out, chunk));
    fs.closeSync(out);

    let stack = await startStack(env, running);
    const importer = spawn(
      path.join(projectRoot, 'node_modules', '.bin', 'tsx'),
      [path.join(projectRoot, 'cli', 'main.ts'), 'import', 'index', indexFile, '--batch', '200', '--parallel', '1'],
      { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    running.push(importer);
    let progress = '';
    importer.stderr!.on('data', (d) => (progress += String(d)));
    // Kill once some requests were answered and the next ones are under way.
    const sentBeforeKill = await eventually(async () => {
      const sent = [...progress.matchAll(/(\d+)\/\d+ streams/g)].map((m) => Number(m[1]));
      const last = sent.at(-1) ?? 0;
      return last >= 600 ? last : undefined;
    }, 120_000);
    await stack.killHard();
    await new Promise((r) => importer.once('exit', r));
    assert.ok(sentBeforeKill < stats.streams, 'the import was cut short');

    // The store as the killed process left it, opened directly: every stream that is there has all of
    // its relationships and components; the requests answered before the kill are all there.
    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    try {
      const partial = await db.prisma.moduleStream.count();
      assert.ok(partial >= sentBeforeKill && partial < stats.streams, `${partial} streams after the kill`);
      const incomplete: { name: string; stream: string }[] = await db.prisma.$queryRaw`
        SELECT s.name, s.stream FROM "ModuleStream" s
        WHERE s.name <> 'platform' AND (
          NOT EXISTS (SELECT 1 FROM "ModuleRelationship" r
                      WHERE r."fromName" = s.name AND r."fromStream" = s.stream AND r."validTo" IS NULL)
          OR NOT EXISTS (SELECT 1 FROM "ModuleComponent" c
                         WHERE c."moduleName" = s.name AND c."moduleStream" = s.stream AND c."validTo" IS NULL)
          OR NOT EXISTS (SELECT 1 FROM "DependencyChange" d
                         WHERE d."moduleName" = s.name AND d."moduleStream" = s.stream))`;
      assert.deepEqual(incomplete, []);
    } finally {
      await db.close();
    }

    // Started again, the same import runs to its end and the store holds the whole index once.
    stack = await startStack(env, running);
    const again = await runCli(['import', 'index', indexFile, '--json'], env);
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout);
    assert.equal(report.streams, stats.streams);

    // The demo: its distribution, first builds and the campaign of its change.
    const demo = await runCli(['demo'], env);
    assert.equal(demo.code, 0, demo.stdout + demo.stderr);
    const id = /campaigns\/([a-z0-9]+)/.exec(demo.stdout)?.[1];
    assert.ok(id, demo.stdout);
    const get = async (urlPath: string): Promise<Json> => (await fetch(`${stack.api}${urlPath}`)).json();
    // Kill while the campaign builds (tier 0's core is in Koji).
    await eventually(async () => {
      const c = await get(`/api/v1/campaigns/${id}`);
      const modules = c.tiers?.flatMap((t: Json) => t.modules) ?? [];
      return modules.some((m: Json) => m.state === 'building') ? true : undefined;
    }, 120_000);
    await stack.killHard();

    stack = await startStack(env, running);
    const waiting = await eventually(async () => {
      const c = await get(`/api/v1/campaigns/${id}`);
      return c.state === 'waiting' ? c : undefined;
    }, 300_000);
    assert.deepEqual(
      waiting.blocking.map((b: Json) => b.module),
      ['tools:f29'],
    );
    const fix = await runCli(['demo', 'fix'], env);
    assert.equal(fix.code, 0, fix.stdout + fix.stderr);
    const finished = await eventually(async () => {
      const c = await get(`/api/v1/campaigns/${id}`);
      return c.state === 'finished' ? c : undefined;
    }, 300_000);
    assert.equal(finished.counts.passed, 5, JSON.stringify(finished.counts));

    // One workflow history that ended, and no module built twice from one commit.
    // The store says finished just before the workflow's last step (the finished notification) ends.
    await eventually(async () => {
      const history = await get(`/api/v1/campaigns/${id}/history`);
      return history.events.at(-1).type === 'WorkflowExecutionCompleted' ? true : undefined;
    }, 60_000);
    assert.equal(await stack.stop(), 0);
    const db2 = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    try {
      // A build the kill interrupted went on in its own workflow: never a second build of one commit.
      const twice: { name: string; stream: string; builds: bigint }[] = await db2.prisma.$queryRaw`
        SELECT "name", "stream", count(*) AS builds FROM "ModuleBuild"
        WHERE "campaignId" = ${id} GROUP BY "name", "stream", "commitHash" HAVING count(*) > 1`;
      assert.deepEqual(twice, []);
    } finally {
      await db2.close();
    }
  });
});
