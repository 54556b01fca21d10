// Times as a person reads them at a glance ("2 h ago"), from a `now` the caller passes in.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "2 h ago", "3 d ago"; a time after `now` (clock skew) reads "just now". */
export function relativeTime(at: string | Date, now: Date): string {
  const ms = now.getTime() - new Date(at).getTime();
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h ago`;
  return `${Math.floor(ms / DAY)} d ago`;
}

/** The 7 characters of a commit hash people quote. */
export const shortHash = (hash: string): string => hash.slice(0, 7);
