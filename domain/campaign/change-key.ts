// What makes two triggers one campaign: the change key (every named repository's head on the branch,
// and the relation, since it changes what is rebuilt) and the campaign id derived from it. The API
// (a person's request) and the push trigger (a push to a supported branch) both call these, so a
// push and a request naming the same repository at the same head meet one campaign.
import type { RelationFilter } from '../dependencies';
import { sha256Hex } from '../module-build';

export interface ChangedRepository {
  namespace: 'rpms' | 'modules';
  name: string;
  /** the branch head; undefined when dist-git does not know the repository */
  head: string | undefined;
}

/** A repository dist-git does not know makes the key unique to the trigger (its time). */
export function changeKeyOf(
  branch: string,
  repositories: readonly ChangedRepository[],
  relation: RelationFilter,
  triggeredAt: string,
): string {
  const parts = repositories.map(
    (repo) => `${repo.namespace}/${repo.name}@${branch}=${repo.head ?? `untracked:${triggeredAt}`}`,
  );
  return [...parts.sort(), `relation=${relation}`].join(' ');
}

/** 60 bits of the key's SHA-256 in lowercase base32: short enough to type. */
export function campaignIdFor(changeKey: string): string {
  const first64Bits = BigInt(`0x${sha256Hex(changeKey).slice(0, 16)}`);
  return first64Bits.toString(32).slice(0, 12).padStart(12, '0');
}
