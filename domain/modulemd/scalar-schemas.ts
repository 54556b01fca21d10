// zod schemas for modulemd's scalars as libmodulemd reads them: every scalar arrives as its source text
// (see yaml-source.ts) and is checked the way libmodulemd checks it.
import { z } from 'zod';

/** A string field. libmodulemd reads any scalar as its text, so an empty value (`key:`) is the empty string. */
export const text = z.union([z.string(), z.null().transform(() => '')], { error: 'expected a string' });

/** An unsigned 64-bit integer kept as its decimal text, so no digit is lost (module versions). */
export const uint64Text = z
  .string({ error: 'expected an unsigned integer' })
  .regex(/^\+?\d+$/, { error: (issue) => `${String(issue.input)}: the string is not a valid integer` })
  .transform((value) => value.replace(/^\+/, '').replace(/^0+(?=\d)/, ''))
  .refine((value) => BigInt(value) <= 0xffffffffffffffffn, { error: 'the integer does not fit in 64 bits' });

/** A signed integer such as a buildorder; libmodulemd allows int64, Cascade keeps it a safe JS number. */
export const int64 = z
  .string({ error: 'expected an integer' })
  .regex(/^[-+]?\d+$/, { error: (issue) => `${String(issue.input)}: the string is not a valid integer` })
  .transform(Number)
  .refine(Number.isSafeInteger, { error: 'the integer is out of range' });

/** libmodulemd accepts exactly "true" and "false". */
export const bool = z
  .enum(['true', 'false'], { error: (issue) => `boolean value was neither "true" nor "false": ${String(issue.input)}` })
  .transform((value) => value === 'true');

/**
 * A set of strings (libmodulemd's string sets): a list, or a single scalar read as a list of one, as
 * libmodulemd reads `rpms: foo`; a repeated entry counts once.
 */
export const textList = z
  .union([z.array(text), text.transform((value) => [value])], { error: 'expected a list of strings' })
  .transform((values) => (values.length > 1 ? [...new Set(values)] : values));

/** A dependency's streams: a list, or (as libmodulemd tolerates) a single scalar. */
export const streamList = z.union([textList, text.transform((stream) => [stream])], {
  error: 'expected a list of streams',
});

export const textMap = <T extends z.ZodType>(value: T) => z.record(z.string(), value, { error: 'expected a mapping' });

/** `{ rpms: [...] }` blocks: api, filter, demodularized. */
export const rpmNameSet = z.strictObject({ rpms: textList.optional() }, { error: 'expected a mapping' });

/**
 * A date, as service levels' eol: read as libmodulemd reads it (the first three '-'-separated fields as
 * year, month and day, each from its leading digits) and kept as YYYY-MM-DD. libmodulemd 2.14 crashes on a
 * date that is not a real day (g_date_new_dmy fails); Cascade rejects it.
 */
export const isoDate = text.transform((value, context) => {
  const date = calendarDate(value);
  if (date) return date;
  context.addIssue({ code: 'custom', input: value, message: `${value}: expected a date YYYY-MM-DD` });
  return z.NEVER;
});

function calendarDate(value: string): string | undefined {
  const fields = value.split('-');
  if (fields.length < 3) return undefined;
  // g_strsplit(…, 4): a fourth field keeps the rest, so only the first three matter.
  const [year, month, day] = fields.slice(0, 3).map(leadingNumber) as [number, number, number];
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** g_ascii_strtoull's reading of a field's leading digits (0 when there are none). */
function leadingNumber(field: string): number {
  const digits = /^\s*\+?(\d+)/.exec(field);
  return digits ? Number(digits[1]) : 0;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}
