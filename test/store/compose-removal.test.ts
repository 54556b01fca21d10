// Composes that publish pruned from the mirror (older than the newest CASCADE_COMPOSE_KEEP of their
// release) are marked removed, once, from what is on disk — so a retried publish marks what an
// earlier attempt pruned, and the API and ODCS's view stop calling them published.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { publicationOf } from '../../store/compose-views';
import {
  allocateCompose,
  markComposePublished,
  markPrunedComposesRemoved,
  setComposeStatus,
} from '../../store/composes';
import { freshDatabase, type TestDatabase } from '../support/databases';
import { testEnvironment } from '../support/environment';

describe('composes pruned from the mirror', () => {
  let db: TestDatabase;
  before(async () => (db = await freshDatabase('pglite')));
  after(async () => db?.close());

  it('are marked removed once, from the files, and only for their release', async () => {
    const mirror = fs.mkdtempSync(path.join(testEnvironment.scratch(), 'mirror-'));
    const publish = async (short: string) => {
      const c = await allocateCompose(db.prisma, {
        short,
        version: '29',
        type: 'nightly',
        date: '20261130',
        request: {},
        origin: 'release',
        createdBy: 'admin',
        workflowIdFor: (id) => `compose-${id}`,
      });
      await setComposeStatus(db.prisma, c.composeId, 'FINISHED');
      const dir = path.join(mirror, c.composeId);
      fs.mkdirSync(dir);
      await markComposePublished(db.prisma, c.composeId, dir);
      return { id: c.composeId, dir };
    };
    const [oldest, older, newest] = [await publish('cascade'), await publish('cascade'), await publish('cascade')];
    const other = await publish('lab');
    // publish kept the newest two of cascade-29 and deleted the oldest; lab-29's tree went too, by hand
    fs.rmSync(oldest.dir, { recursive: true });
    fs.rmSync(other.dir, { recursive: true });

    const onMirror = (dir: string) => fs.existsSync(dir);
    assert.deepEqual(await markPrunedComposesRemoved(db.prisma, 'cascade-29', onMirror), [oldest.id]);
    assert.deepEqual(await markPrunedComposesRemoved(db.prisma, 'cascade-29', onMirror), [], 'once');
    const rows = await db.prisma.compose.findMany({ orderBy: { number: 'asc' } });
    assert.deepEqual(
      rows.map((r) => [r.composeId, publicationOf(r)]),
      [
        [oldest.id, 'removed'],
        [older.id, 'published'],
        [newest.id, 'published'],
        [other.id, 'published'],
      ],
    );
  });
});
