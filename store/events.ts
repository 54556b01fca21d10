// The outbox: events written by the store's writers in the same transaction as the state change they
// announce, read back as the API's feed and stream and by the AMQP publisher.
//
// Why the advisory lock: ids come from a sequence when a row is inserted, not when it commits, so
// without it a reader could see id 11 before id 10 commits and, resuming after 11, miss 10 for ever.
// appendEvents takes a transaction-level lock just before inserting and only touches this table
// afterwards, so ids become visible in increasing order and no writer holding it waits on another's
// row locks (no deadlock). Writers call it last in their transaction.
import crypto from 'node:crypto';
import type { Prisma, PrismaClient } from '@prisma/client';
import type { OutboxMessage } from '../domain/events';
import { utc } from './bulk-inserts';
import { sql, type SqlSession } from './sql';

// Any constant: the key of the outbox's transaction-level advisory lock.
const OUTBOX_LOCK_KEY = 72_650_012;

/** What every event's key is hashed with: `<prefix><naturalKey>` or `<prefix><objectKey>#<seq>`. */
const EVENT_KEY_PREFIX = 'cascade-event:';

/** An RFC 4122 name-based (version 5) UUID of the change's natural key: stable across retries. */
export function messageIdFor(naturalKey: string): string {
  return nameBasedUuid('sha1', 5, `${EVENT_KEY_PREFIX}${naturalKey}`);
}

