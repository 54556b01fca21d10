// The store's statements below Prisma (store/sql.ts): the tag's placeholders and names, and on both
// database kinds a transaction that commits whole or writes nothing, with results typed the same way.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, sqlFor, sqlText } from '../../store/sql';
import { DATABASE_KINDS, freshDatabaseForSuite } from '../support/databases';

describe('the sql tag', () => {
  it('numbers the values, splices sqlText as it is, and names each text once', () => {
    const columns = sqlText('a, b');
    const make = (id: string, n: number) => sql`SELECT ${columns} FROM t WHERE id = ${id} AND n > ${n}`;
    const one = make('x', 1);
    const two = make('y', 2);
    assert.equal(one.text, 'SELECT a, b FROM t WHERE id = $1 AND n > $2');
    assert.deepEqual(one.values, ['x', 1]);
    assert.deepEqual(two.values, ['y', 2]);
    assert.match(one.name ?? '', /^cascade_[0-9a-f]{16}$/);
    assert.equal(two.name, one.name);
    assert.notEqual(sql`SELECT ${1}`.name, one.name);
  });

  it('passes an object that merely has a raw field as a value, not as text', () => {
    const statement = sql`SELECT ${{ raw: 'DROP TABLE t' }}::jsonb`;
    assert.equal(statement.text, 'SELECT $1::jsonb');
  });
});

for (const kind of DATABASE_KINDS) {
  describe(`statements below Prisma on ${kind}`, () => {
    const db = freshDatabaseForSuite(kind);
    const countOf = async (objectKey: string) => {
      const rows = await sqlFor(db().prisma).query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM "EventCount" WHERE "objectKey" = ${objectKey}`,
      );
      return rows[0]!.n;
    };

    it('commits a transaction whole, and one that throws writes nothing', async () => {
      const runner = sqlFor(db().prisma);
      const insert = (key: string) =>
        sql`INSERT INTO "EventCount" ("objectKey", events) VALUES (${key}, ${1}) RETURNING "objectKey", events`;
      await assert.rejects(
        runner.transaction(async (session) => {
          await session.query(insert('sql-test/rolled-back'));
          throw new Error('after the insert');
        }),
        /after the insert/,
      );
      assert.equal(await countOf('sql-test/rolled-back'), 0);
      const rows = await runner.transaction(async (session) => {
        await session.query(insert('sql-test/a'));
        return session.query<{ objectKey: string; events: number }>(insert('sql-test/b'));
      });
      assert.deepEqual(rows, [{ objectKey: 'sql-test/b', events: 1 }]);
      assert.equal((await countOf('sql-test/a')) + (await countOf('sql-test/b')), 2);
    });

    it('reads text, int4, boolean, jsonb and text[] the same way', async () => {
      const rows = await sqlFor(db().prisma).query(
        sql`SELECT ${'t'}::text AS t, ${7}::int AS i, ${true}::boolean AS b, ${JSON.stringify({ k: [1] })}::jsonb AS j,
                   ${['x', 'y']}::text[] AS a, NULL::text AS n`,
      );
      assert.deepEqual(rows, [{ t: 't', i: 7, b: true, j: { k: [1] }, a: ['x', 'y'], n: null }]);
    });
  });
}
