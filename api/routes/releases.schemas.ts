// Request and response schemas of /api/v1/releases (Comps-as-a-Service), registered for OpenAPI.
import {
  CompsCategory,
  CompsDocument,
  CompsEnvironment,
  CompsGroup,
  Langpack,
  Variant,
  VariantsDocument,
  archName,
  compsId,
  variantId,
} from '../../domain/comps';
import { registry, z } from '../openapi-registry';

export const releaseKey = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, 'must be a release key: letters, digits, . _ + -, at most 64');

export const ReleaseParams = z.object({ release: releaseKey });
export const ItemParams = ReleaseParams.extend({ id: compsId });
export const VariantParams = ReleaseParams.extend({
  uid: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,200}$/, 'not a variant uid'),
});
export const ReleaseCreate = registry.register('ReleaseCreate', z.object({ key: releaseKey }).strict());
export const CompsXmlQuery = z
  .object({
    variant: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,200}$/, 'not a variant uid')
      .optional()
      .describe('prune to what this variant holds'),
    arch: archName.optional().describe('with variant: leave out what is marked for other architectures'),
  })
  .strict();
export const HistoryQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'not a cursor')
      .optional(),
  })
  .strict();

// The domain's schemas may be built before zod is extended for OpenAPI; describe() makes the copies
// registered here after it.
export const GroupBody = registry.register(
  'CompsGroup',
  CompsGroup.describe('a comps group and its package requirements'),
);
export const CategoryBody = registry.register('CompsCategory', CompsCategory.describe('a comps category'));
export const EnvironmentBody = registry.register('CompsEnvironment', CompsEnvironment.describe('a comps environment'));
export const LangpackBody = registry.register(
  'CompsLangpack',
  Langpack.describe('a langpack: install `install` (%s: the language) with `name`'),
);
export const VariantBody = registry.register('Variant', Variant.describe('a variant: modules, comps groups, arches'));
export const CompsBody = registry.register('CompsDocument', CompsDocument.describe("a release's whole comps"));
export const VariantsBody = registry.register(
  'VariantsDocument',
  VariantsDocument.describe("a release's variants, nested ones naming their parent"),
);
export { variantId };

export const Release = registry.register(
  'Release',
  z.object({
    key: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    counts: z.object({
      groups: z.number().int(),
      categories: z.number().int(),
      environments: z.number().int(),
      langpacks: z.number().int(),
      variants: z.number().int(),
    }),
  }),
);

export const CompsChange = registry.register(
  'CompsChange',
  z.object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    action: z.enum(['create', 'update', 'delete', 'import']),
    subject: z.string(),
    key: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
  }),
);
