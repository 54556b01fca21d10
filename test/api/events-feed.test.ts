// The outbox over HTTP: the feed pages with after= and filters by topic and object; the stream sends
// what is stored after its cursor, then what is written while it is open, and a client reconnecting
// with Last-Event-ID gets exactly what came after that id.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { campaignInput } from '../support/campaign-input';
import { recordCampaignPlan, setCampaignState, updateCampaignModules } from '../../store/campaigns';
import { startTestStack, type TestStack } from '../support/stack';

interface SseEvent {
  id: string;
  event: string;
  data: { id: number; messageId: string; topic: string; objectKey: string; body: Record<string, unknown> };
}

/** Reads server-sent events from the stream until `count` have arrived, then closes it. */
async function readStream(
  url: string,
  count: number,
  headers: Record<string, string> = {},
  onOpen?: () => Promise<void>,
) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = '';
  let opened = false;
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((l) => l && !l.startsWith(':'))
          .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
      );
      if (fields.data !== undefined)
        events.push({ id: fields.id ?? '', event: fields.event ?? '', data: JSON.parse(fields.data) });
    }
    // the first chunk (retry:) says the stream is open: the caller may now write what it expects live
    if (!opened && onOpen) {
      opened = true;
      await onOpen();
    }
  }
  controller.abort();
  return events;
}

const input = campaignInput;
const plan = {
  tierCount: 1,
  modules: [
    {
      node: 'core:f29',
      name: 'core',
      stream: 'f29',
      tier: 0,
      changed: true,
      cycle: false,
      path: ['core:f29'],
      reason: 'holds libcore',
      dependsOn: [],
    },
  ],
};

describe('events feed and stream', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack('pglite', { worker: false });
    const prisma = stack.db.prisma;
    await recordCampaignPlan(prisma, input('c-one'), plan);
    await updateCampaignModules(prisma, 'c-one', [{ node: 'core:f29', state: 'building', attempt: 1 }]);
    await updateCampaignModules(prisma, 'c-one', [{ node: 'core:f29', state: 'passed' }]);
    await setCampaignState(prisma, 'c-one', 'finished', null);
    await recordCampaignPlan(prisma, input('c-two'), plan);
  });
  after(async () => {
    await stack?.stop();
  });

  it('pages with after= in id order, and filters by topic prefix and object', async () => {
    const all = await stack.request('GET', '/api/v1/events?limit=1000');
    assert.equal(all.status, 200);
    assert.equal(all.body.items.length, 5);
    assert.equal(all.body.next, null);
    const ids: number[] = all.body.items.map((e: { id: number }) => e.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );

    const first = await stack.request('GET', '/api/v1/events?limit=2');
    assert.equal(first.body.items.length, 2);
    assert.equal(first.body.next, ids[1]);
    const second = await stack.request('GET', `/api/v1/events?limit=2&after=${first.body.next}`);
    const third = await stack.request('GET', `/api/v1/events?limit=2&after=${second.body.next}`);
    assert.equal(third.body.next, null);
    assert.deepEqual([...first.body.items, ...second.body.items, ...third.body.items], all.body.items);

    const modules = await stack.request('GET', '/api/v1/events?topic=cascade.campaign.module');
    assert.deepEqual(
      modules.body.items.map((e: { body: { state: string } }) => e.body.state),
      ['building', 'passed'],
    );
    const two = await stack.request('GET', '/api/v1/events?object=campaign/c-two');
    assert.deepEqual(
      two.body.items.map((e: { topic: string; objectKey: string }) => [e.topic, e.objectKey]),
      [['cascade.campaign.state.change', 'campaign/c-two']],
    );
    assert.equal(typeof two.body.items[0].messageId, 'string');
  });

  it('refuses a bad cursor, naming the field', async () => {
    const res = await stack.request('GET', '/api/v1/events?after=minus-one');
    assert.equal(res.status, 400);
    assert.match(JSON.stringify(res.body.error), /after/);
    const bad = await fetch(`${stack.api.url}/api/v1/events/stream`, { headers: { 'last-event-id': 'x' } });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(await bad.json()), /Last-Event-ID/);
  });

  it('streams what is stored after the cursor, then what is written while it is open', async () => {
    const feed = (await stack.request('GET', '/api/v1/events?limit=1000')).body.items;
    const events = await readStream(`${stack.api.url}/api/v1/events/stream?after=${feed[2].id}`, 4, {}, async () => {
      await setCampaignState(stack.db.prisma, 'c-two', 'cancelled', 'asked to');
      await updateCampaignModules(stack.db.prisma, 'c-two', [{ node: 'core:f29', state: 'cancelled' }]);
    });
    assert.deepEqual(
      events.map((e) => [e.event, e.data.objectKey, e.data.body.state]),
      [
        ['cascade.campaign.state.change', 'campaign/c-one', 'finished'],
        ['cascade.campaign.state.change', 'campaign/c-two', 'running'],
        ['cascade.campaign.state.change', 'campaign/c-two', 'cancelled'],
        ['cascade.campaign.module.state.change', 'campaign/c-two', 'cancelled'],
      ],
    );
    assert.deepEqual(
      events.map((e) => e.id),
      events.map((e) => String(e.data.id)),
    );
  });

  it('resumes after Last-Event-ID with exactly what followed it; with no cursor, only what is new', async () => {
    const feed = (await stack.request('GET', '/api/v1/events?limit=1000')).body.items;
    const resumed = await readStream(`${stack.api.url}/api/v1/events/stream?after=0`, feed.length - 3, {
      'last-event-id': String(feed[2].id),
    });
    assert.deepEqual(
      resumed.map((e) => e.data.messageId),
      feed.slice(3).map((e: { messageId: string }) => e.messageId),
    );

    const live = await readStream(`${stack.api.url}/api/v1/events/stream`, 1, {}, async () => {
      await recordCampaignPlan(stack.db.prisma, input('c-three'), plan);
    });
    assert.deepEqual(
      live.map((e) => e.data.objectKey),
      ['campaign/c-three'],
    );
  });
});
