// RPM's version comparison (rpmvercmp in rpm's rpmvercmp.c, with ~ sorting before anything and ^
// after the end of a version) and NEVRAs as productmd writes them (name-epoch:version-release.arch).

const isDigit = (c: string) => c >= '0' && c <= '9';
const isAlpha = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isAlnum = (c: string) => isDigit(c) || isAlpha(c);

/** -1, 0 or 1, as rpm.vercmp(a, b). */
export function rpmVersionCompare(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isAlnum(a[i]!) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]!) && b[j] !== '~' && b[j] !== '^') j++;
    const x = a[i];
    const y = b[j];
    if (x === '~' || y === '~') {
      if (x !== '~') return 1;
      if (y !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (x === '^' || y === '^') {
      if (x === undefined) return -1;
      if (y === undefined) return 1;
      if (x !== '^') return 1;
      if (y !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (x === undefined || y === undefined) break;
    const numeric = isDigit(x);
    const inSegment = numeric ? isDigit : isAlpha;
    let ei = i;
    let ej = j;
    while (ei < a.length && inSegment(a[ei]!)) ei++;
    while (ej < b.length && inSegment(b[ej]!)) ej++;
    let left = a.slice(i, ei);
    let right = b.slice(j, ej);
    // a numeric segment is newer than an alphabetic one
    if (right.length === 0) return numeric ? 1 : -1;
    if (numeric) {
      left = left.replace(/^0+/, '');
      right = right.replace(/^0+/, '');
      if (left.length !== right.length) return left.length > right.length ? 1 : -1;
    }
    if (left !== right) return left < right ? -1 : 1;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i < a.length ? 1 : -1;
}

export interface Evr {
  epoch: string;
  version: string;
  release: string;
}

/** Epoch numerically (absent is 0), then version, then release, as rpm compares packages. */
export function compareEvr(a: Evr, b: Evr): number {
  const ea = BigInt(a.epoch || '0');
  const eb = BigInt(b.epoch || '0');
  if (ea !== eb) return ea < eb ? -1 : 1;
  return rpmVersionCompare(a.version, b.version) || rpmVersionCompare(a.release, b.release);
}

export interface Nevra extends Evr {
  name: string;
  arch: string;
}

/** name-[epoch:]version-release.arch; the epoch defaults to 0. */
export function parseNevra(text: string): Nevra | undefined {
  const match = /^(?<name>.+)-(?:(?<epoch>\d+):)?(?<version>[^-:]+)-(?<release>[^-]+)\.(?<arch>[^.]+)$/.exec(text);
  if (!match?.groups) return undefined;
  const g = match.groups as Record<string, string | undefined>;
  return { name: g.name!, epoch: g.epoch ?? '0', version: g.version!, release: g.release!, arch: g.arch! };
}

export function formatNevra(n: Nevra): string {
  return `${n.name}-${n.epoch || '0'}:${n.version}-${n.release}.${n.arch}`;
}

export function formatEvr(e: Evr): string {
  return `${e.epoch && e.epoch !== '0' ? `${e.epoch}:` : ''}${e.version}-${e.release}`;
}
