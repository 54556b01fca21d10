// zod schemas for modulemd's scalars as libmodulemd reads them: every scalar arrives as its source text
// (see yaml-source.ts) and is checked the way libmodulemd checks it.
import { z } from 'zod';

/** A string field; YAML's `key:` with no value is not a string. */
export const text = z.string({ error: 'expected a string' });

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

export const textList = z.array(text, { error: 'expected a list of strings' });

/** A dependency's streams: a list, or (as libmodulemd tolerates) a single scalar. */
export const streamList = z.union([textList, text.transform((stream) => [stream])], {
  error: 'expected a list of streams',
});

export const textMap = <T extends z.ZodType>(value: T) => z.record(z.string(), value, { error: 'expected a mapping' });

/** `{ rpms: [...] }` blocks: api, filter, demodularized. */
export const rpmNameSet = z.strictObject({ rpms: textList.optional() }, { error: 'expected a mapping' });

/** An ISO 8601 date, as service levels' eol. */
export const isoDate = text.regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD' });
