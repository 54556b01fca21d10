// A module build with CASCADE_BUILDER=koji: the worker (a process of its own) builds through
// KojiHubBuilder, over XML-RPC, on the Koji-compatible hub served by a second Cascade API process
// (its own Koji root, logged in with a Cascade token as the password). The same module built at the
// same time directly by LocalKoji (the local module builder of `cascade compose --local`: the same
// orchestration without Temporal, over a dist-git of its own holding the same commits) is the
// reference: same NSVC, same NVRs, same RPM files, same module tag. The first worker is SIGKILLed
// while the first batch's tasks run; the next one takes the activity over, finds each task by its
// key and watches it to its end: one `build` call per component on the hub, each task run once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { KojiHubClient } from '../../../activities/koji/koji-hub-client';
import { LocalModuleBuilder } from '../../../activities/module-build/local-module-builder';
import { moduleRepoDir } from '../../../activities/module-build/module-build-plan';
import { kojiTaskId } from '../../../api/kojihub/koji-ids';
import { HubState } from '../../../api/kojihub/hub-state';
import { kojiTagName } from '../../../domain/module-build';
import { createBuilder } from '../../../platform/build-setup';
import { loadConfig } from '../../../platform/config';
import { freePort } from '../../../platform/temporal-dev-server';
import { createGreetingModule } from '../../support/module-fixture';
import { eventually, startTestStack, type TestStack } from '../../support/stack';
import { startWorkerProcess } from '../../support/worker-process';

const projectRoot = path.join(__dirname, '..', '..', '..');
// Long enough that the first batch still builds when the next worker takes over (heartbeat timeout 15 s).
const SLOW = { slow: ['libgreet', 'extras'], slowSeconds: 30 };

interface ModuleResult {
  nsvc: string;
  tag: string;
  components: Map<string, { nvr: string; taskId: string }>;
}

async function buildModule(stack: TestStack): Promise<{ workflowId: string }> {
  const res = await stack.request('POST', '/api/v1/module-builds', {
    token: stack.adminToken,
    body: { name: 'greeting', stream: 'f29' },
  });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return { workflowId: res.body.workflowId };
}

async function finished(stack: TestStack, workflowId: string): Promise<ModuleResult> {
  const outcome = await stack.temporal.workflow.getHandle(workflowId).result();
  assert.equal(outcome.state, 'ready', outcome.reason);
  return recorded(stack.db.prisma, outcome.nsvc);
}

async function recorded(prisma: TestStack['db']['prisma'], nsvc: string): Promise<ModuleResult> {
  const build = await prisma.moduleBuild.findUniqueOrThrow({ where: { nsvc }, include: { components: true } });
  return {
    nsvc: build.nsvc,
    tag: kojiTagName(build.name, build.stream, build.version, build.context),
    components: new Map(build.components.map((c) => [c.name, { nvr: c.nvr!, taskId: c.taskId! }])),
  };
}

const buildFiles = (kojiRoot: string, nvr: string) => {
  const record = JSON.parse(fs.readFileSync(path.join(kojiRoot, 'packages', nvr, 'build.json'), 'utf8'));
  return [...record.rpms, record.srpm].sort();
};

const rpmsIn = (dir: string) =>
  fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.rpm'))
    .map((f) => path.basename(f))
    .sort();

/** Each component activity's last attempt number and whether it found the build already made. */
async function componentActivities(temporal: Client, workflowId: string) {
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  const decode = (p: { data?: Uint8Array | null } | undefined) =>
    p?.data ? JSON.parse(Buffer.from(p.data).toString('utf8')) : undefined;
  const scheduled = new Map<string, string>();
  const attempts = new Map<string, number>();
  const results: { component: string; attempt: number; found: boolean; taskId: string }[] = [];
  for (const e of history.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s?.activityType?.name === 'buildModuleComponent')
      scheduled.set(String(e.eventId), decode(s.input?.payloads?.[0]).name);
    const started = e.activityTaskStartedEventAttributes;
    if (started && scheduled.has(String(started.scheduledEventId)))
      attempts.set(String(started.scheduledEventId), started.attempt ?? 1);
    const done = e.activityTaskCompletedEventAttributes;
    if (done && scheduled.has(String(done.scheduledEventId))) {
      const out = decode(done.result?.payloads?.[0]);
      const id = String(done.scheduledEventId);
      results.push({ component: scheduled.get(id)!, attempt: attempts.get(id)!, found: out.found, taskId: out.taskId });
    }
  }
  return results;
}

