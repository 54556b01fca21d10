// Documents a module index may carry that Cascade checks but does not model further:
// `modulemd-obsoletes` v1 (end-of-life and replacement of a stream) and `modulemd-translations` v1.
import { z } from 'zod';
import { bool, text, textMap, uint64Text } from './scalar-schemas';

/** libmodulemd's obsoletes timestamps: YYYY-MM-DDTHH:MMZ. */
const obsoletesTimestamp = text.refine(isTimestamp, { error: 'expected a UTC timestamp YYYY-MM-DDTHH:MMZ' });

/** strptime's "%FT%H:%MZ", as libmodulemd reads obsoletes' dates. */
function isTimestamp(value: string): boolean {
  const fields = /^(\d{1,4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2})Z$/.exec(value)?.slice(1).map(Number);
  if (!fields) return false;
  const [, month, day, hour, minute] = fields as [number, number, number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59;
}

const setText = (field: string) => text.refine((value) => value !== '', { error: `${field} is unset` });

export const obsoletesV1DataSchema = z
  .strictObject(
    {
      module: setText('module name'),
      stream: setText('stream'),
      context: text.optional(),
      modified: obsoletesTimestamp,
      reset: bool.optional(),
      message: setText('message'),
      eol_date: obsoletesTimestamp.optional(),
      obsoleted_by: z.strictObject({ module: text, stream: text }).optional(),
    },
    { error: 'the data section did not begin with a mapping' },
  )
  .superRefine((raw, context) => {
    // modulemd_obsoletes_validate: a reset obsoletes nothing, so it has no end date and no successor.
    if (!raw.reset) return;
    for (const field of ['eol_date', 'obsoleted_by'] as const) {
      if (raw[field] === undefined) continue;
      context.addIssue({ code: 'custom', path: [field], message: `obsoletes cannot have both ${field} and reset set` });
    }
  });

export const translationsV1DataSchema = z.strictObject(
  {
    module: setText('module name'),
    stream: setText('stream'),
    modified: uint64Text.refine((value) => value !== '0', { error: 'modified is empty (0)' }),
    translations: textMap(
      z.strictObject({
        summary: text.optional(),
        description: text.optional(),
        profiles: textMap(text).optional(),
      }),
    ).optional(),
  },
  { error: 'the data section did not begin with a mapping' },
);
