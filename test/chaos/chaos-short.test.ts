// The chaos harness's short seeded run (chaos/main.ts): a small campaign on PostgreSQL while each of
// the worker, the API, the Temporal server and PostgreSQL is SIGKILLed once and started again, then
// the embedded stack killed whole once; every kill recovers and the checks find nothing lost and
// nothing duplicated (builds, module builds, CI runs, events, notifications, pushes, API writes).
// Two modules build for real with rpmbuild; one fails its first CI run, so each campaign waits there
// (the checks refuse a campaign waiting anywhere else) until the harness retries it; on PostgreSQL a
// compose of the real modules follows each campaign (finished, published once, as its workflow says).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChaos } from '../../chaos/main';
import { chaosRows, chaosTable } from '../../chaos/chaos-table';

describe('a short seeded chaos run', () => {
  it('loses nothing and does nothing twice when each process is killed', async (t) => {
    const lines: string[] = [];
    const results = await runChaos({
      kills: 5,
      seed: 7,
      tiers: 3,
      perTier: 4,
      modes: ['postgres', 'embedded'],
      concurrency: 8,
      realModules: 2,
      failingModules: 1,
      compose: ['postgres'],
      gapMs: [500, 2500],
      log: (line) => lines.push(line),
    });
    const table = chaosTable(results);
    t.diagnostic(table);
    const findings = results.flatMap((r) => r.report.findings);
    assert.deepEqual(findings, [], `${table}\n${lines.join('\n')}`);
    const rows = chaosRows(results);
    assert.deepEqual(rows.map((r) => `${r.mode}/${r.kind}`).sort(), [
      'embedded/stack',
      'postgres/api',
      'postgres/postgres',
      'postgres/temporal',
      'postgres/worker',
    ]);
    for (const row of rows) {
      assert.equal(row.recoveries, row.kills, `${row.mode}/${row.kind} did not recover:\n${table}`);
      assert.equal(row.lost, 0);
      assert.equal(row.duplicated, 0);
    }
    for (const r of results) {
      assert.ok(r.report.campaigns >= 1);
      assert.equal(r.report.moduleBuilds, r.report.campaigns * 12);
      assert.ok(r.accepted.tokens.length > 0 && r.accepted.pushes.length > 0);
      // the two real modules' components went through rpmbuild (the checks found each ran once)
      assert.ok(r.report.realBuildTasks >= 2, `${r.mode}: ${r.report.realBuildTasks} real build tasks`);
    }
    // a compose after each campaign on PostgreSQL: every one finished and published once (the checks)
    const postgres = results.find((r) => r.mode === 'postgres')!;
    assert.equal(postgres.report.composes, postgres.report.campaigns);
    assert.equal(postgres.composes.length, postgres.report.campaigns);
  });
});
