// Which CI run or campaign a ResultsDB group UUID names. A UUID is a hash of its key, so the way back
// is a table of the keys seen so far, filled from the results added since the last look whenever a
// UUID is not in it: keys never change, so nothing in the table goes stale.
import type { PrismaClient } from '@prisma/client';
import { groupUuid, type GroupKind } from '../../domain/resultsdb';
import { groupKeysSince } from '../../store/resultsdb-queries';

export interface GroupKey {
  kind: GroupKind;
  key: string;
}

/**
 * Ids are taken before a transaction commits, so a result can appear below the highest id already
 * seen; each look goes back this far to catch such late rows.
 */
const LATE_ROWS = 10_000n;

export class GroupDirectory {
  private readonly byUuid = new Map<string, GroupKey>();
  private seenUpTo = 0n;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly prisma: PrismaClient) {}

  /** The groups these UUIDs name; a UUID that names none is left out. */
  async resolve(uuids: string[]): Promise<GroupKey[]> {
    const wanted = uuids.map((u) => u.toLowerCase());
    if (wanted.some((u) => !this.byUuid.has(u))) await this.refresh();
    return wanted.flatMap((u) => this.byUuid.get(u) ?? []);
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.readNewKeys().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async readNewKeys(): Promise<void> {
    const from = this.seenUpTo > LATE_ROWS ? this.seenUpTo - LATE_ROWS : 0n;
    const found = await groupKeysSince(this.prisma, from);
    for (const key of found.runKeys) this.byUuid.set(groupUuid('run', key), { kind: 'run', key });
    for (const key of found.campaignIds) this.byUuid.set(groupUuid('campaign', key), { kind: 'campaign', key });
    this.seenUpTo = found.lastId;
  }
}
