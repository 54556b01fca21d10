// GET /api/v1/ci/results: stored CI results answered in ResultsDB's shape, filtered and paged by
// cursor, one by id, its log as text, and 400 (naming the field) / 404 on bad requests.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../../support/stack';

const ITEM = 'greeting:f29:2920260101000000:6c81f848';
const OTHER = 'nodejs:10:2920260101000000:aaaaaaaa';

describe('the CI results API', () => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack('postgres', { worker: false });
    const row = (item: string, runKey: string, testcase: string, outcome: string, note = '', campaignId?: string) => ({
      testcase,
      outcome,
      itemType: 'module',
      item,
      campaignId: campaignId ?? null,
      durationMs: 1234,
      log: `log of ${testcase}\n`,
      data: { note },
      runKey,
      resultKey: `${runKey}/${testcase}`,
    });
    await stack.db.prisma.ciResult.createMany({
      data: [
        row(ITEM, 'run-1', 'modulemd.valid', 'PASSED'),
        row(ITEM, 'run-1', 'rpm.digests', 'PASSED'),
        row(ITEM, 'run-1', 'module.tests.smoke.sh', 'FAILED', 'exit status 1: missing motd'),
        row(OTHER, 'run-2', 'dnf.install', 'ERROR', 'dnf: spawn dnf ENOENT', 'c-1'),
      ],
    });
  });
  after(async () => {
    await stack?.stop();
  });

  it('lists results newest first in the shape of ResultsDB', async () => {
    const res = await stack.request('GET', `/api/v1/ci/results?item=${ITEM}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.next, null);
    assert.deepEqual(
      res.body.data.map((r: { testcase: { name: string } }) => r.testcase.name),
      ['module.tests.smoke.sh', 'rpm.digests', 'modulemd.valid'],
    );
    const [failed] = res.body.data;
    assert.deepEqual(Object.keys(failed).sort(), [
      'data',
      'id',
      'note',
      'outcome',
      'ref_url',
      'submit_time',
      'testcase',
    ]);
    assert.equal(typeof failed.id, 'number');
    assert.equal(failed.outcome, 'FAILED');
    assert.equal(failed.note, 'exit status 1: missing motd');
    assert.ok(!Number.isNaN(Date.parse(failed.submit_time)));
    assert.deepEqual(failed.data, { item: [ITEM], type: ['module'], run_key: ['run-1'], duration_ms: ['1234'] });
    assert.equal(failed.ref_url, `/api/v1/ci/results/${failed.id}/log`);
    assert.equal(res.body.data[1].note, '');
  });

  it('filters by test case, outcome, campaign and run key', async () => {
    const names = async (query: string) =>
      (await stack.request('GET', `/api/v1/ci/results?${query}`)).body.data.map(
        (r: { testcase: { name: string } }) => r.testcase.name,
      );
    assert.deepEqual(await names('testcase=rpm.digests'), ['rpm.digests']);
    assert.deepEqual(await names('outcome=ERROR'), ['dnf.install']);
    assert.deepEqual(await names('campaign=c-1'), ['dnf.install']);
    assert.deepEqual(await names('runKey=run-1&outcome=PASSED'), ['rpm.digests', 'modulemd.valid']);
    const byCampaign = await stack.request('GET', '/api/v1/ci/results?campaign=c-1');
    assert.deepEqual(byCampaign.body.data[0].data.campaign, ['c-1']);
  });

  it('pages with a cursor until next is null', async () => {
    const first = await stack.request('GET', '/api/v1/ci/results?limit=3');
    assert.equal(first.body.data.length, 3);
    assert.equal(typeof first.body.next, 'string');
    const second = await stack.request('GET', `/api/v1/ci/results?limit=3&cursor=${first.body.next}`);
    assert.equal(second.body.data.length, 1);
    assert.equal(second.body.next, null);
    assert.equal(second.body.data[0].testcase.name, 'modulemd.valid');
  });

  it('answers one result by id and its log as text', async () => {
    const [listed] = (await stack.request('GET', `/api/v1/ci/results?item=${OTHER}`)).body.data;
    const one = await stack.request('GET', `/api/v1/ci/results/${listed.id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, listed);
    const log = await fetch(`${stack.api.url}${listed.ref_url}`);
    assert.equal(log.status, 200);
    assert.match(log.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await log.text(), 'log of dnf.install\n');
  });

  it('answers 400 naming the field for bad query values and ids, and 404 for unknown ids', async () => {
    const fieldOf = async (url: string) => {
      const res = await stack.request('GET', url);
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error.code, 'invalid_request');
      return res.body.error.details.fields.map((f: { field: string }) => f.field);
    };
    assert.deepEqual(await fieldOf('/api/v1/ci/results?outcome=WEIRD'), ['query.outcome']);
    assert.deepEqual(await fieldOf('/api/v1/ci/results?item=greeting'), ['query.item']);
    assert.deepEqual(await fieldOf('/api/v1/ci/results?limit=0'), ['query.limit']);
    assert.deepEqual(await fieldOf('/api/v1/ci/results?cursor=-1'), ['query.cursor']);
    assert.deepEqual(await fieldOf('/api/v1/ci/results/abc'), ['params.id']);
    assert.deepEqual(await fieldOf('/api/v1/ci/results/abc/log'), ['params.id']);
    const unknown = await stack.request('GET', '/api/v1/ci/results?colour=red');
    assert.equal(unknown.status, 400);
    for (const url of ['/api/v1/ci/results/999999', '/api/v1/ci/results/999999/log']) {
      const res = await stack.request('GET', url);
      assert.equal(res.status, 404, url);
      assert.equal(res.body.error.code, 'not_found');
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = await stack.request('GET', '/api/v1/openapi.json');
    for (const p of ['/api/v1/ci/results', '/api/v1/ci/results/{id}', '/api/v1/ci/results/{id}/log'])
      assert.ok(doc.body.paths[p], p);
    assert.ok(doc.body.components.schemas.CiResult);
  });
});
