// `document: modulemd, version: 1`, read and upgraded to the v2 model the way libmodulemd upgrades it:
// each single-stream dependency becomes a one-element stream list in one dependencies entry.
import { z } from 'zod';
import type { ModuleStreamV2 } from './module-stream';
import { bool, int64, isoDate, rpmNameSet, text, textList, textMap, uint64Text } from './scalar-schemas';
import {
  licenseSchema,
  moduleComponentSchema,
  profileSchema,
  referencesSchema,
  requireSummaryAndDescription,
  xmdSchema,
} from './stream-v2-schema';

const rpmComponentV1Schema = z
  .strictObject({
    rationale: text.optional(),
    repository: text.optional(),
    cache: text.optional(),
    ref: text.optional(),
    buildorder: int64.optional(),
    arches: textList.optional(),
    multilib: textList.optional(),
  })
  .transform((raw) => ({
    ...(raw.rationale !== undefined && { rationale: raw.rationale }),
    ...(raw.repository !== undefined && { repository: raw.repository }),
    ...(raw.cache !== undefined && { cache: raw.cache }),
    ...(raw.ref !== undefined && { ref: raw.ref }),
    ...(raw.buildorder !== undefined && { buildorder: raw.buildorder }),
    buildroot: false,
    srpmBuildroot: false,
    buildafter: [],
    arches: raw.arches ?? [],
    multilib: raw.multilib ?? [],
    buildonly: false,
  }));

const singleStreams = textMap(text).transform((streams) =>
  Object.fromEntries(Object.entries(streams).map(([module, stream]) => [module, [stream]])),
);

export const streamV1DataSchema = z
  .strictObject(
    {
      name: text.optional(),
      stream: text.optional(),
      version: uint64Text.optional(),
      context: text.optional(),
      arch: text.optional(),
      summary: text.optional(),
      description: text.optional(),
      eol: isoDate.optional(),
      servicelevels: textMap(z.strictObject({ eol: isoDate.optional() })).optional(),
      license: licenseSchema.optional(),
      xmd: xmdSchema.optional(),
      dependencies: z
        .strictObject({ buildrequires: singleStreams.optional(), requires: singleStreams.optional() })
        .optional(),
      references: referencesSchema.optional(),
      profiles: textMap(profileSchema).optional(),
      api: rpmNameSet.optional(),
      filter: rpmNameSet.optional(),
      buildopts: z.strictObject({ rpms: z.strictObject({ macros: text.optional() }).optional() }).optional(),
      components: z
        .strictObject({
          rpms: textMap(rpmComponentV1Schema).optional(),
          modules: textMap(moduleComponentSchema).optional(),
        })
        .optional(),
      artifacts: z.strictObject({ rpms: textList.optional() }).optional(),
      // v1 had no static contexts; accepted for symmetry with v2 readers.
      static_context: bool.optional(),
    },
    { error: 'the data section did not begin with a mapping' },
  )
  .superRefine(requireSummaryAndDescription)
  .transform((raw): ModuleStreamV2 => {
    const servicelevels = { ...(raw.eol !== undefined && { rawhide: { eol: raw.eol } }), ...raw.servicelevels };
    const macros = raw.buildopts?.rpms?.macros;
    return {
      ...(raw.name !== undefined && { name: raw.name }),
      ...(raw.stream !== undefined && { stream: raw.stream }),
      ...(raw.version !== undefined && { version: raw.version }),
      ...(raw.context !== undefined && { context: raw.context }),
      ...(raw.arch !== undefined && { arch: raw.arch }),
      summary: raw.summary ?? '',
      description: raw.description ?? '',
      servicelevels,
      license: { module: raw.license?.module ?? [], content: raw.license?.content ?? [] },
      dependencies: raw.dependencies
        ? [{ buildrequires: raw.dependencies.buildrequires ?? {}, requires: raw.dependencies.requires ?? {} }]
        : [],
      references: raw.references ?? {},
      profiles: raw.profiles ?? {},
      api: raw.api?.rpms ?? [],
      filter: raw.filter?.rpms ?? [],
      demodularized: [],
      buildopts: {
        ...(raw.buildopts?.rpms && { rpms: { ...(macros !== undefined && { macros }), whitelist: [] } }),
        arches: [],
      },
      components: { rpms: raw.components?.rpms ?? {}, modules: raw.components?.modules ?? {} },
      artifacts: { rpms: raw.artifacts?.rpms ?? [], rpmMap: {} },
    };
  });
