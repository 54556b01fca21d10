// `document: modulemd-packager, version: 3`: what a packager writes in dist-git. Each build configuration
// becomes one module stream v2 with a static context, as libmodulemd's
// modulemd_packager_v3_convert_to_index does; profiles marked `default` become module defaults.
import { z } from 'zod';
import type { ModuleDefaults, ModuleStreamV2 } from './module-stream';
import { bool, rpmNameSet, text, textList, textMap } from './scalar-schemas';
import { buildoptsSchema, componentsSchema, profileSchema, referencesSchema, xmdSchema } from './stream-v2-schema';

const MAX_CONFIGURATION_CONTEXT_LENGTH = 10;

/** A configuration depends on exactly one stream of each module. */
const singleStreamList = z.union(
  [
    z.array(text).length(1, { error: 'a build configuration must specify a single stream per dependency' }),
    text.transform((stream) => [stream]),
  ],
  { error: 'expected a one-element list of streams' },
);

const configurationSchema = z.strictObject({
  context: text
    .pipe(
      z
        .string()
        .min(1, { error: 'empty context in build configuration' })
        .max(MAX_CONFIGURATION_CONTEXT_LENGTH, {
          error: `build configuration context exceeds maximum characters (${MAX_CONFIGURATION_CONTEXT_LENGTH})`,
        })
        .regex(/^[a-zA-Z0-9]+$/, { error: 'non-alphanumeric character in build configuration context' }),
    )
    .optional(),
  platform: text.optional(),
  buildrequires: textMap(singleStreamList).optional(),
  requires: textMap(singleStreamList).optional(),
  buildopts: buildoptsSchema.optional(),
});

export const packagerV3DataSchema = z
  .strictObject(
    {
      name: text.optional(),
      stream: text.optional(),
      summary: text.optional(),
      description: text.optional(),
      license: textList.optional(),
      xmd: xmdSchema.optional(),
      configurations: z.array(configurationSchema, { error: 'expected a list of build configurations' }).optional(),
      references: referencesSchema.optional(),
      profiles: textMap(profileSchema).optional(),
      api: rpmNameSet.optional(),
      filter: rpmNameSet.optional(),
      demodularized: rpmNameSet.optional(),
      components: componentsSchema.optional(),
      // Accepted by libmodulemd in packager v3 for compatibility; carries no meaning for the conversion.
      static_context: bool.optional(),
    },
    { error: 'the data section did not begin with a mapping' },
  )
  .superRefine((raw, context) => {
    const seen = new Set<string>();
    for (const [index, configuration] of (raw.configurations ?? []).entries()) {
      const path = ['configurations', index];
      if (configuration.context === undefined) {
        context.addIssue({
          code: 'custom',
          path: [...path, 'context'],
          message: 'empty context in build configuration',
        });
      } else if (seen.has(configuration.context)) {
        context.addIssue({
          code: 'custom',
          path: [...path, 'context'],
          message: `duplicate context: ${configuration.context}`,
        });
      } else {
        seen.add(configuration.context);
      }
      if (configuration.platform === undefined) {
        context.addIssue({
          code: 'custom',
          path: [...path, 'platform'],
          message: 'unset platform in build configuration',
        });
      }
    }
  });

export type PackagerV3Data = z.output<typeof packagerV3DataSchema>;

export interface PackagerV3Conversion {
  streams: ModuleStreamV2[];
  defaults: ModuleDefaults[];
}

export function convertPackagerV3(raw: PackagerV3Data): PackagerV3Conversion {
  const streams = (raw.configurations ?? []).map((configuration): ModuleStreamV2 => {
    const platform = configuration.platform ?? '';
    return {
      ...(raw.name !== undefined && { name: raw.name }),
      ...(raw.stream !== undefined && { stream: raw.stream }),
      ...(configuration.context !== undefined && { context: configuration.context }),
      staticContext: true,
      summary: raw.summary ?? '',
      description: raw.description ?? '',
      servicelevels: {},
      // The packager format's documented default licence.
      license: { module: raw.license && raw.license.length > 0 ? raw.license : ['MIT'], content: [] },
      dependencies: [
        {
          buildrequires: { ...configuration.buildrequires, platform: [platform] },
          requires: { ...configuration.requires, platform: [platform] },
        },
      ],
      references: raw.references ?? {},
      profiles: Object.fromEntries(
        Object.entries(raw.profiles ?? {}).map(([name, { default: _isDefault, ...profile }]) => [name, profile]),
      ),
      api: raw.api?.rpms ?? [],
      filter: raw.filter?.rpms ?? [],
      demodularized: raw.demodularized?.rpms ?? [],
      buildopts: configuration.buildopts ?? { arches: [] },
      components: raw.components ?? { rpms: {}, modules: {} },
      artifacts: { rpms: [], rpmMap: {} },
    };
  });
  return { streams, defaults: defaultsFromProfiles(raw) };
}

function defaultsFromProfiles(raw: PackagerV3Data): ModuleDefaults[] {
  const defaultProfiles = Object.entries(raw.profiles ?? {})
    .filter(([, profile]) => profile.default === true)
    .map(([name]) => name);
  if (defaultProfiles.length === 0 || raw.name === undefined || raw.stream === undefined) return [];
  return [{ module: raw.name, profiles: { [raw.stream]: defaultProfiles }, intents: {} }];
}
