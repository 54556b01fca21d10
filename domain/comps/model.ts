// The comps and variants vocabulary as zod schemas: what a release's groups, categories, environments,
// langpacks and variants are. Parsers (XML, JSON bodies) validate through these, so every error names
// the field it is about.
import { z } from 'zod';

// libcomps takes any text as an id and keeps it as written (its sample comps has 'cat 1' and ' option1 ');
// Cascade refuses only what a URL path segment or a line cannot hold.
const COMPS_ID = /^(?=.*\S)[^\n\r/]{1,200}$/;
const LANG = /^[A-Za-z][A-Za-z0-9_@.-]{0,31}$/;
const PACKAGE_NAME = /^[A-Za-z0-9_+][A-Za-z0-9._+-]{0,254}$/;
const NAME_STREAM = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;

export const compsId = z.string().regex(COMPS_ID, 'must be a comps id: 1 to 200 characters on one line, no slash');
export const packageName = z.string().regex(PACKAGE_NAME, 'must be a package name');
const translations = z.record(z.string().regex(LANG, 'must be a language code such as pt_BR'), z.string());
const text = z.string().max(10_000);
/** Pungi's extension: the architectures an element is for, comma or space separated. */
const arch = z
  .string()
  .regex(/^[A-Za-z0-9_]+([ ,]+[A-Za-z0-9_]+)*$/, 'must be architectures separated by commas or spaces')
  .optional();

export const PACKAGE_TYPES = ['mandatory', 'default', 'optional', 'conditional'] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

export const PackageReq = z
  .object({
    name: packageName,
    // libcomps reads a packagereq without a type as mandatory
    type: z.enum(PACKAGE_TYPES).default('mandatory'),
    requires: packageName.optional(),
    basearchonly: z.boolean().optional(),
    arch,
  })
  .strict()
  .refine((p) => (p.type === 'conditional') === (p.requires !== undefined), {
    message: 'a conditional package names what it requires (requires), and only a conditional one does',
    path: ['requires'],
  });
export type PackageReq = z.infer<typeof PackageReq>;

const translated = {
  name: text.min(1, 'must not be empty'),
  nameByLang: translations.default({}),
  description: text.optional(),
  descriptionByLang: translations.default({}),
  displayOrder: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  arch,
};

export const GroupRef = z.object({ id: compsId, default: z.boolean().optional() }).strict();
export type GroupRef = z.infer<typeof GroupRef>;

export const CompsGroup = z
  .object({
    id: compsId,
    ...translated,
    default: z.boolean().default(false),
    uservisible: z.boolean().default(true),
    biarchonly: z.boolean().default(false),
    langonly: z.string().regex(LANG, 'must be a language code such as pt_BR').optional(),
    packages: z.array(PackageReq).max(20_000).default([]),
  })
  .strict();
export type CompsGroup = z.infer<typeof CompsGroup>;

export const CompsCategory = z
  .object({ id: compsId, ...translated, groups: z.array(GroupRef).max(5_000).default([]) })
  .strict();
export type CompsCategory = z.infer<typeof CompsCategory>;

export const CompsEnvironment = z
  .object({
    id: compsId,
    ...translated,
    groups: z.array(GroupRef).max(5_000).default([]),
    options: z.array(GroupRef).max(5_000).default([]),
  })
  .strict();
export type CompsEnvironment = z.infer<typeof CompsEnvironment>;

export const Langpack = z
  .object({
    name: packageName,
    install: z.string().regex(/^[A-Za-z0-9._+%-]{1,255}$/, 'must be a package pattern with %s'),
  })
  .strict()
  .refine((l) => l.install.includes('%s'), { message: 'must contain %s (the language)', path: ['install'] });
export type Langpack = z.infer<typeof Langpack>;

export const BlacklistEntry = z.object({ name: packageName, arch }).strict();
export const WhiteoutEntry = z.object({ requires: packageName, package: packageName }).strict();

function uniqueIds<T>(key: (item: T) => string, what: string) {
  return (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const id = key(item);
      if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `${what} '${id}' appears twice`, path: [index] });
      seen.add(id);
    });
  };
}

export const CompsDocument = z
  .object({
    groups: z
      .array(CompsGroup)
      .max(20_000)
      .default([])
      .superRefine(uniqueIds((g) => g.id, 'group')),
    categories: z
      .array(CompsCategory)
      .max(5_000)
      .default([])
      .superRefine(uniqueIds((c) => c.id, 'category')),
    environments: z
      .array(CompsEnvironment)
      .max(5_000)
      .default([])
      .superRefine(uniqueIds((e) => e.id, 'environment')),
    langpacks: z
      .array(Langpack)
      .max(20_000)
      .default([])
      .superRefine(uniqueIds((l) => l.name, 'langpack')),
    blacklist: z.array(BlacklistEntry).max(20_000).default([]),
    whiteout: z.array(WhiteoutEntry).max(20_000).default([]),
  })
  .strict();
