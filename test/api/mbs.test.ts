// MBS's API (/module-build-service/2/) over real module builds on PostgreSQL: core submitted by scmurl,
// other started through Cascade's own API, tools by its maintainer by scmurl and branch; then the list
// and read checked against module-build-service 3.9.2's field names (ModuleBuild.short_json, json,
// extended_json; ComponentBuild.json) and state numbers, its filters and paging, the submission's 401,
// 403, 400 and 409, and a reader in Python with requests as fedpkg's module-build-info reads MBS.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { kojiTaskId } from '../../api/kojihub/koji-ids';
import { createDistribution, distributionMaintainers } from '../support/distribution-fixture';
import { eventually, startTestStack, type TestStack } from '../support/stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- MBS's JSON, checked field by field
type Json = any;

const MBS = '/module-build-service/2';

// models.py 3.9.2: short_json (with scratch), json() adds these, extended_json() these
const SHORT_FIELDS = ['context', 'id', 'name', 'scratch', 'state', 'state_name', 'stream', 'version'];
const JSON_FIELDS = [
  ...SHORT_FIELDS,
  'batch',
  'buildrequires',
  'component_builds',
  'koji_tag',
  'new_repo_task_id',
  'owner',
  'rebuild_strategy',
  'scmurl',
  'siblings',
  'srpms',
  'state_reason',
  'tasks',
  'time_completed',
  'time_modified',
  'time_submitted',
];
const EXTENDED_FIELDS = [
  ...JSON_FIELDS,
  'arches',
  'base_module_buildrequires',
  'build_context',
  'build_context_no_bms',
  'modulemd',
  'reused_module_id',
  'runtime_context',
  'state_trace',
  'state_url',
  'stream_version',
  'virtual_streams',
];
const COMPONENT_FIELDS = [
  'format',
  'id',
  'module_build',
  'nvr',
  'package',
  'state',
  'state_name',
  'state_reason',
  'task_id',
];
const ZULU = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const sorted = (o: object) => Object.keys(o).sort();
const fields = (names: string[]) => [...names].sort();

