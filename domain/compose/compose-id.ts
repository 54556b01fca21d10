// Compose ids as productmd forms them: <short>-<version>-<YYYYMMDD><type suffix>.<respin>, the respin
// counted per release, day and type (the first compose of a day is respin 0).
import { COMPOSE_TYPE_SUFFIX, COMPOSE_TYPES, type ComposeType } from './vocabulary';

export interface ComposeId {
  short: string;
  version: string;
  /** YYYYMMDD */
  date: string;
  type: ComposeType;
  respin: number;
}

export interface ComposeIdError {
  code: 'invalid-compose-id';
  field: 'id' | 'short' | 'version' | 'date' | 'type' | 'respin';
  message: string;
}

export type ComposeIdResult = { ok: true; id: ComposeId } | { ok: false; error: ComposeIdError };

/** productmd's RELEASE_SHORT_RE and RELEASE_VERSION_RE. */
export const RELEASE_SHORT_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const RELEASE_VERSION_PATTERN = /^([^0-9].*|[0-9]+(\.[0-9]+)*)$/;
const DATE_PATTERN = /^\d{8}$/;

/** Checks each part and names the first one that is wrong. */
export function checkComposeId(id: ComposeId): ComposeIdError | undefined {
  const fail = (field: ComposeIdError['field'], message: string): ComposeIdError => ({
    code: 'invalid-compose-id',
    field,
    message,
  });
  if (!RELEASE_SHORT_PATTERN.test(id.short))
    return fail('short', `release short '${id.short}' must be lower-case letters and digits, dash-separated`);
  if (!RELEASE_VERSION_PATTERN.test(id.version) || id.version.includes('-'))
    return fail('version', `release version '${id.version}' must be dotted numbers (or start with a non-digit)`);
  if (!DATE_PATTERN.test(id.date) || !isCalendarDate(id.date))
    return fail('date', `date '${id.date}' is not a YYYYMMDD calendar date`);
  if (!(COMPOSE_TYPES as readonly string[]).includes(id.type))
    return fail('type', `compose type '${id.type}' is not one of ${COMPOSE_TYPES.join(', ')}`);
  if (!Number.isSafeInteger(id.respin) || id.respin < 0)
    return fail('respin', `respin '${id.respin}' must be a whole number from 0`);
  return undefined;
}

export function formatComposeId(id: ComposeId): string {
  const error = checkComposeId(id);
  if (error) throw new Error(error.message);
  return `${id.short}-${id.version}-${id.date}${COMPOSE_TYPE_SUFFIX[id.type]}.${id.respin}`;
}

const ID_PATTERN =
  /^(?<short>[a-z][a-z0-9]*(?:-[a-z0-9]+)*)-(?<version>[^-]+)-(?<date>\d{8})(?<suffix>\.[a-z]+)?\.(?<respin>\d+)$/;

export function parseComposeId(text: string): ComposeIdResult {
  const match = ID_PATTERN.exec(text);
  if (!match?.groups)
    return {
      ok: false,
      error: {
        code: 'invalid-compose-id',
        field: 'id',
        message: `'${text}' is not <short>-<version>-<YYYYMMDD>[.n|.t|.ci].<respin>`,
      },
    };
  const { short, version, date, suffix, respin } = match.groups as Record<string, string>;
  const type = (Object.keys(COMPOSE_TYPE_SUFFIX) as ComposeType[]).find(
    (t) => COMPOSE_TYPE_SUFFIX[t] === (suffix ?? ''),
  );
  if (!type)
    return {
      ok: false,
      error: { code: 'invalid-compose-id', field: 'type', message: `'${text}': unknown type suffix '${suffix}'` },
    };
  const id: ComposeId = { short: short!, version: version!, date: date!, type, respin: Number(respin) };
  const error = checkComposeId(id);
  return error ? { ok: false, error: { ...error, message: `'${text}': ${error.message}` } } : { ok: true, id };
}

/**
 * The id of the next compose of a release, day and type: one more than the highest respin among
 * `existing` (ids of any kind; those of other releases, days or types and unparsable ones are ignored).
 */
export function nextComposeId(base: Omit<ComposeId, 'respin'>, existing: readonly string[]): string {
  let next = 0;
  for (const text of existing) {
    const parsed = parseComposeId(text);
    if (!parsed.ok) continue;
    const { id } = parsed;
    if (id.short !== base.short || id.version !== base.version || id.date !== base.date || id.type !== base.type)
      continue;
    next = Math.max(next, id.respin + 1);
  }
  return formatComposeId({ ...base, respin: next });
}

/** Orders ids of one release oldest first: by date, then respin (type breaks ties for a stable order). */
export function compareComposeIds(a: ComposeId, b: ComposeId): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.respin !== b.respin) return a.respin - b.respin;
  return a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
}

/** YYYYMMDD of a UTC instant given as milliseconds since the epoch. */
export function composeDate(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

function isCalendarDate(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(4, 6));
  const day = Number(text.slice(6, 8));
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
