// The version of a module build as MBS 3.9 gives it: the module commit's time in UTC as YYYYMMDDHHMMSS (the SCM
// version MBS reads from the module's git commit), prefixed with the version of the buildrequired platform stream
// (get_prefixed_version in module_build_service/web/submit.py, using ModuleBuild.get_stream_version with
// right_pad=False), so that builds for a newer platform sort after builds for an older one.

/** modulemd versions are unsigned 64-bit integers (MBS compares against GLib.MAXUINT64). */
const MAX_UINT64 = 2n ** 64n - 1n;

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** YYYYMMDDHHMMSS of the instant in UTC: the unprefixed version. Throws RangeError for an invalid Date. */
export function formatCommitTimeVersion(commitTime: Date): string {
  if (Number.isNaN(commitTime.getTime())) throw new RangeError('commit time is not a valid date');
  return [
    String(commitTime.getUTCFullYear()).padStart(4, '0'),
    twoDigits(commitTime.getUTCMonth() + 1),
    twoDigits(commitTime.getUTCDate()),
    twoDigits(commitTime.getUTCHours()),
    twoDigits(commitTime.getUTCMinutes()),
    twoDigits(commitTime.getUTCSeconds()),
  ].join('');
}

/**
 * The version prefix of a platform stream, or undefined when the stream has no digits: "f29" -> "29",
 * "f27.0.1" -> "270001", "el8.2.0" -> "80200", "fl7.0.1-beta" -> "70001". As MBS: the digits and dots from the
 * first digit up to the first other character, each dotted part padded to two digits, read as a float (so
 * leading zeros go) and floored.
 */
export function platformVersionPrefix(platformStream: string): string | undefined {
  const match = /[0-9][0-9.]*/.exec(platformStream);
  if (!match) return undefined;
  const digits = match[0]
    .replace(/\.+$/, '')
    .split('.')
    .map((part) => part.padStart(2, '0'))
    .join('');
  // Through a double exactly as Python's int(math.floor(float(digits))) is, even where a double rounds.
  return BigInt(Math.floor(Number(digits))).toString();
}

/**
 * The version MBS gives a build of a module commit made at commitTime, for the given buildrequired platform
 * stream: "<prefix><YYYYMMDDHHMMSS>", e.g. f29 and 2018-04-05T12:32:56Z -> "2920180405123256". Without a
 * platform stream, a stream without digits, or a prefix that would overflow 64 bits, MBS keeps the bare time.
 * Decimal text, like ModuleStreamV2.version: prefixed versions exceed Number.MAX_SAFE_INTEGER.
 */
export function computeModuleVersion(commitTime: Date, platformStream?: string): string {
  const version = formatCommitTimeVersion(commitTime);
  const prefix = platformStream === undefined ? undefined : platformVersionPrefix(platformStream);
  if (prefix === undefined) return version;
  const prefixed = BigInt(`${prefix}${version}`);
  return prefixed > MAX_UINT64 ? version : prefixed.toString();
}
