import {
  CAMPAIGN_STATES,
  DEFAULT_REBUILD_STRATEGY,
  MODULE_STATES,
  REBUILD_STRATEGY_NAMES,
} from '../../domain/campaign';
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
      strategy: z.enum(REBUILD_STRATEGY_NAMES).default(DEFAULT_REBUILD_STRATEGY),
      relation: z.enum(['buildrequires', 'requires', 'all']).default('buildrequires'),
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

export const CampaignListQuery = z
  .object({
    state: z.enum(CAMPAIGN_STATES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .regex(/^[a-z0-9]{1,64}$/, 'not a cursor')
      .optional(),
  })
  .strict();

const moduleRef = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}:[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/, 'must be name:stream');

/** A tier at a time, `limit` modules after `after` (counts come first, whatever the page). */
function tierPageQuery(defaultLimit: number, maxLimit: number) {
  return z
    .object({
      /** only this tier's modules, `limit` of them after `after` */
      tier: z.coerce.number().int().min(0).optional(),
      /** modules per tier in the answer */
      limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit),
      /** the last module (name:stream) of the previous page of the tier */
      after: moduleRef.optional(),
    })
    .strict();
}

/** A campaign of tens of thousands of modules is read a tier at a time: counts first, modules paged. */
export const CampaignReadQuery = tierPageQuery(500, 2000);

/** The dry run's modules per tier (each tier's count comes first, whatever the limit). */
export const DryRunQuery = tierPageQuery(1000, 5000);

/** The live state a tier at a time: `cascade campaign watch` polls it about once a second. */
export const ProgressQuery = tierPageQuery(100, 2000);

export const CampaignModuleParams = CampaignIdParams.extend({ module: moduleRef });

export const ModuleActionBody = z
  .object({
    reason: z.string().min(1).max(2000).optional(),
    /** resume: adopt this module build (its workflow id, as POST /module-builds answers) */
    build: z
      .string()
      .regex(/^module-build-[A-Za-z0-9._+-]+$/, 'must be a module build workflow id')
      .optional(),
  })
  .strict();

export const SkipBody = ModuleActionBody.omit({ build: true }).required({ reason: true });
export const CancelBody = z.object({ reason: z.string().min(1).max(2000).optional() }).strict();

const Counts = z.record(z.enum(MODULE_STATES), z.number().int());
const SomeCounts = z.partialRecord(z.enum(MODULE_STATES), z.number().int());

/** What started the campaign, as recorded with it (absent while it plans). */
const CampaignTrigger = z
  .object({
    components: z.array(z.string()).optional(),
    modules: z.array(z.string()).optional(),
    reason: z.string().nullable().optional(),
  })
  .nullable();

export const CampaignModuleView = registry.register(
  'CampaignModule',
  z.object({
    module: z.string(),
    name: z.string(),
    stream: z.string(),
    tier: z.number().int(),
    changed: z.boolean(),
    cycle: z.boolean(),
    path: z.array(z.string()),
    dependsOn: z.array(z.string()),
    reason: z.string().nullable(),
    state: z.enum(MODULE_STATES),
    attempt: z.number().int(),
    nsvc: z.string().nullable(),
    failedStep: z.string().nullable(),
    failure: z.string().nullable(),
  }),
);

export const Campaign = registry.register(
  'Campaign',
  z.object({
    id: z.string(),
    workflowId: z.string(),
    state: z.string(),
    stateReason: z.string().nullable(),
    branch: z.string().nullable(),
    strategy: z.string().nullable(),
    relation: z.string().nullable(),
    dryRun: z.boolean().nullable(),
    trigger: CampaignTrigger,
    changeKey: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    tierCount: z.number().int().nullable(),
    counts: Counts,
    /** every tier with its counts; its modules paged (nextCursor: `after` for the next page) */
    tiers: z.array(
      z.object({
        tier: z.number().int(),
        count: z.number().int().optional(),
        counts: SomeCounts.optional(),
        modules: z.array(CampaignModuleView),
        nextCursor: z.string().nullable().optional(),
      }),
    ),
    blocking: z.array(
      z.object({
        module: z.string(),
        failedStep: z.string().nullable(),
        failure: z.string().nullable(),
        nsvc: z.string().nullable(),
        blocks: z.number().int(),
        canAct: z.array(z.string()),
      }),
    ),
    actions: z.array(
      z.object({
        at: z.string(),
        action: z.string(),
        module: z.string().nullable(),
        actor: z.string(),
        reason: z.string().nullable(),
      }),
    ),
  }),
);