describe("MBS's module-build API (postgres)", () => {
  let stack: TestStack;
  let tina: string;
  let bob: string;
  const ids = new Map<string, number>();

  before(async () => {
    stack = await startTestStack('postgres');
    await createDistribution(stack.distGit);
    await eventually(async () => ((await stack.db.prisma.moduleStream.count()) >= 6 ? true : undefined), 60_000);
    const maintainers = await distributionMaintainers(stack);
    tina = maintainers.tina.token;
    bob = maintainers.bob.token;
  });
  after(async () => {
    await stack?.stop();
  });

  const get = async (url: string): Promise<Json> => {
    const res = await stack.request('GET', url);
    assert.equal(res.status, 200, `${url}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const scmurl = (name: string, revision: string) =>
    `${stack.distGit.cloneUrl({ namespace: 'modules', name })}?#${revision}`;
  const headOf = async (name: string) => (await stack.distGit.resolveBranch({ namespace: 'modules', name }, 'f29'))!;
  // the API names its dist-git by its configured address, the test's copy by the port it listens on
  const servedScmurl = (name: string, commit: string) =>
    new RegExp(`^http://[^/]+/git/modules/${name}\\.git\\?#${commit}$`);
  const untilReady = (id: number) =>
    eventually(async () => {
      const b = await get(`${MBS}/module-builds/${id}`);
      assert.notEqual(b.state_name, 'failed', b.state_reason);
      return b.state_name === 'ready' ? b : undefined;
    }, 300_000);

  it('builds from an scmurl: the new build in extended form, a list of one in API version 2', async () => {
    const commit = await headOf('core');
    const res = await stack.request('POST', `${MBS}/module-builds/`, {
      token: stack.adminToken,
      body: { scmurl: scmurl('core', commit), branch: 'f29' },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.length, 1);
    const submitted = res.body[0];
    assert.deepEqual(sorted(submitted), fields(EXTENDED_FIELDS));
    assert.equal(submitted.name, 'core');
    assert.equal(submitted.stream, 'f29');
    assert.equal(submitted.owner, 'admin');
    assert.match(submitted.scmurl, servedScmurl('core', commit));
    assert.equal(submitted.rebuild_strategy, 'changed-and-after');
    assert.ok(Number.isInteger(submitted.id) && submitted.id > 0);
    assert.ok(['init', 'wait', 'build'].includes(submitted.state_name), submitted.state_name);
    ids.set('core', submitted.id);
    await untilReady(submitted.id);

    // the same commit again: MBS's Conflict
    const again = await stack.request('POST', `${MBS}/module-builds/`, {
      token: stack.adminToken,
      body: { scmurl: scmurl('core', commit), branch: 'f29' },
    });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.equal(again.body.error, 'Conflict');
    assert.match(again.body.message, /^Module \(state=5\) already exists\. Only a new build/);
    assert.equal(again.body.details.id, submitted.id);
  });

  it("lets a module's maintainer build it by branch, and no one else", async () => {
    const anonymous = await stack.request('POST', `${MBS}/module-builds/`, {
      body: { scmurl: scmurl('tools', 'f29'), branch: 'f29' },
    });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.status, 401);
    assert.equal(anonymous.body.error, 'Unauthorized');

    const other = await stack.request('POST', `${MBS}/module-builds/`, {
      token: bob,
      body: { scmurl: scmurl('tools', 'f29'), branch: 'f29' },
    });
    assert.equal(other.status, 403, JSON.stringify(other.body));
    assert.equal(other.body.error, 'Forbidden');

    const bad = await stack.request('POST', `${MBS}/module-builds/`, {
      token: tina,
      body: { scmurl: 'modules/tools#f29', branch: 'f29' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'Bad Request');
    assert.match(bad.body.message, /scmurl modules\/tools#f29 is not valid/);
    assert.equal(bad.body.details.field, 'scmurl');

    const notModule = await stack.request('POST', `${MBS}/module-builds/`, {
      token: tina,
      body: { scmurl: 'https://src.example.org/rpms/toolkit.git?#f29', branch: 'f29' },
    });
    assert.equal(notModule.status, 400);
    assert.equal(notModule.body.details.field, 'scmurl');

    for (const [body, field] of [
      [{ scmurl: scmurl('tools', 'f29') }, 'branch'],
      [{ branch: 'f29' }, 'scmurl'],
      [{ scmurl: scmurl('tools', 'f29'), branch: 'f29', rebuild_strategy: 'sometimes' }, 'rebuild_strategy'],
      [{ scmurl: scmurl('tools', 'f29'), branch: 'f29', colour: 'blue' }, 'colour'],
    ] as const) {
      const res = await stack.request('POST', `${MBS}/module-builds/`, { token: tina, body });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.details.field, field, JSON.stringify(res.body));
    }

    const ok = await stack.request('POST', `${MBS}/module-builds/`, {
      token: tina,
      body: { scmurl: scmurl('tools', 'f29'), branch: 'f29', rebuild_strategy: 'all' },
    });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body[0].owner, 'tina');
    assert.equal(ok.body[0].rebuild_strategy, 'all');
    assert.match(ok.body[0].scmurl, servedScmurl('tools', await headOf('tools')), 'the branch resolved to its head');
    ids.set('tools', ok.body[0].id);
    await untilReady(ok.body[0].id);

    // and a build started through Cascade's own API is MBS's to read as well
    const started = await stack.request('POST', '/api/v1/module-builds', {
      token: stack.adminToken,
      body: { name: 'other', stream: 'f29' },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const outcome = await stack.temporal.workflow.getHandle(started.body.workflowId).result();
    assert.equal(outcome.state, 'ready', outcome.reason);
    const row = await stack.db.prisma.moduleBuild.findUniqueOrThrow({ where: { nsvc: outcome.nsvc } });
    ids.set('other', row.mbsId);
  });

  it("lists builds with MBS's fields and state numbers, newest id first, with paging meta", async () => {
    const list = await get(`${MBS}/module-builds/`);
    assert.deepEqual(
      list.items.map((b: Json) => b.id),
      [ids.get('other'), ids.get('tools'), ids.get('core')],
    );
    for (const b of list.items) {
      assert.deepEqual(sorted(b), fields(JSON_FIELDS));
      assert.equal(b.state, 5);
      assert.equal(b.state_name, 'ready');
      assert.equal(b.scratch, false);
      assert.match(b.time_submitted, ZULU);
      assert.match(b.time_modified, ZULU);
      assert.match(b.time_completed, ZULU);
      assert.equal(b.koji_tag, `module-${b.name}-${b.stream}-${b.version}-${b.context}`);
      assert.deepEqual(b.srpms, []);
      assert.deepEqual(b.siblings, []);
    }
    const core = list.items.find((b: Json) => b.name === 'core');
    assert.equal(core.component_builds.length, 2);
    assert.deepEqual(Object.keys(core.tasks.rpms).sort(), ['corehelp', 'libcore']);
    for (const t of Object.values<Json>(core.tasks.rpms)) {
      assert.equal(t.state, 1, 'COMPLETE');
      assert.match(t.nvr, /\.module_/);
    }
    const tools = list.items.find((b: Json) => b.name === 'tools');
    assert.equal(tools.buildrequires.core.stream, 'f29');
    assert.equal(tools.buildrequires.core.context, core.context);
    assert.equal(list.meta.total, 3);
    assert.equal(list.meta.page, 1);
    assert.equal(list.meta.pages, 1);
    assert.equal(list.meta.per_page, 10);
    assert.equal(list.meta.next, null);
    assert.equal(list.meta.prev, null);

    const page1 = await get(`${MBS}/module-builds/?per_page=2&state=ready`);
    assert.deepEqual(
      [page1.meta.page, page1.meta.pages, page1.meta.per_page, page1.meta.total, page1.items.length],
      [1, 2, 2, 3, 2],
    );
    assert.match(page1.meta.next, /^http:\/\/.+\/module-build-service\/2\/module-builds\/\?.*state=ready.*page=2/);
    assert.match(page1.meta.last, /page=2/);
    const page2 = await get(new URL(page1.meta.next).pathname + new URL(page1.meta.next).search);
    assert.deepEqual(
      page2.items.map((b: Json) => b.id),
      [ids.get('core')],
    );
    assert.equal(page2.meta.next, null);
    assert.match(page2.meta.prev, /page=1/);

    const ascending = await get(`${MBS}/module-builds/?order_by=id&short=true`);
    assert.deepEqual(
      ascending.items.map((b: Json) => b.id),
      [ids.get('core'), ids.get('tools'), ids.get('other')],
    );
    for (const b of ascending.items) assert.deepEqual(sorted(b), fields(SHORT_FIELDS));
  });

  it('filters by state name or number (or-ed), name, stream, owner, koji_tag, nsvc and time', async () => {
    const count = async (query: string) => (await get(`${MBS}/module-builds/?${query}`)).meta.total;
    assert.equal(await count('state=5'), 3);
    assert.equal(await count('state=ready'), 3);
    assert.equal(await count('state=failed'), 0);
    assert.equal(await count('state=4'), 0);
    assert.equal(await count('state=init&state=5'), 3);
    assert.equal(await count('state=build&state=wait'), 0);
    assert.equal(await count('name=core&stream=f29'), 1);
    assert.equal(await count('name=core&stream=f30'), 0);
    assert.equal(await count('owner=tina'), 1);
    assert.equal(await count('owner=admin'), 2);
    const core = await get(`${MBS}/module-builds/${ids.get('core')}`);
    assert.equal(await count(`koji_tag=${core.koji_tag}`), 1);
    assert.equal(await count(`nsvc=core:f29:${core.version}:${core.context}`), 1);
    assert.equal(await count(`version=${core.version}&context=${core.context}&name=core`), 1);
    assert.equal(await count(`submitted_after=${core.time_submitted}`), 3);
    assert.equal(await count('submitted_before=2000-01-01T00:00:00Z'), 0);
    assert.equal(await count(`completed_after=2000-01-01T00:00:00Z&completed_before=2999-01-01T00:00:00.000Z`), 3);
    assert.equal(await count('completed_before=2000-01-01T00:00:00Z'), 0);

    const bad = async (query: string, field: string, message: RegExp) => {
      const res = await stack.request('GET', `${MBS}/module-builds/?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.status, 400);
      assert.equal(res.body.error, 'Bad Request');
      assert.equal(res.body.details.field, field);
      assert.match(res.body.message, message);
    };
    await bad('state=sleeping', 'state', /Invalid state was supplied: sleeping/);
    await bad('submitted_after=yesterday', 'submitted_after', /"submitted_after" parameter/);
    await bad('order_by=colour', 'order_by', /invalid ordering key of "colour"/);
    await bad('order_by=id&order_desc_by=id', 'order_by', /both order_by and order_desc_by/);
    await bad('per_page=0', 'per_page', /per_page/);
    await bad('id=3', 'id', /Did you mean/);
  });

  it('reads one build; verbose adds the modulemd, the state trace and the state url', async () => {
    const id = ids.get('core')!;
    const plain = await get(`${MBS}/module-builds/${id}`);
    assert.deepEqual(sorted(plain), fields(JSON_FIELDS));
    const verbose = await get(`${MBS}/module-builds/${id}?verbose=true`);
    assert.deepEqual(sorted(verbose), fields(EXTENDED_FIELDS));
    assert.equal(verbose.id, id);
    assert.match(verbose.modulemd, /^document: modulemd/m);
    // MBS's numbers for Cascade's states, in the order the build went through them
    const trace = verbose.state_trace.map((t: Json) => [t.state, t.state_name]);
    assert.deepEqual(
      trace,
      [
        [0, 'init'],
        [1, 'wait'],
        [2, 'build'],
        [3, 'done'],
        [5, 'ready'],
      ].filter(([, name]) => trace.some((t: Json) => t[1] === name)),
    );
    assert.deepEqual(trace.slice(-2), [
      [3, 'done'],
      [5, 'ready'],
    ]);
    for (const t of verbose.state_trace) assert.match(t.time, ZULU);
    assert.equal(verbose.time_completed, verbose.state_trace.find((t: Json) => t.state_name === 'done').time);
    assert.ok(verbose.state_url.endsWith(`/module-build-service/2/module-builds/${id}`));
    assert.deepEqual(Object.keys(verbose.tasks.rpms).sort(), ['corehelp', 'libcore']);

    const missing = await stack.request('GET', `${MBS}/module-builds/999999`);
    assert.equal(missing.status, 404);
    assert.deepEqual([missing.body.status, missing.body.error], [404, 'Not Found']);
    assert.equal((await stack.request('GET', `${MBS}/module-builds/core`)).status, 404);
    assert.equal((await stack.request('GET', '/module-build-service/3/module-builds/')).status, 404);
  });

  it('lists and reads component builds with Koji state numbers and their module build', async () => {
    const core = await get(`${MBS}/module-builds/${ids.get('core')}`);
    const list = await get(`${MBS}/component-builds/?module_build=${core.id}`);
    assert.equal(list.meta.total, 2);
    assert.deepEqual(list.items.map((c: Json) => c.id).sort(), [...core.component_builds].sort());
    for (const c of list.items) {
      assert.deepEqual(sorted(c), fields(COMPONENT_FIELDS));
      assert.equal(c.module_build, core.id);
      assert.equal(c.format, 'rpms');
      assert.deepEqual([c.state, c.state_name], [1, 'COMPLETE']);
      assert.equal(c.nvr, core.tasks.rpms[c.package].nvr);
      assert.equal(c.task_id, core.tasks.rpms[c.package].task_id);
    }
    const one = await get(`${MBS}/component-builds/${list.items[0].id}`);
    assert.deepEqual(one, list.items[0]);
    assert.equal((await get(`${MBS}/component-builds/?package=libcore&state=COMPLETE`)).meta.total, 1);
    assert.equal((await get(`${MBS}/component-builds/?state=3`)).meta.total, 0);
    // task_id is the Koji task number the Koji-compatible hub serves the task by
    const libcore = list.items.find((c: Json) => c.package === 'libcore');
    const row = await stack.db.prisma.componentBuild.findUniqueOrThrow({ where: { mbsId: libcore.id } });
    assert.equal(libcore.task_id, kojiTaskId(row.taskId!));
    const byTask = await get(`${MBS}/component-builds/?task_id=${libcore.task_id}`);
    assert.deepEqual(
      byTask.items.map((c: Json) => c.id),
      [libcore.id],
    );
    assert.equal((await stack.request('GET', `${MBS}/component-builds/?state=ASLEEP`)).status, 400);
  });

  it("answers a Python reader that asks as fedpkg's module-build-info and module-overview do", async () => {
    const python = path.join(process.cwd(), '.venv', 'bin', 'python');
    const script = path.join(process.cwd(), 'test', 'support', 'mbs-module-build-info.py');
    const { stdout } = await promisify(execFile)(python, [script, stack.api.url, String(ids.get('core')), 'admin'], {
      timeout: 60_000,
    });
    const out = JSON.parse(stdout);
    const row = await stack.db.prisma.moduleBuild.findUniqueOrThrow({
      where: { mbsId: ids.get('core') },
      include: { components: true },
    });
    assert.equal(out.api_version, 2);
    assert.equal(out.nsvc, row.nsvc);
    assert.deepEqual([out.state, out.state_name], [5, 'ready']);
    assert.equal(out.owner, 'admin');
    assert.match(out.scmurl, servedScmurl('core', row.commitHash));
    assert.equal(out.trace.at(-1), 'ready');
    assert.deepEqual(
      out.components.map((c: Json) => [c.package, c.nvr, c.task_id]),
      row.components
        .map((c) => [c.name, c.nvr, kojiTaskId(c.taskId!)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    // admin's two ready builds, newest first, one per page, following meta.next
    const other = await stack.db.prisma.moduleBuild.findUniqueOrThrow({ where: { mbsId: ids.get('other') } });
    assert.deepEqual(out.overview, [`${other.nsvc} (ready)`, `${row.nsvc} (ready)`]);
    assert.deepEqual(out.missing, { status: 404, message: 'No such module found.' });
  });
});
