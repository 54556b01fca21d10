// Request schemas of /api/v1/composes and of ODCS's /api/1/composes/, shared by the routes and the
// OpenAPI document.
import { COMPOSE_STATUSES, COMPOSE_TYPES } from '../../domain/compose/vocabulary';
import { registry, z } from '../openapi-registry';

const releaseKey = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*-[0-9][0-9.]*$/, 'must be <short>-<version>, e.g. cascade-29');
const variantUid = z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'must be a variant uid: letters and digits');

export const ComposeCreate = registry.register(
  'ComposeCreate',
  z
    .object({
      release: releaseKey,
      type: z.enum(COMPOSE_TYPES).default('nightly'),
      /** a subset of the release's variants; all of them when absent */
      variants: z.array(variantUid).min(1).max(100).optional(),
      label: z
        .string()
        .regex(/^[A-Za-z]+-\d+(\.\d+)*$/, "must look like 'Beta-1.0'")
        .optional(),
    })
    .strict(),
);

export const ComposeIdParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/, 'not a compose id'),
});

export const ComposeListQuery = z
  .object({
    release: releaseKey.optional(),
    status: z.enum(COMPOSE_STATUSES).optional(),
    /** the composes holding a module stream (name:stream) or one build of it (name:stream:version:context) */
    module: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._+-]*:[A-Za-z0-9][A-Za-z0-9._+-]*(:[0-9]+:[0-9a-f]{8})?$/,
        'must be name:stream or name:stream:version:context',
      )
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .regex(/^[0-9]{1,12}$/, 'not a cursor')
      .optional(),
  })
  .strict();

export const CancelComposeBody = z.object({ reason: z.string().min(1).max(2000).optional() }).strict();

// ---- ODCS (/api/1/composes/), as ODCS's own client sends it ----

/** name:stream[:version[:context]], as ODCS's module source lists them (name-stream is not accepted). */
const odcsModule = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._+-]*:[A-Za-z0-9][A-Za-z0-9._+-]*(:[0-9]+(:[0-9a-f]{8})?)?$/,
    'must be name:stream[:version[:context]]',
  );

/** How long a compose is kept, as ODCS takes it: a minute to a year. */
const secondsToLive = z
  .number()
  .int()
  .min(60)
  .max(60 * 60 * 24 * 365)
  .optional();

// Fields of ODCS's that Cascade does not use are accepted and dropped (z.object strips them), so a NUL or
// anything else in them never reaches the store.
export const OdcsComposeCreate = registry.register(
  'OdcsComposeCreate',
  z.object({
    source: z.object({
      type: z.literal('module', { message: "only source type 'module' is served here" }),
      source: z
        .string()
        .min(1)
        .max(10_000)
        .refine(
          (s) =>
            s
              .trim()
              .split(/\s+/)
              .every((m) => odcsModule.safeParse(m).success),
          {
            message: 'must be a space-separated list of name:stream[:version[:context]]',
          },
        ),
      modular_koji_tags: z.array(z.string()).optional(),
      sigkeys: z.array(z.string()).optional(),
    }),
    'seconds-to-live': secondsToLive,
    flags: z.array(z.enum(['no_deps', 'no_inheritance', 'check_deps', 'include_unpublished_pulp_repos'])).optional(),
    arches: z.array(z.string().regex(/^[a-z0-9_]+$/)).optional(),
    label: z.string().max(200).optional(),
    compose_type: z.enum(['test', 'nightly', 'production', 'ci']).optional(),
    results: z.array(z.string()).optional(),
  }),
);

export const OdcsIdParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

export const OdcsListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(10),
  owner: z.string().max(200).optional(),
  source_type: z.string().max(20).optional(),
  source: z.string().max(10_000).optional(),
  state: z.string().max(20).optional(),
});

export const OdcsRenewBody = z.object({
  'seconds-to-live': secondsToLive,
  label: z.string().max(200).optional(),
});
