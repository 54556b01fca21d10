// The store's hot path in plain SQL, below Prisma. A campaign module's own writes (its build's states,
// its components', its campaign row and their events) are about eight short transactions; through
// Prisma's interactive transactions each cost the worker about 1.4–2.7 ms of CPU, through node-postgres
// with prepared statements about 0.1–0.2 ms (measured: setComponentBuildState, 4,000 calls, 20 at a
// time). On PostgreSQL these statements run on the pool under Prisma's adapter; on PGlite (one
// session, shared with Prisma) they go through Prisma, so that nothing runs beside its transactions.
//
// Results come back as node-postgres gives them, so statements return only text, int4, boolean, jsonb
// and their arrays (a timestamp as ISO text by to_char, a bigint cast): those read the same both ways.
import crypto from 'node:crypto';
import type { Prisma, PrismaClient } from '@prisma/client';
import type pg from 'pg';

/** A statement: text with $n placeholders and its values, and a name under which PostgreSQL prepares it. */
export interface Statement {
  name: string | undefined;
  text: string;
  values: unknown[];
}

/** Raw text spliced into a statement (column lists kept in one place); never a value. */
export class SqlText {
  constructor(readonly raw: string) {}
}

export const sqlText = (raw: string): SqlText => new SqlText(raw);

/** Names for statement texts: one per text, so each connection prepares each statement once. */
const names = new Map<string, string>();
/** A statement built with varying text (it should not be) stops being named past this many texts. */
const MAX_NAMED = 500;

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `cascade_${crypto.createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}

/** `sql\`SELECT … WHERE id = ${id}\``: values become $1, $2 …; sqlText(…) is spliced as it is. */
export function sql(strings: TemplateStringsArray, ...args: unknown[]): Statement {
  let text = strings[0]!;
  const values: unknown[] = [];
  args.forEach((arg, i) => {
    if (arg instanceof SqlText) text += arg.raw;
    else {
      values.push(arg);
      text += `$${values.length}`;
    }
    text += strings[i + 1]!;
  });
  return { name: nameOf(text), text, values };
}

/** Where statements run: one connection in a transaction, or the pool. */
export interface SqlSession {
  query<Row>(statement: Statement): Promise<Row[]>;
}

export interface SqlRunner extends SqlSession {
  /** BEGIN … COMMIT on one connection; ROLLBACK when fn throws, and the error goes on. */
  transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
}

/** Statements inside a Prisma transaction (the store's other writers, and PGlite). */
export function viaPrisma(tx: PrismaClient | Prisma.TransactionClient): SqlSession {
  return { query: <Row>(s: Statement) => tx.$queryRawUnsafe<Row[]>(s.text, ...s.values) };
}

function prismaRunner(prisma: PrismaClient): SqlRunner {
  return {
    ...viaPrisma(prisma),
    transaction: (fn) => prisma.$transaction((tx) => fn(viaPrisma(tx))),
  };
}

const onClient = (client: pg.PoolClient | pg.Pool): SqlSession => ({
  query: async <Row>(s: Statement) => {
    const config = s.name === undefined ? { text: s.text, values: s.values } : s;
    return (await client.query(config as pg.QueryConfig)).rows as Row[];
  },
});

function poolRunner(pool: pg.Pool): SqlRunner {
  return {
    ...onClient(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(onClient(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        // a connection that cannot even roll back goes back to the pool as broken, which drops it
        await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw err;
      } finally {
        client.release(broken);
      }
    },
  };
}

const runners = new WeakMap<PrismaClient, SqlRunner>();

/** Called by whoever made the client over this pool (platform/database.ts, for PostgreSQL). */
export function runStatementsOnPool(prisma: PrismaClient, pool: pg.Pool): void {
  runners.set(prisma, poolRunner(pool));
}

/** The store's statements for this client: on its PostgreSQL pool, or through Prisma. */
export function sqlFor(prisma: PrismaClient): SqlRunner {
  let runner = runners.get(prisma);
  if (!runner) {
    runner = prismaRunner(prisma);
    runners.set(prisma, runner);
  }
  return runner;
}