describe('KojiHubBuilder: a module build through a Koji hub in another Cascade process', () => {
  let reference: LocalModuleBuilder;
  let stack: TestStack;
  let hub: ChildProcess | undefined;
  const workers: ChildProcess[] = [];
  let hubUrl: string;
  let hubRoot: string;

  before(async () => {
    stack = await startTestStack('postgres', { worker: false });
    reference = await LocalModuleBuilder.open({ stateDir: path.join(stack.home, 'reference'), concurrency: 2 });
    hubRoot = path.join(stack.home, 'kojihub', 'koji');
    hubUrl = `http://127.0.0.1:${await freePort()}`;
  });

  /** The second Cascade: the API alone, on the same database (Cascade's tokens log in) and its own Koji root. */
  async function startHub(): Promise<void> {
    const home = path.dirname(hubRoot);
    hub = spawn(process.execPath, ['--import', 'tsx', 'workers/api.ts'], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        DATABASE_URL: stack.db.target.kind === 'postgres' ? stack.db.target.url : '',
        TEMPORAL_ADDRESS: stack.config.temporal.address,
        CASCADE_TASK_QUEUE: `kojihub-${crypto.randomBytes(4).toString('hex')}`,
        CASCADE_DATA_DIR: home,
        CASCADE_KOJI_ROOT: hubRoot,
        CASCADE_API_HOST: '127.0.0.1',
        CASCADE_API_PORT: new URL(hubUrl).port,
        CASCADE_BUILD_TIMEOUT_SECONDS: '300',
        CASCADE_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const anonymous = new KojiHubClient({ hubUrl: `${hubUrl}/kojihub`, retries: 0 });
    await eventually(() => anonymous.call('getAPIVersion').catch(() => undefined), 60_000);
  }
  after(async () => {
    for (const w of workers) w.kill('SIGKILL');
    hub?.kill('SIGTERM');
    await reference?.close();
    await stack?.stop();
  });

  it('builds what LocalKoji builds, and a killed worker is replaced without a second task', async () => {
    // The hub and the first worker start while the reference is built directly by LocalKoji.
    const hubReady = startHub();

    const passwordFile = path.join(stack.home, 'koji-password');
    fs.writeFileSync(passwordFile, stack.adminToken + '\n', { mode: 0o600 });
    const kojiEnv = {
      CASCADE_BUILDER: 'koji',
      CASCADE_KOJI_HUB_URL: `${hubUrl}/kojihub`,
      CASCADE_KOJI_TOPURL: `${hubUrl}/kojifiles`,
      CASCADE_KOJI_USER: 'admin',
      CASCADE_KOJI_PASSWORD_FILE: passwordFile,
      // the hub checks sources out of this stack's dist-git, over http
      CASCADE_PUBLIC_URL: stack.api.url,
    };
    const first = startWorkerProcess(stack, kojiEnv);
    workers.push(first);
    await createGreetingModule(reference.distGit, SLOW);
    await createGreetingModule(stack.distGit, SLOW);
    const referenceRun = reference.buildStream({ name: 'greeting', stream: 'f29' }).then((outcome) => {
      assert.equal(outcome.state, 'ready', outcome.reason ?? '');
      return recorded(reference.prisma, outcome.nsvc!);
    });
    await hubReady;
    const { workflowId } = await buildModule(stack);

    // Kill the worker once the hub runs both first-batch builds.
    const state = new HubState(hubRoot);
    const builds = () => state.calls().filter((c) => c.method === 'build' && !c.fault);
    await eventually(async () => (builds().length === 2 ? true : undefined), 60_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    workers.push(startWorkerProcess(stack, kojiEnv));

    const [koji, local] = await Promise.all([finished(stack, workflowId), referenceRun]);

    // Same module, same builds, same files.
    assert.equal(koji.nsvc, local.nsvc);
    assert.deepEqual(
      [...koji.components].map(([name, c]) => [name, c.nvr]).sort(),
      [...local.components].map(([name, c]) => [name, c.nvr]).sort(),
    );
    for (const [name, c] of koji.components) {
      const expected = buildFiles(reference.kojiRoot, local.components.get(name)!.nvr);
      assert.deepEqual(buildFiles(hubRoot, c.nvr), expected, `${name} on the hub`);
      assert.deepEqual(buildFiles(stack.config.builds.kojiRoot, c.nvr), expected, `${name} brought to the worker`);
    }
    assert.deepEqual(
      rpmsIn(moduleRepoDir(stack.config.builds.kojiRoot, koji.nsvc)),
      rpmsIn(moduleRepoDir(reference.kojiRoot, local.nsvc)),
    );

    // Same module tag; the hub also holds MBS's buildroot tag (the earlier batch) and target.
    const client = new KojiHubClient({ hubUrl: `${hubUrl}/kojihub` });
    const tagged = ((await client.call('listTagged', [koji.tag])) as { nvr: string }[]).map((b) => b.nvr).sort();
    assert.deepEqual(tagged, fs.readdirSync(path.join(reference.kojiRoot, 'tags', local.tag)).sort());
    const buildroot = ((await client.call('listTagged', [`${koji.tag}-build`])) as { nvr: string }[]).map((b) => b.nvr);
    assert.deepEqual(
      buildroot.sort(),
      [koji.components.get('extras')!.nvr, koji.components.get('libgreet')!.nvr].sort(),
    );
    const target = (await client.call('getBuildTarget', [koji.tag])) as Record<string, string>;
    assert.equal(target.build_tag_name, `${koji.tag}-build`);
    assert.equal(target.dest_tag_name, koji.tag);
    const buildTag = (await client.call('getTag', [`${koji.tag}-build`])) as { extra: Record<string, string> };
    assert.match(
      koji.components.get('greeter')!.nvr,
      new RegExp(`${buildTag.extra['rpm.macro.dist']!.replace(/[.+]/g, '\\$&')}$`),
    );

    // One build call per component, each task run once, and the store names the hub's tasks.
    const calls = builds();
    assert.equal(calls.length, 3, JSON.stringify(calls.map((c) => c.args)));
    const tasks = fs.readdirSync(path.join(hubRoot, 'tasks'));
    assert.equal(tasks.length, 3);
    for (const task of tasks) {
      const status = JSON.parse(fs.readFileSync(path.join(hubRoot, 'tasks', task, 'status.json'), 'utf8'));
      assert.equal(status.state, 'complete');
      assert.equal(status.attempt, 1, `${status.nvr} was started ${status.attempt} times`);
    }
    assert.deepEqual(
      [...koji.components.values()].map((c) => Number(c.taskId)).sort(),
      tasks.map((t) => kojiTaskId(t)).sort(),
    );
    assert.deepEqual(calls.map((c) => c.result).sort(), tasks.map((t) => kojiTaskId(t)).sort());

    // The first batch's activities ran twice: the second attempt (the new worker) watched the same,
    // still running task to its end rather than finding a finished build or starting another.
    const activities = await componentActivities(stack.temporal, workflowId);
    for (const name of ['libgreet', 'extras']) {
      const run = activities.find((a) => a.component === name)!;
      assert.equal(run.attempt, 2, `${name}: attempt ${run.attempt}`);
      assert.equal(run.found, false, `${name} was found finished, not watched`);
      assert.equal(run.taskId, koji.components.get(name)!.taskId);
    }

    // The builder a koji-configured process makes reads a task's log from the hub.
    const builder = createBuilder(loadConfig({ ...kojiEnv, CASCADE_KOJI_ROOT: path.join(stack.home, 'reader') }));
    const log = await builder.taskLog(koji.components.get('greeter')!.taskId);
    assert.equal(log.split('\n').filter((l) => l.startsWith('$ rpmbuild')).length, 1, log);
    assert.match(log, new RegExp(`build ${koji.components.get('greeter')!.nvr.replace(/[.+]/g, '\\$&')} complete`));
  });
});
