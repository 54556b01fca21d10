// "What changed" between two composes of a release, per variant: module streams added, removed,
// upgraded and downgraded (by module version), and RPMs the same by name and arch (by epoch, version,
// release as rpm compares them).
import { compareModuleVersions } from '../modulemd/module-stream';
import { compareEvr, parseNevra } from './rpm-version';

/** What one compose holds, per variant uid: module NSVCs and RPM NEVRAs (binary and source). */
export interface ComposeContent {
  composeId: string;
  variants: Record<string, { modules: string[]; rpms: string[] }>;
}

export interface VersionChange {
  /** name:stream for modules, name.arch for RPMs */
  key: string;
  from: string;
  to: string;
}

export interface ChangeSet {
  added: string[];
  removed: string[];
  upgraded: VersionChange[];
  downgraded: VersionChange[];
}

export interface VariantChanges {
  variant: string;
  /** "added" / "removed" when the whole variant is new or gone */
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  modules: ChangeSet;
  rpms: ChangeSet;
}

export interface ComposeDiff {
  from: string | null;
  to: string;
  variants: VariantChanges[];
}

export interface VariantChangeCounts {
  status: VariantChanges['status'];
  modulesAdded: number;
  modulesRemoved: number;
  modulesUpgraded: number;
  modulesDowngraded: number;
  rpmsAdded: number;
  rpmsRemoved: number;
  rpmsUpgraded: number;
  rpmsDowngraded: number;
}

export interface ComposeDiffSummary {
  from: string | null;
  to: string;
  variants: Record<string, VariantChangeCounts>;
}

/** The changes from `previous` (null for a release's first compose) to `current`. */
export function diffComposes(previous: ComposeContent | null, current: ComposeContent): ComposeDiff {
  const uids = [...new Set([...Object.keys(previous?.variants ?? {}), ...Object.keys(current.variants)])].sort();
  const variants = uids.map((uid): VariantChanges => {
    const before = previous?.variants[uid];
    const after = current.variants[uid];
    const modules = diffKeyed(
      moduleVersions(before?.modules ?? []),
      moduleVersions(after?.modules ?? []),
      compareNsvcVersion,
    );
    const rpms = diffKeyed(rpmVersions(before?.rpms ?? []), rpmVersions(after?.rpms ?? []), compareNevraVersion);
    const changed = [modules, rpms].some(
      (c) => c.added.length + c.removed.length + c.upgraded.length + c.downgraded.length > 0,
    );
    const status = !before ? 'added' : !after ? 'removed' : changed ? 'changed' : 'unchanged';
    return { variant: uid, status, modules, rpms };
  });
  return { from: previous?.composeId ?? null, to: current.composeId, variants };
}

/** Counts only: small enough for any payload. */
export function summarizeComposeDiff(diff: ComposeDiff): ComposeDiffSummary {
  const counts = (v: VariantChanges): VariantChangeCounts => ({
    status: v.status,
    modulesAdded: v.modules.added.length,
    modulesRemoved: v.modules.removed.length,
    modulesUpgraded: v.modules.upgraded.length,
    modulesDowngraded: v.modules.downgraded.length,
    rpmsAdded: v.rpms.added.length,
    rpmsRemoved: v.rpms.removed.length,
    rpmsUpgraded: v.rpms.upgraded.length,
    rpmsDowngraded: v.rpms.downgraded.length,
  });
  return {
    from: diff.from,
    to: diff.to,
    variants: Object.fromEntries(diff.variants.map((v) => [v.variant, counts(v)])),
  };
}

/** key -> the newest full identifier under that key */
type Keyed = Map<string, string>;

function diffKeyed(before: Keyed, after: Keyed, compare: (a: string, b: string) => number): ChangeSet {
  const result: ChangeSet = { added: [], removed: [], upgraded: [], downgraded: [] };
  for (const [key, to] of after) {
    const from = before.get(key);
    if (from === undefined) result.added.push(to);
    else if (compare(from, to) < 0) result.upgraded.push({ key, from, to });
    else if (compare(from, to) > 0) result.downgraded.push({ key, from, to });
  }
  for (const [key, from] of before) if (!after.has(key)) result.removed.push(from);
  result.added.sort();
  result.removed.sort();
  result.upgraded.sort((a, b) => (a.key < b.key ? -1 : 1));
  result.downgraded.sort((a, b) => (a.key < b.key ? -1 : 1));
  return result;
}

function moduleVersions(nsvcs: string[]): Keyed {
  const keyed: Keyed = new Map();
  for (const nsvc of nsvcs) {
    const [name, stream] = nsvc.split(':');
    const key = `${name}:${stream}`;
    const seen = keyed.get(key);
    if (seen === undefined || compareNsvcVersion(seen, nsvc) < 0) keyed.set(key, nsvc);
  }
  return keyed;
}

function compareNsvcVersion(a: string, b: string): number {
  const va = a.split(':')[2] ?? '0';
  const vb = b.split(':')[2] ?? '0';
  return (
    compareModuleVersions(/^\d+$/.test(va) ? va : '0', /^\d+$/.test(vb) ? vb : '0') || (a < b ? -1 : a > b ? 1 : 0)
  );
}

function rpmVersions(nevras: string[]): Keyed {
  const keyed: Keyed = new Map();
  for (const text of nevras) {
    const n = parseNevra(text);
    if (!n) continue;
    const key = `${n.name}.${n.arch}`;
    const seen = keyed.get(key);
    if (seen === undefined || compareNevraVersion(seen, text) < 0) keyed.set(key, text);
  }
  return keyed;
}

function compareNevraVersion(a: string, b: string): number {
  const na = parseNevra(a);
  const nb = parseNevra(b);
  if (!na || !nb) return 0;
  return compareEvr(na, nb);
}
