// Documents a module index may carry that Cascade checks but does not model further:
// `modulemd-obsoletes` v1 (end-of-life and replacement of a stream) and `modulemd-translations` v1.
import { z } from 'zod';
import { bool, text, textMap, uint64Text } from './scalar-schemas';

/** libmodulemd's obsoletes timestamps: YYYY-MM-DDTHH:MMZ. */
const obsoletesTimestamp = text.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/, {
  error: 'expected a UTC timestamp YYYY-MM-DDTHH:MMZ',
});

export const obsoletesV1DataSchema = z.strictObject(
  {
    module: text,
    stream: text,
    context: text.optional(),
    modified: obsoletesTimestamp,
    reset: bool.optional(),
    message: text,
    eol_date: obsoletesTimestamp.optional(),
    obsoleted_by: z.strictObject({ module: text, stream: text }).optional(),
  },
  { error: 'the data section did not begin with a mapping' },
);

export const translationsV1DataSchema = z.strictObject(
  {
    module: text,
    stream: text,
    modified: uint64Text,
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