export type CompsDocument = z.infer<typeof CompsDocument>;

// ---------- variants ----------

export const VARIANT_TYPES = ['variant', 'addon', 'optional', 'layered-product'] as const;
export type VariantType = (typeof VARIANT_TYPES)[number];

export const variantId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/, 'must be a variant id: letters, digits, . _ + -, at most 100');
export const archName = z.string().regex(/^[A-Za-z0-9_]{1,32}$/, 'must be an architecture such as x86_64');

export const VariantModule = z
  .object({
    name: z.string().regex(NAME_STREAM, 'must be a module name'),
    stream: z.string().regex(NAME_STREAM, 'must be a module stream'),
    profile: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/, 'must be a profile name')
      .optional(),
  })
  .strict();
export type VariantModule = z.infer<typeof VariantModule>;

export const VariantGroup = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9*?][A-Za-z0-9._+*?-]{0,199}$/, 'must be a comps group id (globs allowed with glob)'),
    default: z.boolean().optional(),
    uservisible: z.boolean().optional(),
    glob: z.boolean().optional(),
  })
  .strict();
export type VariantGroup = z.infer<typeof VariantGroup>;

export const Variant = z
  .object({
    id: variantId,
    name: z.string().min(1).max(200),
    type: z.enum(VARIANT_TYPES).default('variant'),
    /** the uid of the variant this one is nested in (Pungi: <variants> inside a <variant>) */
    parent: variantId.optional(),
    arches: z.array(archName).min(1, 'name at least one architecture').max(32),
    hasOptional: z.boolean().optional(),
    isEmpty: z.boolean().default(false),
    release: z
      .object({
        name: z.string().max(200).optional(),
        short: z.string().max(50).optional(),
        version: z.string().max(50).optional(),
      })
      .strict()
      .optional(),
    modules: z.array(VariantModule).max(5_000).default([]),
    groups: z.array(VariantGroup).max(5_000).default([]),
    environments: z
      .array(z.object({ id: compsId, displayOrder: z.number().int().optional() }).strict())
      .max(1_000)
      .default([]),
    buildinstallPackages: z.array(packageName).max(5_000).default([]),
  })
  .strict();
export type Variant = z.infer<typeof Variant>;

/** Pungi's UID: a nested variant is known as <parent uid>-<id>. */
export const variantUid = (variant: Pick<Variant, 'id' | 'parent'>): string =>
  variant.parent ? `${variant.parent}-${variant.id}` : variant.id;

export const VariantsDocument = z
  .object({ variants: z.array(Variant).max(1_000).default([]) })
  .strict()
  .superRefine((doc, ctx) => checkVariantTree(doc.variants, ctx));
export type VariantsDocument = z.infer<typeof VariantsDocument>;

/** Pungi's rules for nesting: top-level variants are of type variant, nested ones are not; a child's arches are its parent's. */
export function checkVariantTree(
  variants: Variant[],
  ctx: z.RefinementCtx,
  pathPrefix: (string | number)[] = ['variants'],
): void {
  const byUid = new Map<string, Variant>();
  variants.forEach((variant, index) => {
    const uid = variantUid(variant);
    const at = (field: string) => [...pathPrefix, index, field];
    if (byUid.has(uid)) ctx.addIssue({ code: 'custom', message: `variant '${uid}' appears twice`, path: at('id') });
    if (!variant.parent && variant.type !== 'variant') {
      ctx.addIssue({
        code: 'custom',
        message: `a ${variant.type} must be nested in a variant (parent)`,
        path: at('type'),
      });
    }
    if (variant.parent) checkChild(variant, byUid.get(variant.parent), ctx, at);
    byUid.set(uid, variant);
  });
}

function checkChild(
  child: Variant,
  parent: Variant | undefined,
  ctx: z.RefinementCtx,
  at: (field: string) => (string | number)[],
): void {
  if (!parent) {
    ctx.addIssue({
      code: 'custom',
      message: `parent '${child.parent}' is not a variant listed before it`,
      path: at('parent'),
    });
    return;
  }
  if (child.type === 'variant')
    ctx.addIssue({
      code: 'custom',
      message: 'a nested variant is an addon, optional or layered-product',
      path: at('type'),
    });
  if (parent.parent) ctx.addIssue({ code: 'custom', message: 'variants nest one level deep', path: at('parent') });
  const foreign = child.arches.filter((a) => !parent.arches.includes(a));
  if (foreign.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `arches ${foreign.join(', ')} are not ${parent.id}'s`,
      path: at('arches'),
    });
  }
}
