import { REBUILD_STRATEGIES } from '../../domain/campaign';
import { registry, z } from '../openapi-registry';

// Names as dist-git allows them: letters, digits and . _ + - ; nothing a shell or git could misread.
export const artifactName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/, 'must be a dist-git name: letters, digits, . _ + -, at most 100');

export const branchName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/, 'must be a branch name: letters, digits, . _ + -, at most 100');

export const CampaignCreate = registry.register(
  'CampaignCreate',
  z
    .object({
      components: z.array(artifactName).max(1000).default([]),
      modules: z.array(artifactName).max(1000).default([]),
      branch: branchName,
      strategy: z.enum(REBUILD_STRATEGIES).default('changed-and-after'),
      dryRun: z.boolean().default(false),
      reason: z.string().max(2000).optional(),
    })
    .strict()
    .refine((b) => b.components.length + b.modules.length > 0, {
      message: 'name at least one component or module',
      path: ['components'],
    }),
);

export const CampaignIdParams = z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'not a campaign id') });

export const Campaign = registry.register(
  'Campaign',
  z.object({
    id: z.string(),
    workflowId: z.string(),
    state: z.string(),
    stateReason: z.string().nullable(),
    branch: z.string().nullable(),
    strategy: z.string().nullable(),
    dryRun: z.boolean().nullable(),
    trigger: z.unknown(),
    createdBy: z.string().nullable(),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
  }),
);

export const HistoryEvent = registry.register(
  'HistoryEvent',
  z.object({
    eventId: z.number().int(),
    time: z.string().nullable(),
    type: z.string(),
    attributes: z.record(z.string(), z.unknown()),
  }),
);
