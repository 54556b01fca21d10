// ResultsDB's API at /api/v2.0, read by ResultsDB's own client (resultsdb_api 2.1.6): a one-module
// campaign's CI runs for real (build, rpm -K, dnf install), a compose variant's validation is stored
// beside it, and the client lists the campaign's results filtered by item and test case, reads one by
// id, the test cases and the groups; everything it gets matches the store. Bad filters answer 400 in
// ResultsDB's style.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ResultsDbSink } from '../../activities/ci';
import { groupUuid } from '../../domain/resultsdb';
import { recordVariantValidation } from '../../store/composes';
import { DISTRIBUTION, distributionModulemd } from '../support/distribution-fixture';
import { GitPerson, makeTempDir, personEnv } from '../support/git-person';
import { specFile } from '../support/module-fixture';
import { eventually, startTestStack, type TestStack } from '../support/stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies, checked field by field
type Json = any;

const python = path.join(process.cwd(), '.venv', 'bin', 'python');
const clientScript = path.join(process.cwd(), 'test', 'support', 'resultsdb-client.py');
const COMPOSE = 'Cascade-29-20261201.0';

/** The distribution fixture's module that depends on nothing: one component, a one-module campaign. */
async function pushOtherModule(stack: TestStack): Promise<void> {
  const home = await makeTempDir('resultsdb');
  const env = personEnv(home);
  const other = DISTRIBUTION.find((m) => m.name === 'other')!;
  const push = async (namespace: 'rpms' | 'modules', name: string, files: Record<string, string>, time: number) => {
    await stack.distGit.ensureRepo({ namespace, name });
    const person = await GitPerson.clone(stack.distGit.repoPath({ namespace, name }), home, env);
    await person.commit('f29', files, `${name} for f29`, time);
    await person.push('f29');
  };
  await push('rpms', 'otherpkg', { 'otherpkg.spec': specFile('otherpkg') }, 1_790_000_060);
  await push('modules', 'other', { 'other.yaml': distributionModulemd(other) }, 1_790_000_120);
}

interface ExternalResultsDb {
  url: string;
  posted: Json[];
  close(): Promise<void>;
}

/**
 * A stand-in for an external ResultsDB, as small as the sink needs: POST /api/v2.0/results keeps the
 * body (refusing an outcome ResultsDB does not know, as ResultsDB does), GET filters by one data key.
 */
