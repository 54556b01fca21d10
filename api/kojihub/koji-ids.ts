// Koji numbers everything (builds, tasks, tags, packages, RPMs, users); Cascade names them. Each
// integer id here is derived from the name (48 bits of a SHA-256), so it is the same in every process
// and after every restart without an id table, fits Python's int and XML-RPC's i8, and is found again
// by hashing the candidates. LocalKoji's task ids are already hex digests: their first 48 bits serve.
import crypto from 'node:crypto';

export type IdKind = 'build' | 'tag' | 'package' | 'rpm' | 'user' | 'repo' | 'target';

const HEX_DIGITS = 12; // 48 bits: exact in a JavaScript number

export const kojiId = (kind: IdKind, name: string): number =>
  parseInt(crypto.createHash('sha256').update(`${kind}\n${name}`).digest('hex').slice(0, HEX_DIGITS), 16);

export const kojiTaskId = (localTaskId: string): number => parseInt(localTaskId.slice(0, HEX_DIGITS), 16);

/** The hex prefix a LocalKoji task id starts with, for a Koji task number. */
export const taskIdPrefix = (taskId: number): string => taskId.toString(16).padStart(HEX_DIGITS, '0');
