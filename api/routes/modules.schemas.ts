import { registry, z } from '../openapi-registry';
import { artifactName } from './campaigns.schemas';

export const streamName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/, 'must be a stream name: letters, digits, . _ + -');

export const ModuleStreamParams = z.object({ name: artifactName, stream: streamName });
export const ComponentParams = z.object({ name: artifactName });

export const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');
/** A day (2026-11-30, its midnight UTC) or an RFC 3339 time with its offset (2026-11-30T12:00:00Z). */
export const isoTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be an ISO 8601 day (YYYY-MM-DD) or time with its offset (YYYY-MM-DDThh:mm:ssZ)',
  })
  .transform((v) => new Date(v))
  // the store holds no year 0 (PostgreSQL counts 1 BC before 1 AD)
  .refine((d) => d.getUTCFullYear() >= 1, 'must be in the year 1 or later');

export const AtQuery = z.object({ at: isoTime.optional() }).strict();

export const DependentsQuery = z
  .object({
    transitive: booleanParam.default(true),
    relation: z.enum(['requires', 'buildrequires', 'all']).default('all'),
    tiers: booleanParam.default(false),
    at: isoTime.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
    cursor: z
      .string()
      .regex(/^[0-9]+$/, 'must be a cursor returned as nextCursor')
      .transform(Number)
      .optional(),
  })
  .strict();

export const DependentsPage = registry.register(
  'DependentsPage',
  z.object({
    total: z.number().int(),
    items: z.array(
      z.object({
        name: z.string(),
        stream: z.string(),
        tier: z.number().int().nullable(),
        cycle: z
          .boolean()
          .optional()
          .describe('with tiers=true: on a dependency cycle, sharing its tier with the other members'),
        path: z.array(z.string()).describe('name:stream from the queried stream to this one'),
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
);
