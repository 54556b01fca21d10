// The metadata service's cached resolutions through the API, on a generated 2,000-stream
// distribution with cycles imported by `cascade import index`: pages of transitive dependents and
// of tiers agree with brute force, a change of edges (through the import route, or written to the
// store by another process and seen only through the change feed) changes the cached answers, and
// a restarted service reads the same graph back. The change cursor's holes are checked on their own.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ChangeCursor } from '../../api/metadata/change-cursor';
import { MetadataService } from '../../api/metadata/metadata-service';
import { generateDistributionGraph, type DistributionStream } from '../../bench/distribution-graph';
import { applyModuleDefinitions } from '../../store/pdc-relationships';
import { testEnvironment } from '../support/environment';
import { eventually, startTestStack, type TestStack } from '../support/stack';

const projectRoot = path.join(__dirname, '..', '..');
const generated = generateDistributionGraph({ streams: 2000, seed: 11 });
const [hub, secondHub] = generated.summary.hubs as [{ node: string; closure: number; tiers: number }, { node: string }];

function cascade(stack: TestStack, ...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(projectRoot, 'bin', 'cascade'), [
      '--url',
      stack.api.url,
      '--token',
      stack.adminToken,
      ...args,
    ]);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Streams that reach `root` through their dependencies: one search from each stream. */
function bruteForceDependents(streams: readonly DistributionStream[], root: string): Set<string> {
  const forward = new Map(streams.map((s) => [`${s.name}:${s.stream}`, [...s.buildrequires, ...s.requires]]));
  const reaches = (from: string) => {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length > 0) {
      for (const next of forward.get(stack.pop()!) ?? []) {
        if (next === root) return true;
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
      }
    }
    return false;
  };
  return new Set([...forward.keys()].filter((node) => node !== root && reaches(node)));
}

const dependentsPath = (node: string, query: string) => {
  const [name, stream] = node.split(':') as [string, string];
  return `/api/v1/modules/${name}/streams/${stream}/dependents?${query}`;
};

interface Item {
  name: string;
  stream: string;
  tier: number | null;
  path: string[];
  cycle?: boolean;
}

async function everyPage(stack: TestStack, node: string, query: string): Promise<{ total: number; items: Item[] }> {
  const items: Item[] = [];
  let total = 0;
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { total: number; items: Item[]; nextCursor: string | null } } =
      await stack.request('GET', dependentsPath(node, `${query}&limit=700${cursor ? `&cursor=${cursor}` : ''}`));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    total = res.body.total;
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return { total, items };
}

