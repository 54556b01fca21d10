// `document: modulemd-defaults, version: 1`: a module's default stream and default profiles per stream.
import { z } from 'zod';
import type { ModuleDefaults } from './module-stream';
import { text, textList, textMap, uint64Text } from './scalar-schemas';

export const defaultsV1DataSchema = z
  .strictObject(
    {
      module: text,
      modified: uint64Text.optional(),
      stream: text.optional(),
      profiles: textMap(textList).optional(),
      intents: textMap(z.strictObject({ stream: text.optional(), profiles: textMap(textList).optional() })).optional(),
    },
    { error: 'the data section did not begin with a mapping' },
  )
  .transform((raw): ModuleDefaults => ({
    module: raw.module,
    ...(raw.modified !== undefined && { modified: raw.modified }),
    ...(raw.stream !== undefined && { stream: raw.stream }),
    profiles: raw.profiles ?? {},
    intents: Object.fromEntries(
      Object.entries(raw.intents ?? {}).map(([name, intent]) => [
        name,
        { ...(intent.stream !== undefined && { stream: intent.stream }), profiles: intent.profiles ?? {} },
      ]),
    ),
  }));
