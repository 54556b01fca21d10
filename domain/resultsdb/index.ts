/**
 * domain/resultsdb/: what ResultsDB calls a group, for Cascade's CI results: one per CI run (its run
 * key) and one per campaign, each with a UUID derived from its key (RFC 4122 version 5), so the API
 * that serves ResultsDB's shape and the sink that writes to an external ResultsDB name the same group
 * the same way, in every process and every release. Pure; imported by api/resultsdb/ and activities/ci/.
 */
import { sha1Hex, utf8Bytes } from '../module-build';

export type GroupKind = 'run' | 'campaign';

/** Cascade's namespace for its group UUIDs. */
const GROUP_NAMESPACE = 'f0c1a6a2-3b7e-5c55-9d0e-6361736361de';

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((b) => Number.parseInt(b, 16)));
}

function uuidV5(namespace: string, name: string): string {
  const nameBytes = utf8Bytes(name);
  const input = new Uint8Array(16 + nameBytes.length);
  input.set(hexBytes(namespace.replaceAll('-', '')), 0);
  input.set(nameBytes, 16);
  const bytes = hexBytes(sha1Hex(input).slice(0, 32));
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A group's UUID: the same for the same CI run or campaign everywhere. */
export function groupUuid(kind: GroupKind, key: string): string {
  return uuidV5(GROUP_NAMESPACE, `cascade/${kind}/${key}`);
}

export function groupDescription(kind: GroupKind, key: string): string {
  return kind === 'run' ? `CI run ${key}` : `campaign ${key}`;
}

/** The groups a result belongs to: its CI run's, then its campaign's when it has one. */
export function resultGroupUuids(runKey: string | null, campaignId: string | null): string[] {
  const groups: string[] = [];
  if (runKey) groups.push(groupUuid('run', runKey));
  if (campaignId) groups.push(groupUuid('campaign', campaignId));
  return groups;
}