describe('metadata service at distribution scale (postgres)', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack('postgres');
    const file = path.join(testEnvironment.scratch(), `distribution-${process.pid}.yaml`);
    fs.writeFileSync(file, generated.text);
    const run = await cascade(stack, 'import', 'index', file);
    assert.equal(run.code, 0, run.stderr);
  });
  after(async () => {
    await stack?.stop();
  });

  it('pages the largest hub’s transitive dependents and tiers as brute force finds them', async () => {
    const expected = bruteForceDependents(generated.streams, hub.node);
    const transitive = await everyPage(stack, hub.node, 'transitive=true');
    assert.equal(transitive.total, expected.size);
    assert.equal(transitive.total, hub.closure);
    assert.deepEqual(new Set(transitive.items.map((i) => `${i.name}:${i.stream}`)), expected);
    const depths = transitive.items.map((i) => i.path.length);
    assert.deepEqual(
      depths,
      [...depths].sort((a, b) => a - b),
      'ordered by depth',
    );
    for (const item of transitive.items) assert.equal(item.path[0], hub.node);

    const tiers = await everyPage(stack, hub.node, 'tiers=true');
    assert.equal(tiers.total, expected.size);
    assert.equal(Math.max(...tiers.items.map((i) => i.tier ?? -1)) + 1, hub.tiers);
    const cyclic = tiers.items.filter((i) => i.cycle);
    assert.ok(cyclic.length >= 2, 'the generated cycles show up in the tiers');
    // A cycle's members share a tier: each flagged member has a flagged mate in its tier it depends on.
    const streams = new Map(generated.streams.map((s) => [`${s.name}:${s.stream}`, s]));
    const tierOf = new Map(tiers.items.map((i) => [`${i.name}:${i.stream}`, i.tier]));
    for (const item of cyclic) {
      const own = streams.get(`${item.name}:${item.stream}`)!;
      const mates = [...own.buildrequires, ...own.requires].filter((d) => tierOf.get(d) === item.tier);
      assert.ok(mates.length > 0, `${item.name} shares its tier with a cycle mate`);
    }
  });

  it('answers from the cache until an import changes edges, then answers anew', async () => {
    const count = async (node: string) =>
      (await stack.request('GET', dependentsPath(node, 'transitive=true&limit=1'))).body.total as number;
    const before = await count(hub.node);
    const second = await count(secondHub.node);
    const outsider = generated.streams.find(
      (s) =>
        s.name.startsWith('data') && !bruteForceDependents(generated.streams, hub.node).has(`${s.name}:${s.stream}`),
    )!;
    const res = await stack.request('POST', '/api/v1/imports/module-streams', {
      token: stack.adminToken,
      body: {
        streams: [
          {
            name: outsider.name,
            stream: outsider.stream,
            edges: [{ type: 'BUILDREQUIRES', toName: hub.node.split(':')[0], toStream: hub.node.split(':')[1] }],
            components: outsider.components.map((name) => ({ name })),
          },
        ],
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const changed = generated.streams.map((s) =>
      s === outsider ? { ...s, buildrequires: [hub.node], requires: [] } : s,
    );
    assert.equal(await count(hub.node), bruteForceDependents(changed, hub.node).size);
    assert.ok((await count(hub.node)) > before);
    assert.equal(await count(secondHub.node), bruteForceDependents(changed, secondHub.node).size);
    assert.ok(second >= 0);
  });

  it('sees a change another process wrote to the store through the change feed alone', async () => {
    const [name, stream] = hub.node.split(':') as [string, string];
    const before = (await stack.request('GET', dependentsPath(hub.node, 'transitive=false&limit=1'))).body.total;
    // Written straight to the store, as a worker's push would: the API's import route is not involved.
    await applyModuleDefinitions(stack.db.prisma, [
      {
        definition: {
          name: 'feed-only',
          stream: '1',
          release: null,
          edges: [{ type: 'REQUIRES', toName: name, toStream: stream }],
          components: [],
        },
        source: { at: new Date() },
      },
    ]);
    // Seen once its notification reaches the API (test/api/metadata-freshness.test.ts: the first question after it).
    const direct = await eventually(async () => {
      const answer = await stack.request('GET', dependentsPath(hub.node, 'transitive=false&limit=5000'));
      return answer.body.total === before + 1 ? answer : undefined;
    });
    assert.equal(direct.body.total, before + 1);
    assert.ok(direct.body.items.some((i: Item) => i.name === 'feed-only'));
    const tiers = await everyPage(stack, hub.node, 'tiers=true');
    assert.equal(tiers.items.find((i) => i.name === 'feed-only')?.tier, 1);
  });

  it('a restarted service reads the same graph back in one statement', async () => {
    const live = await stack.request('GET', dependentsPath(hub.node, 'tiers=true&limit=1'));
    const restarted = new MetadataService(stack.db.prisma);
    const loaded = await restarted.load();
    assert.equal(loaded.modules, await stack.db.prisma.moduleStream.count());
    const [name, stream] = hub.node.split(':') as [string, string];
    const resolver = await restarted.resolve();
    assert.equal(resolver.count(name, stream, 'all'), live.body.total);
    const memory = restarted.memory();
    assert.equal(memory.streams, loaded.modules);
    assert.ok(memory.graphBytes > 0);
  });
});

describe('ChangeCursor', () => {
  it('keeps ids skipped by transactions in flight until they commit or grow old', () => {
    const cursor = new ChangeCursor(10n, [8n, 10n], 5, 0);
    assert.deepEqual(cursor.pending(0), [6n, 7n, 9n]);
    cursor.advance([7n, 11n, 14n], 1000);
    assert.equal(cursor.position, 14n);
    assert.deepEqual(
      cursor.pending(1000).sort((a, b) => Number(a - b)),
      [6n, 9n, 12n, 13n],
    );
    cursor.advance([12n], 2000);
    assert.deepEqual(cursor.pending(10 * 60 * 1000 + 500), [13n], 'the oldest holes expire first');
    assert.deepEqual(cursor.pending(11 * 60 * 1000 + 2000), []);
  });
});
