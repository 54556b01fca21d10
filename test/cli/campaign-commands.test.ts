// bin/cascade campaign against a real stack (Temporal dev server, PostgreSQL, rpmbuild, CI): a dry
// run's plan, a campaign started and watched until a CI failure waits for a person, what `show` and
// `list` print, a non-maintainer refused, a release engineer's skip letting the campaign finish, and
// an action on an ended campaign refused.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDistribution, distributionMaintainers, prebuildDistribution } from '../support/distribution-fixture';
import { startTestStack, type TestStack } from '../support/stack';

const cascade = path.join(__dirname, '..', '..', 'bin', 'cascade');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

describe('bin/cascade campaign', () => {
  let stack: TestStack;
  let bob: { token: string };
  let campaignId: string;
  const prebuilt = new Map<string, string>();

  before(async () => {
    stack = await startTestStack('postgres', { env: { CASCADE_CAMPAIGN_BRANCHES: 'f29' } });
    await createDistribution(stack.distGit, { failingSmoke: true });
    bob = (await distributionMaintainers(stack)).bob;
    for (const [name, nsvc] of await prebuildDistribution(stack)) prebuilt.set(name, nsvc);
  });
  after(async () => {
    await stack?.stop();
  });

  /** Runs bin/cascade with --url and --token, as a person at a terminal would (stdout is a pipe here). */
  const run = (token: string, ...args: string[]) =>
    new Promise<Run>((resolve) => {
      const child = spawn(cascade, ['--url', stack.api.url, '--token', token, ...args]);
      let out = '';
      let err = '';
      const limit = setTimeout(() => child.kill('SIGTERM'), 240_000);
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => {
        clearTimeout(limit);
        resolve({ code, out, err });
      });
    });
  const admin = (...args: string[]) => run(stack.adminToken, ...args);

  it('prints a dry run per tier with why each module is rebuilt and its path, starting nothing', async () => {
    const r = await admin('campaign', 'start', '--component', 'libcore', '--branch', 'f29', '--dry-run');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0]!, /^dry run: 5 module\(s\) in 3 tier\(s\)/);
    assert.deepEqual(
      lines.filter((l) => l.startsWith('tier ')),
      ['tier 0  (1 module)', 'tier 1  (2 modules)', 'tier 2  (2 modules)'],
    );
    assert.match(r.out, /core:f29 +\[changed\] .*holds rpms\/libcore, changed on f29/);
    assert.match(r.out, /app:f29 +.*buildrequires tools:f29/);
    assert.match(r.out, /path: core:f29 → tools:f29 → app:f29/);
    assert.equal(await stack.db.prisma.campaign.count(), 0);
  });

  it('starts a campaign and watches it until the CI failure waits for a person (exit 2), naming who can act and how', async () => {
    const r = await admin(
      'campaign',
      'start',
      '--component',
      'libcore',
      '--branch',
      'f29',
      '--reason',
      'cli test',
      '--watch',
    );
    const started = /^started campaign (\S+) \(workflow campaign-\1\): 5 module\(s\) in 3 tier\(s\)$/m.exec(r.out);
    assert.ok(started, r.out + r.err);
    campaignId = started[1]!;
    assert.equal(r.code, 2, r.out + r.err);
    // Not a terminal: one line per change, the tier lines with their bars among them.
    assert.match(r.out, /^\d\d:\d\d:\d\d {2}tier 0 {2}\[#{20}\] +1\/1 +passed 1$/m);
    assert.match(r.out, /tier 1 {2}\[#{10}!{10}\] +1\/2 +passed 1 {2}failed 1 {2}— tools:f29 failed CI$/m);
    assert.match(r.out, /tier 2 {2}\[#{10}\.{10}\] +1\/2 +blocked 1 {2}passed 1$/m);
    assert.match(
      r.out,
      new RegExp(`campaign ${campaignId} is waiting for a person \\(waiting for a person: tools:f29 failed\\)`),
    );
    assert.match(r.out, /^ {2}tools:f29 failed CI \(tools:f29:\S+\): .*module\.tests\.smoke\.sh/m);
    assert.match(r.out, /blocks 1 module\(s\): app:f29; can act: tina, any release-engineer/);
    assert.match(r.out, new RegExp(`^ {4}cascade campaign resume ${campaignId} --module tools:f29 `, 'm'));
    assert.match(r.out, new RegExp(`^ {4}cascade campaign skip ${campaignId} --module tools:f29 --reason TEXT`, 'm'));

    const again = await admin('campaign', 'start', '--component', 'libcore', '--branch', 'f29');
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, new RegExp(`this change already has campaign ${campaignId} `));
  });

  it('shows the tiers with each module, the blocking failure and who can act', async () => {
    const r = await admin('campaign', 'show', campaignId);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /state {5}waiting — waiting for a person: tools:f29 failed/);
    assert.match(r.out, /change {4}rpms\/libcore on f29 — cli test/);
    assert.match(r.out, /counts {4}blocked 1 {2}passed 3 {2}failed 1/);
    assert.deepEqual(
      r.out.split('\n').filter((l) => /^tier \d$/.test(l)),
      ['tier 0', 'tier 1', 'tier 2'],
    );
    assert.match(r.out, /^ {2}core:f29 +passed +#1 +core:f29:\d+:[0-9a-f]+ +holds rpms\/libcore, changed on f29$/m);
    assert.match(r.out, /^ {2}tools:f29 +failed +#1 +tools:f29:\S+ +failed CI: .*smoke/m);
    assert.match(r.out, /^ {2}app:f29 +blocked +- +- +buildrequires tools:f29/m);
    assert.match(r.out, /^blocking failures\n {2}tools:f29 failed CI/m);
    assert.match(r.out, /blocks 1 module\(s\): app:f29; can act: tina, any release-engineer/);
    const json = JSON.parse((await admin('--json', 'campaign', 'show', campaignId)).out);
    assert.equal(json.blocking[0].module, 'tools:f29');
  });

  it("refuses another module's maintainer, and an action the module's state does not allow, with the API's message (exit 1)", async () => {
    const denied = await run(bob.token, 'campaign', 'retry', campaignId, '--module', 'tools:f29');
    assert.equal(denied.code, 1, denied.out);
    assert.match(denied.err, /^cascade: 403 \w+: .+/);
    const passed = await admin('campaign', 'retry', campaignId, '--module', 'lang:f29');
    assert.equal(passed.code, 1, passed.out);
    assert.match(passed.err, /409 action_rejected: .*lang:f29 is passed/);
    const noReason = await admin('campaign', 'skip', campaignId, '--module', 'tools:f29');
    assert.equal(noReason.code, 1);
    assert.match(noReason.err, /required option '--reason <text>'/);
    assert.equal(await stack.db.prisma.campaignAction.count(), 0);
  });

  it("lets a release engineer skip the failed module; watch then exits 0, app built on tools' last good build", async () => {
    const skipped = await admin(
      'campaign',
      'skip',
      campaignId,
      '--module',
      'tools:f29',
      '--reason',
      'smoke test is known broken',
    );
    assert.equal(skipped.code, 0, skipped.err);
    assert.match(skipped.out, /^skip of tools:f29 accepted\n/);
    const watched = await admin('campaign', 'watch', campaignId);
    assert.equal(watched.code, 0, watched.out + watched.err);
    assert.match(watched.out, new RegExp(`^campaign ${campaignId} finished: passed 4 {2}skipped 1$`, 'm'));

    const c = (await stack.request('GET', `/api/v1/campaigns/${campaignId}`)).body;
    const app = c.tiers[2].modules.find((m: { module: string }) => m.module === 'app:f29');
    assert.equal(app.state, 'passed');
    const appBuild = await stack.db.prisma.moduleBuild.findFirst({ where: { campaignId, name: 'app' } });
    const toolsVersion = prebuilt.get('tools')!.split(':')[2]!;
    assert.ok(appBuild!.modulemd!.includes(toolsVersion), 'app buildrequires the tools build from before the campaign');

    const shown = await admin('campaign', 'show', campaignId);
    assert.match(shown.out, /^ {2}tools:f29 +skipped .*\(smoke test is known broken\)$/m);
    assert.match(shown.out, /^actions\n {2}\S+ {2}skip {4}tools:f29 +by admin — smoke test is known broken$/m);
  });

  it('lists the campaign, filtered by state; --json prints raw JSON (watch: one line per change)', async () => {
    const r = await admin('campaign', 'list', '--state', 'finished', '--limit', '5');
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      new RegExp(`^${campaignId} +finished +f29 +libcore +admin +\\S+ +3 tier\\(s\\) +passed 4 {2}skipped 1$`, 'm'),
    );
    assert.equal((await admin('campaign', 'list', '--state', 'waiting')).out.trim(), 'no campaigns');
    const watchedJson = await admin('--json', 'campaign', 'watch', campaignId);
    assert.equal(watchedJson.code, 0, watchedJson.err);
    const snapshots = watchedJson.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(snapshots.at(-1).state, 'finished');
    assert.equal(snapshots.at(-1).counts.skipped, 1);
    const history = await admin('campaign', 'history', campaignId);
    assert.match(history.out, /WorkflowExecutionStarted/);
  });

  it('refuses to cancel a campaign that has ended (exit 1, 409)', async () => {
    const r = await admin('campaign', 'cancel', campaignId, '--reason', 'too late');
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, new RegExp(`^cascade: 409 campaign_ended: campaign ${campaignId} has ended`));
  });
});
