// The edges of the HTTP contract that schemathesis found or that the issue names, one by one: a body
// over the limit (413), nested too deep, of another type (415) or with unknown fields; a malformed
// escape in the path, a cursor no store can hold, an empty or impossible date; a method the path does
// not have (405 with Allow) and OPTIONS, an impossible date in MBS's list. Each answers 4xx with the
// error shape (MBS's, on its API) and writes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NO_NUL_PATTERN } from '../../api/openapi-scalar-bounds';
import { startTestStack, type TestStack } from '../support/stack';

// Bodies and documents are read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('the HTTP contract at its edges', () => {
  let stack: TestStack;

  /** Every table's row count: a refusal changes none of them. */
  async function storeCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const key of Object.keys(stack.db.prisma)) {
      const delegate = (stack.db.prisma as unknown as Record<string, { count?: () => Promise<number> }>)[key];
      if (!key.startsWith('$') && !key.startsWith('_') && typeof delegate?.count === 'function')
        counts[key] = await delegate.count();
    }
    return counts;
  }

  async function send(method: string, path: string, init: { body?: string; type?: string; token?: string } = {}) {
    const headers: Record<string, string> = {};
    if (init.type) headers['content-type'] = init.type;
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const res = await fetch(stack.api.url + path, { method, headers, body: init.body });
    const text = await res.text();
    const body = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    return { status: res.status, headers: res.headers, body };
  }

  function assertErrorShape(body: unknown, code: string) {
    const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
    assert.equal(error?.code, code, JSON.stringify(body));
    assert.equal(typeof error?.message, 'string');
    assert.ok('details' in (error as object));
  }

  before(async () => {
    stack = await startTestStack('postgres', { worker: false });
    const res = await stack.request('POST', '/api/v1/releases', { token: stack.adminToken, body: { key: 'f29' } });
    assert.ok(res.status < 300, JSON.stringify(res.body));
  });
  after(async () => {
    await stack?.stop();
  });

  it('refuses a body over 1 MB with 413 in the error shape, and writes nothing', async () => {
    const before = await storeCounts();
    const groups = Array.from({ length: 25_000 }, (_, i) => ({ id: `group-${i}`, name: `A group of packages ${i}` }));
    const body = JSON.stringify({ groups });
    assert.ok(body.length > 1024 * 1024);
    const res = await send('PUT', '/api/v1/releases/f29/comps', {
      body,
      type: 'application/json',
      token: stack.adminToken,
    });
    assert.equal(res.status, 413);
    assertErrorShape(res.body, 'payload_too_large');
    assert.deepEqual(await storeCounts(), before);
  });

  it('refuses JSON nested deeper than any route reads, before a route walks it', async () => {
    const before = await storeCounts();
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const res = await send('POST', '/api/v1/imports/module-streams', {
      body: `{"streams": ${deep}}`,
      type: 'application/json',
      token: stack.adminToken,
    });
    assert.equal(res.status, 400);
    assertErrorShape(res.body, 'too_deep');
    assert.deepEqual(await storeCounts(), before);
  });

  it('refuses a body that is not JSON with 415, but the XML routes still read XML', async () => {
    const before = await storeCounts();
    const plain = await send('POST', '/api/v1/releases', {
      body: 'key=f30',
      type: 'text/plain',
      token: stack.adminToken,
    });
    assert.equal(plain.status, 415);
    assertErrorShape(plain.body, 'unsupported_media_type');
    const form = await send('POST', '/api/v1/releases', {
      body: 'key=f30',
      type: 'application/x-www-form-urlencoded',
      token: stack.adminToken,
    });
    assert.equal(form.status, 415);
    const xml = await send('POST', '/api/v1/releases/f29/comps.xml', {
      body: '<comps><group>',
      type: 'application/xml',
      token: stack.adminToken,
    });
    assert.equal(xml.status, 400, 'an XML route reads the XML (and refuses this one as broken)');
    assert.deepEqual(await storeCounts(), before);
  });

  it('refuses unknown fields, naming them', async () => {
    const before = await storeCounts();
    const res = await stack.request('POST', '/api/v1/releases', {
      token: stack.adminToken,
      body: { key: 'f30', color: 'blue' },
    });
    assert.equal(res.status, 400);
    assertErrorShape(res.body, 'invalid_request');
    assert.match(res.body.error.message, /color/);
    assert.deepEqual(await storeCounts(), before);
  });

  it('answers a malformed percent-escape in the path with 400, not 500', async () => {
    const res = await send('GET', '/api/v1/campaigns/%E0%A4%A');
    assert.equal(res.status, 400);
    assertErrorShape(res.body, 'invalid_request');
  });

  it('answers a notification cursor beyond any time the store holds with 400, not 500', async () => {
    // the cursor schemathesis sent in issue 14: 309639762908660 ms is in the year 11781
    const res = await send('GET', '/api/v1/notifications?cursor=309639762908660.EG-fAX', { token: stack.adminToken });
    assert.equal(res.status, 400);
    assertErrorShape(res.body, 'invalid_request');
    const fine = await send('GET', '/api/v1/notifications?cursor=1790000000000.abc', { token: stack.adminToken });
    assert.equal(fine.status, 200);
  });

  it('reads at= as a day or a time with its offset, and refuses an empty or impossible one', async () => {
    const base = '/api/v1/modules/core/streams/f29/dependents';
    for (const at of ['', '2026-02-30', 'yesterday', '0', '2026-11-30T12:00:00', '0000-01-01'])
      assert.equal((await send('GET', `${base}?at=${at}`)).status, 400, `at=${at}`);
    for (const at of ['2026-11-30', '2026-11-30T12:00:00Z', '2026-11-30T12:00:00%2B01:00'])
      assert.notEqual((await send('GET', `${base}?at=${at}`)).status, 400, `at=${at}`);
  });

  it('answers a method a path does not have with 405 and Allow, and OPTIONS with the same list', async () => {
    const patch = await send('PATCH', '/api/v1/campaigns');
    assert.equal(patch.status, 405);
    assert.equal(patch.headers.get('allow'), 'GET, HEAD, OPTIONS, POST');
    assertErrorShape(patch.body, 'method_not_allowed');
    const trace = await send('DELETE', '/api/v1/campaigns/some-campaign');
    assert.equal(trace.status, 405);
    assert.equal(trace.headers.get('allow'), 'GET, HEAD, OPTIONS');
    // variants' GET and PUT live in one router, POST in another: the answer joins them
    const options = await send('OPTIONS', '/api/v1/releases/f29/variants');
    assert.equal(options.status, 204);
    assert.equal(options.headers.get('allow'), 'GET, HEAD, OPTIONS, POST, PUT');
    const resultsDb = await send('POST', '/api/v2.0/results');
    assert.equal(resultsDb.status, 405);
    const nowhere = await send('PATCH', '/api/v1/no-such-thing');
    assert.equal(nowhere.status, 404);
    assertErrorShape(nowhere.body, 'not_found');
  });

  it("answers MBS's list a date with month 82 or in the year 0 with MBS's 400, not 500", async () => {
    // schemathesis found it: the Zulu pattern holds any digits, and new Date() of them is no time at all
    const res = await send('GET', '/module-build-service/2/module-builds/?modified_before=2521-82-26T15:10:38Z');
    assert.equal(res.status, 400);
    assert.equal(res.body.status, 400);
    assert.match(res.body.message, /invalid Zulu ISO 8601 timestamp .* "modified_before"/);
    // and the year 0, which no store holds (it found that one next)
    const yearZero = await send('GET', '/module-build-service/1/module-builds/?completed_after=0000-01-01T00:00:00');
    assert.equal(yearZero.status, 400);
    const fine = await send('GET', '/module-build-service/2/module-builds/?modified_before=2521-08-26T15:10:38Z');
    assert.equal(fine.status, 200);
  });

  it('refuses a time in the year 0, which the store cannot hold, with 400 and writes nothing', async () => {
    const before = await storeCounts();
    const res = await stack.request('POST', '/api/v1/imports/module-streams', {
      token: stack.adminToken,
      body: { at: '0000-01-01T00:00:00Z', streams: [{ name: 'perl', stream: 'f29', edges: [] }] },
    });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assertErrorShape(res.body, 'invalid_request');
    assert.deepEqual(await storeCounts(), before);
  });

  it('refuses in the pipeline what its document refuses', async () => {
    for (const path of [
      '/api/v1/pipeline?q=',
      '/api/v1/pipeline?q=a%20b',
      '/api/v1/pipeline/nvrs/0',
      '/api/v1/pipeline/modules/0',
    ])
      assert.equal((await send('GET', path)).status, 400, path);
    assert.equal((await send('GET', '/api/v1/pipeline/nvrs/libcore-1.0-1')).status, 404);
  });

  it('refuses the NUL character in any text with 400 naming the field, and writes nothing', async () => {
    const before = await storeCounts();
    const search = await send('GET', '/api/v1/pipeline?q=libcore%00x');
    assert.equal(search.status, 400, JSON.stringify(search.body));
    assertErrorShape(search.body, 'invalid_request');
    assert.match(search.body.error.message, /^query\.q: /);
    const body = await stack.request('POST', '/api/v1/imports/module-streams', {
      token: stack.adminToken,
      body: {
        streams: [{ name: 'perl', stream: 'f29', edges: [], components: [{ name: 'perl', rationale: 'a\u0000b' }] }],
      },
    });
    assert.equal(body.status, 400, JSON.stringify(body.body));
    assert.equal(body.body.error.details.fields[0].field, 'body.streams.0.components.0.rationale');
    assert.deepEqual(await storeCounts(), before);
  });

  it('refuses the NUL character in the compatibility APIs too, each in its own error shape', async () => {
    const mbs = await send('GET', '/module-build-service/1/module-builds/?version=1%002');
    assert.equal(mbs.status, 400, JSON.stringify(mbs.body));
    assert.equal(mbs.body.status, 400);
    assert.match(mbs.body.message, /"version" must not contain the NUL character/);
    const resultsdb = await send('GET', '/api/v2.0/results?testcases=a%00b');
    assert.equal(resultsdb.status, 400, JSON.stringify(resultsdb.body));
    assert.match(resultsdb.body.message, /'testcases' must not contain the NUL character/);
    // ODCS's fields Cascade does not read are dropped, NUL or not: the compose is simply not there
    const odcs = await send('PATCH', '/api/1/composes/1097', {
      body: JSON.stringify({ label: 'x', 'seconds-to-live': 127, extra: { note: 'a\u0000b' } }),
      type: 'application/json',
      token: stack.adminToken,
    });
    assert.equal(odcs.status, 404, JSON.stringify(odcs.body));
  });

  it("refuses a component's buildorder the store's integer cannot hold, and writes nothing", async () => {
    const before = await storeCounts();
    const res = await stack.request('POST', '/api/v1/imports/module-streams', {
      token: stack.adminToken,
      body: {
        streams: [{ name: 'perl', stream: 'f29', edges: [], components: [{ name: 'perl', buildorder: 2 ** 31 }] }],
      },
    });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.details.fields[0].field, 'body.streams.0.components.0.buildorder');
    assert.deepEqual(await storeCounts(), before);
  });

  it('reads a compose cursor past any compose number as before them all, not as a 500', async () => {
    const res = await send('GET', '/api/v1/composes?cursor=918030126864&limit=44&status=FINISHED');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.items, []);
  });

  it('publishes the bounds every request holds: free text without NUL, integers that are safe', async () => {
    const doc = (await send('GET', '/api/v1/openapi.json')).body;
    const q = doc.paths['/api/v1/pipeline'].get.parameters.find((p: { name: string }) => p.name === 'q');
    assert.ok(q.schema.pattern, 'q keeps its own pattern');
    const page = doc.paths['/api/1/composes/'].get.parameters.find((p: { name: string }) => p.name === 'page');
    assert.equal(page.schema.maximum, Number.MAX_SAFE_INTEGER);
    // the import's component rationale: free text, bounded through the components the body refers to
    const resolve = (schema: Json): Json =>
      schema.$ref ? resolve(doc.components.schemas[schema.$ref.split('/').at(-1)]) : schema;
    const body = resolve(
      doc.paths['/api/v1/imports/module-streams'].post.requestBody.content['application/json'].schema,
    );
    const component = resolve(resolve(resolve(body.properties.streams).items).properties.components).items;
    const rationale = resolve(component).properties.rationale;
    assert.deepEqual(rationale.type, ['string', 'null']);
    assert.equal(rationale.pattern, NO_NUL_PATTERN, JSON.stringify(rationale));
  });
});