async function startExternalResultsDb(): Promise<ExternalResultsDb> {
  const posted: Json[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const answer = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && url.pathname === '/api/v2.0/results') {
      const [key, value] = [...url.searchParams].find(([k]) => k !== 'limit') ?? [];
      const match = posted.filter((p) => key && [p.data[key]].flat().includes(value));
      return answer(200, { data: match, prev: null, next: null });
    }
    if (req.method !== 'POST' || url.pathname !== '/api/v2.0/results') return answer(404, { message: 'Not found' });
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const body = JSON.parse(text);
      if (!['PASSED', 'INFO', 'FAILED', 'NEEDS_INSPECTION', 'ERROR'].includes(body.outcome)) {
        return answer(400, {
          validation_error: [{ loc: ['outcome'], msg: 'Value error, must be one of: PASSED', type: 'value_error' }],
        });
      }
      posted.push({ ...body, id: posted.length + 1 });
      answer(201, posted.at(-1));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2.0`,
    posted,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('ResultsDB API (/api/v2.0) read by resultsdb_api', () => {
  let stack: TestStack;
  let campaignId: string;
  let item: string;
  let client: Json;
  let external: ExternalResultsDb;

  before(async () => {
    external = await startExternalResultsDb();
    stack = await startTestStack('postgres', { env: { CASCADE_RESULTSDB_URL: external.url } });
    await pushOtherModule(stack);
    // The push hook fills the dependency store in the background; the campaign can start once it has.
    const started = await eventually(async () => {
      const res = await stack.request('POST', '/api/v1/campaigns', {
        token: stack.adminToken,
        body: { modules: ['other'], branch: 'f29' },
      });
      return res.status === 422 ? undefined : res;
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    campaignId = started.body.id;
    const finished = await eventually(async () => {
      const c = (await stack.request('GET', `/api/v1/campaigns/${campaignId}`)).body;
      return c.state === 'finished' ? c : undefined;
    }, 240_000);
    assert.equal(finished.tiers[0].modules[0].state, 'passed');
    const stored = await stack.db.prisma.ciResult.findFirstOrThrow({ where: { campaignId } });
    item = stored.item;
    await recordVariantValidation(stack.db.prisma, COMPOSE, 'Server', [
      { testcase: 'compose.repoclosure', outcome: 'PASSED', data: { arch: 'x86_64' }, log: 'ok', note: '' },
      { testcase: 'rpm.digests', outcome: 'FAILED', data: { arch: 'x86_64' }, log: 'bad', note: 'one digest' },
    ]);
    const { stdout } = await promisify(execFile)(python, [
      clientScript,
      `${stack.api.url}/api/v2.0`,
      item,
      'rpm.digests',
      groupUuid('campaign', campaignId),
    ]);
    client = JSON.parse(stdout);
  });
  after(async () => {
    await stack?.stop();
    await external?.close();
  });

  it("lists the campaign's results filtered by item and test case, as the store holds them", async () => {
    const [row] = await stack.db.prisma.ciResult.findMany({ where: { item, testcase: 'rpm.digests' } });
    assert.ok(row);
    assert.deepEqual(
      client.filtered.data.map((r: Json) => r.id),
      [Number(row.id)],
    );
    const [result] = client.filtered.data;
    assert.deepEqual(Object.keys(result).sort(), [
      'data',
      'groups',
      'href',
      'id',
      'note',
      'outcome',
      'ref_url',
      'submit_time',
      'testcase',
    ]);
    assert.equal(result.outcome, row.outcome);
    assert.equal(result.testcase.name, 'rpm.digests');
    assert.equal(result.testcase.href, `${stack.api.url}/api/v2.0/testcases/rpm.digests`);
    assert.equal(result.href, `${stack.api.url}/api/v2.0/results/${row.id}`);
    assert.equal(new Date(`${result.submit_time}Z`).getTime(), row.createdAt.getTime());
    assert.deepEqual(result.data.item, [item]);
    assert.deepEqual(result.data.type, ['module']);
    assert.deepEqual(result.data.campaign, [campaignId]);
    assert.deepEqual(result.data.run_key, [row.runKey]);
    for (const values of Object.values(result.data)) {
      assert.ok((values as unknown[]).every((v) => typeof v === 'string'));
    }
    assert.deepEqual(result.groups, [groupUuid('run', row.runKey!), groupUuid('campaign', campaignId)]);
    assert.deepEqual([client.filtered.prev, client.filtered.next], [null, null]);
  });

  it("lists every result of the item newest first, none of the compose's, and pages as ResultsDB does", async () => {
    const rows = await stack.db.prisma.ciResult.findMany({ where: { item }, orderBy: { id: 'desc' } });
    assert.ok(rows.length >= 3);
    assert.deepEqual(
      client.of_item.data.map((r: Json) => [r.id, r.testcase.name, r.outcome]),
      rows.map((r) => [Number(r.id), r.testcase, r.outcome]),
    );
    assert.deepEqual(
      client.in_campaign.data.map((r: Json) => r.id),
      rows.map((r) => Number(r.id)),
    );
    assert.deepEqual(
      client.paged.data.map((r: Json) => r.id),
      [Number(rows[1]!.id)],
    );
    assert.match(client.paged.prev, /[?&]page=0(&|$)/);
    assert.match(client.paged.next, /[?&]page=2(&|$)/);
    assert.deepEqual(
      client.item_like.data.map((r: Json) => r.testcase.name),
      ['rpm.digests'],
    );
  });

  it('reads one result by id, the test cases and the groups', async () => {
    const first = client.of_item.data[0];
    assert.deepEqual(client.by_id, first);
    const names = (await stack.db.prisma.ciResult.findMany({ distinct: ['testcase'], select: { testcase: true } }))
      .map((r) => r.testcase)
      .sort();
    assert.deepEqual(
      client.testcases.data.map((t: Json) => t.name),
      names,
    );
    assert.deepEqual(client.testcase, {
      name: 'rpm.digests',
      ref_url: null,
      href: `${stack.api.url}/api/v2.0/testcases/rpm.digests`,
    });
    const campaignGroup = groupUuid('campaign', campaignId);
    const campaignResults = await stack.db.prisma.ciResult.count({ where: { campaignId } });
    assert.equal(client.group.uuid, campaignGroup);
    assert.equal(client.group.description, `campaign ${campaignId}`);
    assert.equal(client.group.results_count, campaignResults);
    assert.equal(client.group.results, `${stack.api.url}/api/v2.0/results?groups=${campaignGroup}`);
    const uuids = client.groups.data.map((g: Json) => g.uuid);
    const runKeys = (await stack.db.prisma.ciResult.findMany({ distinct: ['runKey'], select: { runKey: true } })).map(
      (r) => groupUuid('run', r.runKey!),
    );
    assert.deepEqual([...uuids].sort(), [...runKeys, campaignGroup].sort());
  });

  it("says what is wrong with a bad filter in ResultsDB's style, through the client too", async () => {
    assert.equal(client.bad_outcome.status, 400);
    assert.match(client.bad_outcome.message, /outcome: Value error, must be one of: PASSED/);
    const badPage = await stack.request('GET', '/api/v2.0/results?page=two&since=yesterday');
    assert.equal(badPage.status, 400);
    assert.deepEqual(
      badPage.body.validation_error.map((e: Json) => [e.loc, e.type, e.input]),
      [
        [['page'], 'int_parsing', 'two'],
        [['since'], 'value_error', 'yesterday'],
      ],
    );
    const distinct = await stack.request('GET', '/api/v2.0/results/latest?_distinct_on=item');
    assert.deepEqual(
      [distinct.status, distinct.body],
      [400, { message: "Please, provide at least one filter beside '_distinct_on'" }],
    );
    assert.deepEqual(await stack.request('GET', '/api/v2.0/results/999999'), {
      status: 404,
      body: { message: 'Result not found' },
    });
    assert.deepEqual((await stack.request('GET', `/api/v2.0/groups/${groupUuid('run', 'nope')}`)).body, {
      message: 'Group not found',
    });
  });

  it('answers the latest result per test case, with since and data filters over the stored data', async () => {
    const latest = await stack.request('GET', `/api/v2.0/results/latest?item=${COMPOSE}/Server&since=2020-01-01`);
    assert.equal(latest.status, 200);
    assert.deepEqual(latest.body.data.map((r: Json) => r.testcase.name).sort(), ['compose.repoclosure', 'rpm.digests']);
    const byArch = await stack.request('GET', '/api/v2.0/results?arch=x86_64&outcome=failed&type=compose-variant');
    assert.deepEqual(
      byArch.body.data.map((r: Json) => [r.testcase.name, r.note, r.data.arch]),
      [['rpm.digests', 'one digest', ['x86_64']]],
    );
    const across = await stack.request('GET', '/api/v2.0/results/latest?testcases=rpm.digests&_distinct_on=item');
    assert.deepEqual(across.body.data.map((r: Json) => r.data.item[0]).sort(), [`${COMPOSE}/Server`, item].sort());
    const future = await stack.request('GET', '/api/v2.0/results?since=2999-01-01T00:00:00Z');
    assert.deepEqual(future.body.data, []);
  });

  it("writes the campaign's CI results to an external ResultsDB as resultsdb_api's create_result does, once each", async () => {
    const rows = await stack.db.prisma.ciResult.findMany({ where: { campaignId }, orderBy: { id: 'asc' } });
    assert.deepEqual(
      external.posted.map((p) => [p.testcase, p.outcome, p.data.item, p.data.cascade_result_key]),
      rows.map((r) => [r.testcase, r.outcome, r.item, r.resultKey]),
    );
    const first = external.posted[0];
    assert.deepEqual(
      first.groups.map((g: Json) => g.uuid),
      [groupUuid('run', rows[0]!.runKey!), groupUuid('campaign', campaignId)],
    );
    assert.equal(first.data.campaign, campaignId);
    assert.equal(first.ref_url, `${stack.config.api.publicUrl}/api/v1/ci/results/${rows[0]!.id}/log`);

    // The reference: what ResultsDB's own client sends for a result.
    const reference = `from resultsdb_api import ResultsDBapi
ResultsDBapi(${JSON.stringify(external.url)}, max_retries=0).create_result(
    outcome="PASSED", testcase="reference", groups=[{"uuid": "u"}], note="", ref_url="r", item="i", type="module")`;
    await promisify(execFile)(python, ['-c', reference]);
    const sent = external.posted.at(-1);
    assert.equal(sent.testcase, 'reference');
    assert.deepEqual(Object.keys(first).sort(), Object.keys(sent).sort());
    for (const key of ['outcome', 'testcase', 'note', 'ref_url', '_auth_token']) {
      assert.equal(typeof first[key], typeof sent[key], key);
    }
    external.posted.pop();

    // Sent again (a retried activity), nothing is written twice; a refused result fails for good, naming it.
    const sink = new ResultsDbSink({ url: external.url });
    const again = rows.map((r) => ({
      resultKey: r.resultKey,
      testcase: r.testcase,
      outcome: r.outcome,
      note: '',
      item: r.item,
      itemType: r.itemType,
      runKey: r.runKey!,
      campaignId,
      durationMs: r.durationMs,
      data: {},
      logPath: null,
    }));
    await sink.publish(again);
    assert.equal(external.posted.length, rows.length);
    await assert.rejects(sink.publish([{ ...again[0]!, resultKey: 'other/x', outcome: 'SKIPPED' }]), (err: Error) => {
      assert.match(err.message, /answered 400 to POST \/results for result other\/x: .*outcome/);
      assert.equal((err as { nonRetryable?: boolean }).nonRetryable, true);
      return true;
    });
  });
});
