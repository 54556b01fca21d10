// The shape of a `document: modulemd, version: 2` data block, checked over the text tree (every scalar is
// its source text) and turned into the ModuleStreamV2 model. Unknown keys are errors, as in libmodulemd's
// strict reading, which modulemd-validator uses.
import { z } from 'zod';
import type { ModuleComponent, ModuleStreamV2, Profile, RpmComponent, RpmMapEntry } from './module-stream';
import { bool, int64, isoDate, rpmNameSet, streamList, text, textList, textMap, uint64Text } from './scalar-schemas';

export const rpmComponentSchema = z
  .strictObject(
    {
      name: text.optional(),
      rationale: text.optional(),
      repository: text.optional(),
      cache: text.optional(),
      ref: text.optional(),
      buildroot: bool.optional(),
      'srpm-buildroot': bool.optional(),
      buildorder: int64.optional(),
      buildafter: textList.optional(),
      arches: textList.optional(),
      multilib: textList.optional(),
      buildonly: bool.optional(),
    },
    { error: 'expected a mapping' },
  )
  .transform((raw): RpmComponent => ({
    ...(raw.name !== undefined && { name: raw.name }),
    ...(raw.rationale !== undefined && { rationale: raw.rationale }),
    ...(raw.repository !== undefined && { repository: raw.repository }),
    ...(raw.cache !== undefined && { cache: raw.cache }),
    ...(raw.ref !== undefined && { ref: raw.ref }),
    buildroot: raw.buildroot ?? false,
    srpmBuildroot: raw['srpm-buildroot'] ?? false,
    ...(raw.buildorder !== undefined && { buildorder: raw.buildorder }),
    buildafter: raw.buildafter ?? [],
    arches: raw.arches ?? [],
    multilib: raw.multilib ?? [],
    buildonly: raw.buildonly ?? false,
  }));

export const moduleComponentSchema = z
  .strictObject(
    { rationale: text.optional(), repository: text.optional(), ref: text.optional(), buildorder: int64.optional() },
    { error: 'expected a mapping' },
  )
  .transform((raw): ModuleComponent => raw);

export const profileSchema = z
  .strictObject({ description: text.optional(), rpms: textList.optional(), default: bool.optional() })
  .transform((raw): Profile => ({
    ...(raw.description !== undefined && { description: raw.description }),
    rpms: raw.rpms ?? [],
    ...(raw.default !== undefined && { default: raw.default }),
  }));

export const referencesSchema = z.strictObject({
  community: text.optional(),
  documentation: text.optional(),
  tracker: text.optional(),
});

export const buildoptsSchema = z
  .strictObject({
    rpms: z.strictObject({ macros: text.optional(), whitelist: textList.optional() }).optional(),
    arches: textList.optional(),
  })
  .transform((raw): ModuleStreamV2['buildopts'] => ({
    ...(raw.rpms && {
      rpms: { ...(raw.rpms.macros !== undefined && { macros: raw.rpms.macros }), whitelist: raw.rpms.whitelist ?? [] },
    }),
    arches: raw.arches ?? [],
  }));

export const componentsSchema = z
  .strictObject({ rpms: textMap(rpmComponentSchema).optional(), modules: textMap(moduleComponentSchema).optional() })
  .transform((raw): ModuleStreamV2['components'] => ({ rpms: raw.rpms ?? {}, modules: raw.modules ?? {} }));

const rpmMapEntrySchema = z
  .strictObject({ name: text, epoch: uint64Text, version: text, release: text, arch: text, nevra: text })
  .superRefine((raw, context) => {
    // libmodulemd rebuilds the NEVRA from the entry's parts and refuses an entry whose `nevra` differs.
    const built = `${raw.name}-${raw.epoch}:${raw.version}-${raw.release}.${raw.arch}`;
    if (raw.nevra === built) return;
    context.addIssue({ code: 'custom', path: ['nevra'], message: `'${raw.nevra}' differs from its parts (${built})` });
  })
  .transform((raw): RpmMapEntry => raw);

/** xmd is free-form, but libmodulemd reads only a mapping or a scalar there. */
export const xmdSchema = z.unknown().refine((value) => !Array.isArray(value), { error: 'expected a mapping' });

const dependenciesSchema = z
  .strictObject({ buildrequires: textMap(streamList).optional(), requires: textMap(streamList).optional() })
  .transform((raw) => ({ buildrequires: raw.buildrequires ?? {}, requires: raw.requires ?? {} }));

/** libmodulemd requires a summary and a description to be there; an empty one is there. */
export function requireSummaryAndDescription(
  raw: { summary?: string; description?: string },
  context: z.core.$RefinementCtx,
): void {
  for (const field of ['summary', 'description'] as const) {
    if (raw[field] === undefined) context.addIssue({ code: 'custom', path: [field], message: `${field} is missing` });
  }
}

export const licenseSchema = z.strictObject({ module: textList.optional(), content: textList.optional() });

export const streamV2DataSchema = z
  .strictObject(
    {
      name: text.optional(),
      stream: text.optional(),
      version: uint64Text.optional(),
      context: text.optional(),
      static_context: bool.optional(),
      arch: text.optional(),
      summary: text.optional(),
      description: text.optional(),
      servicelevels: textMap(z.strictObject({ eol: isoDate.optional() })).optional(),
      license: licenseSchema.optional(),
      xmd: xmdSchema.optional(),
      dependencies: z.array(dependenciesSchema, { error: 'expected a list' }).optional(),
      references: referencesSchema.optional(),
      profiles: textMap(profileSchema).optional(),
      api: rpmNameSet.optional(),
      filter: rpmNameSet.optional(),
      demodularized: rpmNameSet.optional(),
      buildopts: buildoptsSchema.optional(),
      components: componentsSchema.optional(),
      artifacts: z
        .strictObject({ rpms: textList.optional(), 'rpm-map': textMap(textMap(rpmMapEntrySchema)).optional() })
        .optional(),
    },
    { error: 'the data section did not begin with a mapping' },
  )
  .superRefine(requireSummaryAndDescription)
  .transform((raw): ModuleStreamV2 => ({
    ...(raw.name !== undefined && { name: raw.name }),
    ...(raw.stream !== undefined && { stream: raw.stream }),
    ...(raw.version !== undefined && { version: raw.version }),
    ...(raw.context !== undefined && { context: raw.context }),
    ...(raw.static_context !== undefined && { staticContext: raw.static_context }),
    ...(raw.arch !== undefined && { arch: raw.arch }),
    summary: raw.summary ?? '',
    description: raw.description ?? '',
    servicelevels: raw.servicelevels ?? {},
    license: { module: raw.license?.module ?? [], content: raw.license?.content ?? [] },
    dependencies: raw.dependencies ?? [],
    references: raw.references ?? {},
    profiles: raw.profiles ?? {},
    api: raw.api?.rpms ?? [],
    filter: raw.filter?.rpms ?? [],
    demodularized: raw.demodularized?.rpms ?? [],
    buildopts: raw.buildopts ?? { arches: [] },
    components: raw.components ?? { rpms: {}, modules: {} },
    artifacts: { rpms: raw.artifacts?.rpms ?? [], rpmMap: raw.artifacts?.['rpm-map'] ?? {} },
  }));
