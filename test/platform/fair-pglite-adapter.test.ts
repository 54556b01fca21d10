import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FairQueue } from '../../platform/fair-pglite-adapter';
import { freshDatabase } from '../support/databases';

describe('embedded PGlite store under concurrent writes', () => {
  it('serves reads while a loop of writes runs (no starvation of the API by activities)', async () => {
    const db = await freshDatabase('pglite');
    const WRITE_CAP = 2000;
    let writes = 0;
    let readsDone = false;
    const writer = (async () => {
      while (!readsDone && writes < WRITE_CAP) {
        await db.prisma.user.create({ data: { name: `writer-${writes}` } });
        writes += 1;
      }
    })();
    for (let i = 0; i < 20; i++) await db.prisma.user.findUnique({ where: { name: 'writer-0' } });
    readsDone = true;
    await writer;
    assert.ok(writes < WRITE_CAP, `20 reads waited for ${writes} writes`);
    await db.close();
    await db.drop();
  });

  it('hands the queue out in arrival order', async () => {
    const queue = new FairQueue();
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (n) => {
        const release = await queue.acquire();
        order.push(n);
        await new Promise((r) => setImmediate(r));
        release();
      }),
    );
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
  });
});