/** RFC 4122 name-based UUID: the name's hash with its version and variant bits set. */
function nameBasedUuid(algorithm: 'md5' | 'sha1', version: 3 | 5, name: string): string {
  const hash = crypto.createHash(algorithm).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | (version << 4);
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface EventDraft extends OutboxMessage {
  /**
   * The change's own natural key when it has one (a CI result's key); otherwise the event is the
   * object's next one, keyed `<objectKey>#<seq>`: the caller writes it only when the state really
   * changed, so a retry that changes nothing writes nothing and a rolled-back attempt reuses the seq.
   */
  naturalKey?: string;
}

/**
 * Inserts the events (duplicates of an existing messageId are skipped). Call it last in the transaction.
 * Two raw statements: the lock, then the rows. The insert numbers an object's events itself, from the
 * object's count in EventCount (kept by a trigger on Event; read in the same statement, whose snapshot
 * is taken after the lock, so it counts every event committed before; counting the object's events
 * instead grew with a campaign, whose module events all share its key), and names each by a version-3 (MD5, name-based) UUID of its key
 * computed there; a natural key's id is computed here, where the key is known (version 5, as ever).
 * A campaign module's events were a third of its store statements.
 */
export async function appendEvents(session: SqlSession, drafts: readonly EventDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  await session.query(sql`SELECT 1 FROM (SELECT pg_advisory_xact_lock(${OUTBOX_LOCK_KEY}::bigint)) AS locked`);
  const rows = { messageId: [] as (string | null)[], topic: [] as string[], objectKey: [] as string[] };
  const bodies: string[] = [];
  const headers: string[] = [];
  for (const d of drafts) {
    rows.messageId.push(d.naturalKey === undefined ? null : messageIdFor(d.naturalKey));
    rows.topic.push(d.topic);
    rows.objectKey.push(d.objectKey);
    bodies.push(JSON.stringify(d.body));
    headers.push(
      JSON.stringify({ fedora_messaging_schema: 'base.message', fedora_messaging_severity: d.severity, priority: 0 }),
    );
  }
  const at = utc(new Date());
  await session.query(sql`
    WITH drafts AS (
      SELECT * FROM unnest(${rows.messageId}::text[], ${rows.topic}::text[], ${rows.objectKey}::text[], ${bodies}::text[],
                           ${headers}::text[]) WITH ORDINALITY AS d(m, t, o, b, h, i)
    ), counts AS (
      SELECT c."objectKey" AS o, c.events AS n FROM "EventCount" c
      WHERE c."objectKey" IN (SELECT o FROM drafts WHERE m IS NULL)
    ), keyed AS (
      SELECT d.*, md5(${EVENT_KEY_PREFIX}::text || d.o || '#' ||
               (coalesce(c.n, 0) + row_number() OVER (PARTITION BY d.o, d.m IS NULL ORDER BY d.i) - 1)) AS x
      FROM drafts d LEFT JOIN counts c ON c.o = d.o
    )
    INSERT INTO "Event" ("messageId", topic, "objectKey", body, headers, "createdAt")
    SELECT coalesce(m, substr(x, 1, 8) || '-' || substr(x, 9, 4) || '-3' || substr(x, 14, 3) || '-' ||
                       substr('89ab', (('x' || substr(x, 17, 1))::bit(4)::int & 3) + 1, 1) || substr(x, 18, 3) || '-' ||
                       substr(x, 21, 12)),
           t, o, b::jsonb, h::jsonb, ${at}::timestamp(3)
    FROM keyed
    ORDER BY i
    ON CONFLICT DO NOTHING`);
}

/** The version-3 UUID the outbox gives an object's numbered event (the SQL above, in JS, for tests). */
export function sequencedMessageId(objectKey: string, seq: number): string {
  return nameBasedUuid('md5', 3, `${EVENT_KEY_PREFIX}${objectKey}#${seq}`);
}

const feedColumns = { id: true, messageId: true, topic: true, objectKey: true, body: true, createdAt: true } as const;
type FeedRow = Prisma.EventGetPayload<{ select: typeof feedColumns }>;

export interface FeedItem {
  id: number;
  messageId: string;
  topic: string;
  objectKey: string;
  body: unknown;
  createdAt: string;
}

const feedItem = (r: FeedRow): FeedItem => ({
  id: Number(r.id),
  messageId: r.messageId,
  topic: r.topic,
  objectKey: r.objectKey,
  body: r.body,
  createdAt: r.createdAt.toISOString(),
});

export interface FeedQuery {
  after: number;
  limit: number;
  /** a topic prefix, e.g. `mbs.` or `pungi.compose.phase` */
  topic?: string;
  object?: string;
}

/** Events after the cursor in id order; `next` is the last id when the page is full (more may follow). */
export async function readEventFeed(
  prisma: PrismaClient,
  q: FeedQuery,
): Promise<{ items: FeedItem[]; next: number | null }> {
  const rows = await prisma.event.findMany({
    where: {
      id: { gt: BigInt(q.after) },
      ...(q.topic ? { topic: { startsWith: q.topic } } : {}),
      ...(q.object ? { objectKey: q.object } : {}),
    },
    orderBy: { id: 'asc' },
    take: q.limit,
    select: feedColumns,
  });
  const items = rows.map(feedItem);
  return { items, next: items.length === q.limit ? items.at(-1)!.id : null };
}

/** The newest event's id (0 when there is none): where a live stream without a cursor starts. */
export async function latestEventId(prisma: PrismaClient): Promise<number> {
  const row = await prisma.event.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
  return row ? Number(row.id) : 0;
}

export interface UndeliveredEvent {
  id: bigint;
  messageId: string;
  topic: string;
  body: unknown;
  headers: Record<string, unknown>;
}

/** Events the AMQP publisher has not had confirmed yet, oldest first. */
export async function readUndeliveredEvents(prisma: PrismaClient, limit: number): Promise<UndeliveredEvent[]> {
  const rows = await prisma.event.findMany({
    where: { deliveredAt: null },
    orderBy: { id: 'asc' },
    take: limit,
    select: { id: true, messageId: true, topic: true, body: true, headers: true },
  });
  return rows.map((r) => ({ ...r, headers: (r.headers ?? {}) as Record<string, unknown> }));
}

export async function markEventsDelivered(prisma: PrismaClient, ids: readonly bigint[]): Promise<void> {
  if (ids.length === 0) return;
  await prisma.event.updateMany({
    where: { id: { in: [...ids] }, deliveredAt: null },
    data: { deliveredAt: new Date() },
  });
}
