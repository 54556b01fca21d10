// A newcomer, for real: a fresh copy of the project, `make start` (the bootstrap, then the stack on
// its embedded defaults), then only the commands the README's quick start gives under "Demo", run
// as a person types them: the demo builds its distribution and starts a campaign, the campaign waits
// on the failing test, the fix is pushed, and the campaign finishes; then the README's compose example
// composes the release the demo defined. Ports are the only difference
// from a newcomer's machine (free ones, so tests can run beside a `make start`).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../../platform/temporal-dev-server';
import { testEnvironment } from '../support/environment';
import { copyProject } from '../support/project-copy';
import { eventually } from '../support/stack';

const projectRoot = path.join(__dirname, '..', '..');

// JSON bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The `bin/cascade demo…` lines of the README's "### Demo" code block, comments removed. */
function readmeDemoCommands(readme: string): string[] {
  const section = /^### Demo\n([\s\S]*?)(?=^#{2,3} )/m.exec(readme)?.[1];
  assert.ok(section, 'the README has a "### Demo" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the Demo section has a sh code block');
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.startsWith('bin/cascade demo'));
}

/** A newcomer's environment: none of Cascade's settings, except the ports. */
function newcomerEnv(ports: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(CASCADE_|TEMPORAL_|DATABASE_URL$|TEST_)/.test(k)) env[k] = v;
  return { ...env, ...ports, TEMPORAL_CLI: testEnvironment.temporalCli() };
}

describe('a newcomer: make start, then the README quick start', () => {
  const running: ChildProcess[] = [];
  after(() => {
    for (const child of running)
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group has already exited
      }
  });

  it('reaches a finished campaign with only the commands the README gives', { timeout: 30 * 60_000 }, async () => {
    const project = copyProject(projectRoot, path.join(testEnvironment.scratch(), 'newcomer'));
    const readme = fs.readFileSync(path.join(project, 'README.md'), 'utf8');
    const commands = readmeDemoCommands(readme);
    assert.ok(commands.includes('bin/cascade demo'), JSON.stringify(commands));
    assert.ok(commands.includes('bin/cascade demo fix'), JSON.stringify(commands));

    const apiPort = String(await freePort());
    const env = newcomerEnv({
      CASCADE_API_PORT: apiPort,
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      TEMPORAL_UI_PORT: String(await freePort()),
      // where bin/cascade finds the API when make start does not listen on 8080
      CASCADE_URL: `http://127.0.0.1:${apiPort}`,
    });
    const api = env.CASCADE_URL!;

    const output: string[] = [];
    const stack = spawn('make', ['start'], { cwd: project, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(stack);
    stack.stdout!.on('data', (d) => output.push(String(d)));
    stack.stderr!.on('data', (d) => output.push(String(d)));
    const exited = new Promise<number | null>((resolve) => stack.once('exit', (code) => resolve(code)));
    await eventually(async () => {
      if (stack.exitCode !== null) throw new Error(`make start exited:\n${output.join('')}`);
      const res = await fetch(`${api}/healthz`).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    }, 600_000);
    assert.ok(fs.existsSync(path.join(project, '.build', 'cli.js')), 'the bootstrap built the CLI ahead of time');
    assert.ok(fs.existsSync(path.join(project, '.data', 'initial-admin-token')), 'the first start wrote the token');

    /** One command line as a person types it in the project directory; answers its exit code and output. */
    const run = (line: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const chunks: string[] = [];
        const child = spawn('bash', ['-c', line], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.on('data', (d) => chunks.push(String(d)));
        child.stderr.on('data', (d) => chunks.push(String(d)));
        child.once('exit', (code) => resolve({ code, out: chunks.join('') }));
      });
    const get = async (urlPath: string): Promise<Json> => (await fetch(`${api}${urlPath}`)).json();

    // bin/cascade demo: the distribution, its first builds, the change and the campaign; then it returns.
    const demo = await run('bin/cascade demo');
    assert.equal(demo.code, 0, demo.out);
    const page = new RegExp(`Watch it: +(${api}/campaigns/([a-z0-9]+))`).exec(demo.out);
    assert.ok(page, `the demo prints the campaign's dashboard page:\n${demo.out}`);
    const id = page[2]!;
    assert.match(demo.out, /^ {2}bin\/cascade demo fix$/m, 'the demo prints the command that pushes the fix');
    assert.match(demo.out, /pushed 11 repositories/);
    assert.match(demo.out, /started campaign [a-z0-9]+: 5 modules in 3 tiers/);

    // The campaign built tiers 0 and 1, and waits for a person on tools' failing test.
    const watched = await run(`bin/cascade campaign watch ${id}`);
    assert.equal(watched.code, 2, watched.out);
    const waiting = await get(`/api/v1/campaigns/${id}`);
    assert.equal(waiting.state, 'waiting');
    assert.deepEqual(
      waiting.blocking.map((b: Json) => [b.module, b.failedStep]),
      [['tools:f29', 'ci']],
    );
    assert.match(waiting.blocking[0].failure, /module\.tests\.smoke\.sh/);

    // Running the demo again changes nothing and points at the same campaign.
    const again = await run('bin/cascade demo');
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /reusing the demo's 11 repositories/);
    assert.match(again.out, new RegExp(`campaign ${id} was already started for this change: reusing it`));

    // The fix, pushed with the command the demo printed: the campaign resumes by itself.
    const fix = await run('bin/cascade demo fix');
    assert.equal(fix.code, 0, fix.out);
    assert.match(fix.out, /pushed the fix to modules\/tools@f29/);
    for (const line of commands.filter((c) => c !== 'bin/cascade demo' && c !== 'bin/cascade demo fix')) {
      // the README's other demo lines (e.g. --watch), which follow the campaign to its end
      const more = await run(line);
      assert.equal(more.code, 0, `${line}:\n${more.out}`);
    }
    const finished = await eventually(async () => {
      const c = await get(`/api/v1/campaigns/${id}`);
      return c.state === 'finished' ? c : undefined;
    }, 600_000);
    assert.equal(finished.counts.passed, 5, JSON.stringify(finished.counts));
    const resume = finished.actions.find((a: Json) => a.action === 'resume');
    assert.equal(resume.module, 'tools:f29');
    assert.equal(resume.actor, 'admin');
    assert.match(resume.reason, /fix pushed to modules\/tools@f29/);

    // The README's compose example, on the release the demo defined.
    const composeLine = /^bin\/cascade compose start [^#\n]*/m.exec(readme)?.[0].trim();
    assert.ok(composeLine, 'the README gives a compose start example');
    const compose = await run(composeLine);
    assert.equal(compose.code, 0, `${composeLine}:\n${compose.out}`);
    assert.match(compose.out, /Server +ready/);

    // Ctrl-C, as in a terminal: the whole process group (make, tsx, the stack) gets SIGINT.
    process.kill(-stack.pid!, 'SIGINT');
    await exited;
    assert.match(output.join(''), /stopped; all state is kept/);
  });
});