export const CampaignPlanAnswer = registry.register(
  'CampaignPlan',
  z.object({
    dryRun: z.literal(true),
    total: z.number().int(),
    tiers: z.array(
      z.object({
        tier: z.number().int(),
        count: z.number().int(),
        /** the tier has modules this page does not show */
        truncated: z.boolean().optional(),
        /** `after` for the tier's next page (null: this page is its last; absent: a tier not asked for) */
        nextCursor: z.string().nullable().optional(),
        modules: z.array(
          z.object({
            module: z.string(),
            changed: z.boolean(),
            cycle: z.boolean(),
            reason: z.string(),
            path: z.array(z.string()),
            dependsOn: z.array(z.string()),
          }),
        ),
      }),
    ),
    cycles: z.array(z.array(z.string())),
  }),
);

const ProgressModuleView = z.object({
  node: z.string(),
  tier: z.number().int(),
  state: z.enum(MODULE_STATES),
  attempt: z.number().int(),
  nsvc: z.string().nullable(),
  failedStep: z.enum(['build', 'ci']).nullable(),
  reason: z.string().nullable(),
  /** a blocked module's failed modules below it */
  blockedBy: z.array(z.string()).optional(),
});

export const CampaignProgressAnswer = registry.register(
  'CampaignProgress',
  z.object({
    campaignId: z.string(),
    state: z.enum(CAMPAIGN_STATES),
    tierCount: z.number().int(),
    /** the workflow's run: continue-as-new starts a new one */
    run: z.number().int(),
    windowOnly: z.boolean().optional(),
    /** the whole campaign's counts */
    counts: Counts,
    /** every tier with its counts; `nextCursor` on the tiers this page shows */
    tiers: z.array(
      z.object({
        tier: z.number().int(),
        count: z.number().int(),
        counts: SomeCounts,
        nextCursor: z.string().nullable().optional(),
      }),
    ),
    /** the page: up to `limit` modules of each tier shown, by tier, name and stream */
    modules: z.array(ProgressModuleView),
    /** what the workflow holds itself: the modules in flight and the failed ones (a windowed campaign) */
    window: z.array(ProgressModuleView).optional(),
  }),
);

export const CampaignStarted = registry.register(
  'CampaignStarted',
  z.object({
    id: z.string(),
    workflowId: z.string(),
    existing: z.boolean(),
    modules: z.number().int(),
    tiers: z.number().int(),
  }),
);

export const CampaignList = registry.register(
  'CampaignList',
  z.object({
    items: z.array(
      z.object({
        id: z.string(),
        workflowId: z.string(),
        state: z.string(),
        stateReason: z.string().nullable(),
        branch: z.string().nullable(),
        trigger: CampaignTrigger,
        createdBy: z.string().nullable(),
        createdAt: z.string(),
        finishedAt: z.string().nullable(),
        tierCount: z.number().int().nullable(),
        counts: SomeCounts,
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
);

export const ActionAccepted = registry.register(
  'CampaignActionAccepted',
  z.object({ action: z.string(), module: z.string().nullable(), attempt: z.number().int().nullable() }),
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

// The answers' types, inferred from the schemas the OpenAPI document is generated from: the CLI
// reads the API with these (a type-only import), so the two cannot drift apart.
export type CampaignAnswer = z.infer<typeof Campaign>;
export type CampaignModuleAnswer = z.infer<typeof CampaignModuleView>;
export type CampaignBlockingAnswer = CampaignAnswer['blocking'][number];
export type CampaignProgressAnswerBody = z.infer<typeof CampaignProgressAnswer>;
export type DryRunAnswer = z.infer<typeof CampaignPlanAnswer>;
export type CampaignStartedAnswer = z.infer<typeof CampaignStarted>;
export type CampaignListAnswer = z.infer<typeof CampaignList>;
export type ActionAcceptedAnswer = z.infer<typeof ActionAccepted>;
export type HistoryEventAnswer = z.infer<typeof HistoryEvent>;
