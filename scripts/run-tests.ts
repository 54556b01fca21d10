// `npm test`: starts what the integration tests talk to — a real Temporal dev server (in memory,
// on a free port) and a real PostgreSQL (Debian's, private data directory and port, unless
// TEST_DATABASE_URL is given) — migrates a template database of each kind, runs every
// test/**/*.test.ts with node's test runner, and stops the servers. Its last lines are the runner's summary.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../platform/config';
import { applyMigrations } from '../platform/migrations';
import { startPostgresCluster, type PostgresCluster } from '../platform/postgres-cluster';
import { findTemporalCli } from '../platform/temporal-cli';
import { freePort, startDevServer } from '../platform/temporal-dev-server';

const projectRoot = path.join(__dirname, '..');

function testFiles(args: string[]): string[] {
  if (args.length > 0) return args.map((a) => path.resolve(a));
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.ts')) found.push(full);
    }
  };
  walk(path.join(projectRoot, 'test'));
  return found.sort();
}

async function main(): Promise<number> {
  const config = loadConfig();
  const cli = findTemporalCli(config.temporal.cliPath, projectRoot, config.systemPath);
  if (!cli) throw new Error("no Temporal CLI (TEMPORAL_CLI, PATH or .tools/bin/temporal): run 'make bootstrap'");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-test-'));
  const temporal = await startDevServer({ cliPath: cli, port: await freePort() });
  let cluster: PostgresCluster | undefined;
  const externalUrl = process.env.TEST_DATABASE_URL;
  try {
    cluster = externalUrl ? undefined : await startPostgresCluster(await freePort());
    const adminUrl = externalUrl ?? cluster!.url('postgres');
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS cascade_template');
    await admin.query('CREATE DATABASE cascade_template');
    await admin.end();
    const templateUrl = new URL(adminUrl);
    templateUrl.pathname = '/cascade_template';
    await applyMigrations({ kind: 'postgres', url: templateUrl.toString() });
    const pgliteTemplate = path.join(scratch, 'pglite-template');
    await applyMigrations({ kind: 'pglite', dataDir: pgliteTemplate });

    const files = testFiles(process.argv.slice(2));
    const digestFile = path.join(scratch, 'failure-digest.json');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-concurrency=1',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        `--test-reporter=${path.join(__dirname, 'test-failure-digest.mjs')}`,
        `--test-reporter-destination=${digestFile}`,
        ...files,
      ],
      {
        cwd: projectRoot,
        stdio: 'inherit',
        env: {
          ...process.env,
          TEMPORAL_CLI: cli,
          TEST_TEMPORAL_ADDRESS: temporal.address,
          TEST_PG_ADMIN_URL: adminUrl,
          TEST_PGLITE_TEMPLATE: pgliteTemplate,
          TEST_SCRATCH: scratch,
        },
      },
    );
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    printDigest(digestFile);
    return code;
  } finally {
    await temporal.stop();
    await cluster?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The failures again, short, and the counts as the last line: what a reader of the run's end needs. */
function printDigest(file: string): void {
  let digest: {
    passed: number;
    failed: number;
    failures: { name: string; file: string; line: number; error: string[] }[];
  };
  try {
    digest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return; // the runner died before its reporters finished: its own output says why
  }
  if (digest.failures.length > 0) {
    console.log('\nfailed tests, each with the start of its error:');
    for (const f of digest.failures) {
      console.log(`✖ ${f.name} (${path.relative(projectRoot, f.file.replace(/^file:\/\//, ''))}:${f.line})`);
      for (const line of f.error) console.log(`    ${line}`);
    }
  }
  console.log(`tests: ${digest.passed} passed, ${digest.failed} failed`);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('cascade tests: ' + (err instanceof Error ? err.stack : String(err)));
    process.exit(1);
  },
);
