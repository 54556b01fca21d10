// The pipeline overview on the real stack (PostgreSQL, Temporal, dist-git pushes, rpmbuild): a component
// while its module build is under way, a module built but in no compose, in a finished compose not yet
// published, in a published one, an NVR traced back to its commit, a commit forward to its builds and
// composes, and the 400s and 404s.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { branchHistory } from '../../store/branch-history';
import { allocateCompose, markComposePublished, recordComposeContents, setComposeStatus } from '../../store/composes';
import { createDistribution } from '../support/distribution-fixture';
import { eventually, startTestStack, type TestStack } from '../support/stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies, checked field by field
type Json = any;

// relative times in verdicts, whatever the machine's speed
const AGO = '(just now|\\d+ min ago)';

describe('pipeline overview (postgres)', () => {
  let stack: TestStack;
  let coreNsvc: string;

  before(async () => {
    stack = await startTestStack('postgres');
    await createDistribution(stack.distGit, { slow: ['toolkit'] });
    // every push recorded (the hook's distGitPush workflows) before anything is built
    await eventually(async () => ((await stack.db.prisma.moduleStream.count()) >= 6 ? true : undefined), 60_000);
  });
  after(async () => {
    await stack?.stop();
  });

  const get = async (path: string): Promise<Json> => {
    const res = await stack.request('GET', path);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const headOf = async (namespace: 'rpms' | 'modules', name: string) =>
    (await branchHistory(stack.db.prisma, namespace, name, 'f29'))!.at(-1)!;

  it('shows a module built but in no compose, from its module commit and who pushed it', async () => {
    const started = await stack.request('POST', '/api/v1/module-builds', {
      token: stack.adminToken,
      body: { name: 'core', stream: 'f29' },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const outcome = await stack.temporal.workflow.getHandle(started.body.workflowId).result();
    assert.equal(outcome.state, 'ready', outcome.reason);
    coreNsvc = outcome.nsvc;

    const head = await headOf('modules', 'core');
    const overview = await get('/api/v1/pipeline/modules/core/f29');
    assert.equal(overview.kind, 'module');
    assert.equal(overview.key, 'core:f29');
    assert.deepEqual(overview.source, {
      repo: 'modules/core',
      branch: 'f29',
      commit: head.newHash,
      pushedBy: 'alice',
      pushedAt: head.movedAt,
    });
    assert.equal(overview.latestBuild.nsvc, coreNsvc);
    assert.equal(overview.latestBuild.fromCommit, head.newHash);
    assert.equal(overview.latestBuild.state, 'ready');
    assert.equal(overview.latestCompose, null);
    assert.deepEqual(overview.underway, []);
    assert.match(
      overview.verdict,
      new RegExp(`^core:f29 built ${AGO} from ${head.newHash.slice(0, 7)}, in no compose yet$`),
    );
    // back to its sources: the module commit and both components' commits, each with who pushed it
    const commits = overview.lineage.commits.map((c: Json) => [c.repo, c.commit, c.pushedBy]);
    assert.deepEqual(commits, [
      ['modules/core', head.newHash, 'alice'],
      ['rpms/corehelp', (await headOf('rpms', 'corehelp')).newHash, 'alice'],
      ['rpms/libcore', (await headOf('rpms', 'libcore')).newHash, 'alice'],
    ]);
    assert.match(overview.links.temporal, new RegExp(`/namespaces/default/workflows/${started.body.workflowId}$`));
    assert.equal(overview.links.dashboard, '/pipeline?q=core%3Af29');

    // the same answer by free text, and the build itself by its NSVC
    assert.equal((await get('/api/v1/pipeline?q=core:f29')).verdict, overview.verdict);
    const byNsvc = await get(`/api/v1/pipeline/modules/${coreNsvc}`);
    assert.equal(byNsvc.kind, 'nsvc');
    assert.deepEqual(byNsvc.lineage.commits, overview.lineage.commits);
    assert.equal(byNsvc.links.dashboard, `/module-builds/${encodeURIComponent(coreNsvc)}`);
  });

  it('traces an NVR back to its component commit and the module commit it was built for', async () => {
    const libcore = await stack.db.prisma.componentBuild.findFirstOrThrow({
      where: { name: 'libcore', moduleBuild: { nsvc: coreNsvc } },
    });
    assert.ok(libcore.nvr);
    const head = await headOf('rpms', 'libcore');
    const overview = await get(`/api/v1/pipeline/nvrs/${libcore.nvr}`);
    assert.equal(overview.kind, 'nvr');
    assert.equal(overview.latestBuild.nvr, libcore.nvr);
    assert.equal(overview.latestBuild.fromCommit, head.newHash);
    assert.deepEqual(
      overview.lineage.commits.map((c: Json) => [c.repo, c.commit, c.pushedBy, c.pushedAt]),
      [
        ['rpms/libcore', head.newHash, 'alice', head.movedAt],
        ['modules/core', (await headOf('modules', 'core')).newHash, 'alice', (await headOf('modules', 'core')).movedAt],
      ],
    );
    assert.deepEqual(
      overview.lineage.builds.map((b: Json) => [b.nsvc, b.component, b.componentState]),
      [[coreNsvc, 'libcore', 'complete']],
    );
    assert.match(
      overview.verdict,
      new RegExp(
        `^${escape(libcore.nvr)} built ${AGO} from ${head.newHash.slice(0, 7)} in ${escape(coreNsvc)}, in no compose$`,
      ),
    );
    // free text finds the NVR before any component of that spelling
    assert.equal((await get(`/api/v1/pipeline?q=${encodeURIComponent(libcore.nvr)}`)).kind, 'nvr');

    // and forward from the same commit (a 7-character prefix): every build holding it
    const forward = await get(`/api/v1/pipeline/commits/${head.newHash.slice(0, 7)}`);
    assert.equal(forward.kind, 'commit');
    assert.equal(forward.key, head.newHash);
    assert.deepEqual(
      forward.lineage.builds.map((b: Json) => b.nsvc),
      [coreNsvc],
    );
    assert.equal(forward.source.pushedBy, 'alice');
  });

  it('says a module is in a finished compose that is not yet published, then in a published one', async () => {
    const compose = async (day: string) => {
      const allocated = await allocateCompose(stack.db.prisma, {
        short: 'cascade',
        version: '29',
        type: 'nightly',
        date: day,
        request: {},
        origin: 'release',
        createdBy: 'admin',
        workflowIdFor: (id) => `compose-${id}`,
      });
      await recordComposeContents(stack.db.prisma, allocated.composeId, {
        modules: [{ variant: 'Server', nsvc: coreNsvc }],
        images: [],
      });
      await setComposeStatus(stack.db.prisma, allocated.composeId, 'FINISHED');
      return allocated.composeId;
    };
    const first = await compose('20261129');
    const unpublished = await get('/api/v1/pipeline/modules/core/f29');
    assert.equal(unpublished.latestCompose.composeId, first);
    assert.equal(unpublished.latestCompose.publication, 'not yet published');
    assert.equal(unpublished.latestCompose.published, false);
    assert.match(
      unpublished.verdict,
      new RegExp(`^core:f29 built ${AGO} from [0-9a-f]{7}, in compose ${escape(first)}, not yet published$`),
    );
    assert.ok(unpublished.verdict.endsWith(`in compose ${first}, not yet published`), unpublished.verdict);

    const second = await compose('20261130');
    await markComposePublished(stack.db.prisma, second, `/mirror/${second}`);
    const published = await get('/api/v1/pipeline/modules/core/f29');
    assert.equal(published.latestCompose.composeId, second);
    assert.equal(published.latestCompose.published, true);
    assert.ok(published.latestCompose.publishedAt);
    assert.ok(published.verdict.endsWith(`in compose ${second}, published`), published.verdict);
    assert.deepEqual(
      published.lineage.composes.map((c: Json) => [c.composeId, c.publication]),
      [
        [second, 'published'],
        [first, 'not yet published'],
      ],
    );

    const composeAnswer = await get(`/api/v1/pipeline/composes/${first}`);
    assert.equal(composeAnswer.kind, 'compose');
    assert.deepEqual(
      composeAnswer.lineage.builds.map((b: Json) => b.nsvc),
      [coreNsvc],
    );
    assert.match(
      composeAnswer.verdict,
      new RegExp(`^${escape(first)} finished ${AGO}, holds 1 module build, not yet published$`),
    );
    assert.equal((await get(`/api/v1/pipeline?q=${second}`)).kind, 'compose');
  });

  it('shows a component whose module build is under way, while it runs, without waiting for it', async () => {
    const started = await stack.request('POST', '/api/v1/module-builds', {
      token: stack.adminToken,
      body: { name: 'tools', stream: 'f29' },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const handle = stack.temporal.workflow.getHandle(started.body.workflowId);
    // toolkit takes 4 s to build: ask while it is building
    const during = await eventually(async () => {
      const o = await get('/api/v1/pipeline/components/toolkit?branch=f29');
      return o.underway.some((u: Json) => u.waitingFor.includes('rpms/toolkit')) ? o : undefined;
    });
    const { status } = await handle.describe();
    assert.equal(status.name, 'RUNNING', 'the overview answered while the build ran');
    assert.equal(during.kind, 'component');
    assert.equal(during.key, 'toolkit@f29');
    assert.equal(during.source.repo, 'rpms/toolkit');
    assert.equal(during.latestBuild, null);
    const [underway] = during.underway;
    assert.equal(underway.module, 'tools:f29');
    assert.equal(underway.campaignId, null);
    assert.equal(underway.workflowId, started.body.workflowId);
    assert.ok(['init', 'wait', 'build'].includes(underway.state));
    assert.match(
      during.verdict,
      /^toolkit on f29 is being built \(tools:f29, (init|wait|build)\), waiting for rpms\/toolkit/,
    );
    assert.match(during.links.temporal, new RegExp(`${started.body.workflowId}$`));

    const outcome = await handle.result();
    assert.equal(outcome.state, 'ready', outcome.reason);
    const afterwards = await get('/api/v1/pipeline/components/toolkit?branch=f29');
    assert.deepEqual(afterwards.underway, []);
    assert.equal(afterwards.latestBuild.nsvc, outcome.nsvc);
    assert.match(afterwards.latestBuild.nvr, /^toolkit-1\.0-1\./);
    assert.match(
      afterwards.verdict,
      new RegExp(`^toolkit on f29 built ${AGO} from [0-9a-f]{7} in ${escape(outcome.nsvc)}, in no compose yet$`),
    );
  });

  it('answers malformed keys with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['/api/v1/pipeline/modules/core:f29:notanumber:abc', 'params.nsvc'],
      ['/api/v1/pipeline/components/lib;core', 'params.name'],
      ['/api/v1/pipeline/components/libcore?branch=f29;x', 'query.branch'],
      ['/api/v1/pipeline/modules/core/f%2029', 'params.stream'],
      ['/api/v1/pipeline/composes/not-a-compose', 'params.id'],
      ['/api/v1/pipeline/commits/xyz', 'params.hash'],
      ['/api/v1/pipeline?q=', 'query.q'],
      ['/api/v1/pipeline', 'query.q'],
      ['/api/v1/pipeline/nvrs/libcore', 'params.nvr'],
    ];
    for (const [path, field] of cases) {
      const res = await stack.request('GET', path);
      assert.equal(res.status, 400, `${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'invalid_request');
      assert.deepEqual(
        res.body.error.details.fields.map((f: { field: string }) => f.field),
        [field],
        path,
      );
    }
  });

  it('answers unknown things with 404', async () => {
    for (const path of [
      '/api/v1/pipeline/components/nosuch?branch=f29',
      '/api/v1/pipeline/modules/nosuch/f29',
      '/api/v1/pipeline/modules/core:f29:1:deadbeef',
      '/api/v1/pipeline/nvrs/nosuch-1.0-1',
      '/api/v1/pipeline/composes/cascade-29-20990101.n.0',
      '/api/v1/pipeline/commits/0123456789abcdef',
      '/api/v1/pipeline?q=nosuch',
    ]) {
      const res = await stack.request('GET', path);
      assert.equal(res.status, 404, `${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'not_found');
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
