// Where the metadata service stands in the change feed. Feed ids come from a sequence, so a
// transaction still in flight can commit an id below one already read (three import batches run
// at once): the ids skipped over are kept as holes and asked for again until they appear, or
// until they are old enough to be a rolled-back transaction's, which never appear.
const HOLE_LIFETIME_MS = 10 * 60 * 1000;
const MAX_HOLES = 10_000;

export class ChangeCursor {
  private readonly holes = new Map<bigint, number>();

  constructor(
    private high: bigint,
    /** Ids the snapshot saw near its top: the others below `high` are holes. */
    seen: readonly bigint[] = [],
    windowSize = 0,
    now = Date.now(),
  ) {
    const present = new Set(seen);
    const from = high - BigInt(windowSize) + 1n;
    for (let id = from > 1n ? from : 1n; id <= high; id += 1n) if (!present.has(id)) this.holes.set(id, now);
  }

  get position(): bigint {
    return this.high;
  }

  /** Hole ids still worth asking for. */
  pending(now = Date.now()): bigint[] {
    for (const [id, since] of this.holes) if (now - since > HOLE_LIFETIME_MS) this.holes.delete(id);
    return [...this.holes.keys()];
  }

  /** Records the ids of a feed read (ascending); ids skipped over become holes. */
  advance(ids: readonly bigint[], now = Date.now()): void {
    for (const id of ids) {
      if (this.holes.delete(id) || id <= this.high) continue;
      for (let missing = this.high + 1n; missing < id; missing += 1n) this.holes.set(missing, now);
      this.high = id;
    }
    if (this.holes.size <= MAX_HOLES) return;
    for (const id of this.holes.keys()) {
      this.holes.delete(id);
      if (this.holes.size <= MAX_HOLES) return;
    }
  }
}
