// The pipeline overview's parameters and its one answer shape, as zod schemas (validation and OpenAPI).
import { classifyPipelineQuery } from '../../domain/pipeline';
import { parseNsvc } from '../../domain/module-build/nsvc';
import { registry, z } from '../openapi-registry';
import { artifactName, branchName } from './campaigns.schemas';

export const ComponentParams = z.object({ name: artifactName });
export const ComponentQuery = z.object({ branch: branchName.optional() });
export const ModuleStreamParams = z.object({ name: artifactName, stream: branchName });
// The patterns below are what the domain's readers accept (or a little less), so that the published
// document never offers a value the route then refuses.
const NAME = '[A-Za-z0-9][A-Za-z0-9._+-]*';
// (no NUL either: a negated class would let it through, and the store's text cannot hold it)
const NSVC = '[^:\\s/\\x00]+:[^:\\s/\\x00]+:[0-9]{1,19}:[^:\\s/\\x00]+';
const NSVC_PATTERN = new RegExp(`^${NSVC}$`);
export const NsvcParams = z.object({
  nsvc: z
    .string()
    .regex(NSVC_PATTERN, 'not name:stream:version:context')
    .superRefine((text, ctx) => {
      // one complaint per field: the domain's reader speaks only where the pattern let it through
      if (!NSVC_PATTERN.test(text)) return;
      const parsed = parseNsvc(text);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error.message });
    }),
});
/** name-version-release, as splitNvr reads it: the version starts with a digit; version and release have no dash. */
export const NvrParams = z.object({
  // eslint-disable-next-line no-control-regex -- NUL is named to keep it out of the negated classes
  nvr: z.string().regex(/^[^/\x00]+-[0-9][^-/\x00]*-[^-/\x00]+$/, 'not name-version-release'),
});
export const ComposeParams = z.object({
  id: z.string().regex(
    // eslint-disable-next-line no-control-regex -- NUL is named to keep it out of the negated class
    /^[A-Za-z][A-Za-z0-9-]*-[^-/\x00]+-\d{8}(\.[a-z]+)?\.\d+$/,
    'not a compose id (e.g. Fedora-29-20261130.n.0)',
  ),
});
export const CommitParams = z.object({
  hash: z.string().regex(/^[0-9a-f]{7,64}$/, 'not a commit hash: 7 to 64 lowercase hex digits'),
});
const QUERY_PATTERN = new RegExp(`^\\s*(${NAME}([:@]${NAME})?|${NSVC})\\s*$`);
export const PipelineSearchQuery = z.object({
  q: z
    .string()
    .max(300)
    .regex(QUERY_PATTERN, 'give a component[@branch], name:stream, an NSVC, an NVR, a compose id or a commit')
    .superRefine((text, ctx) => {
      if (!QUERY_PATTERN.test(text)) return;
      const classified = classifyPipelineQuery(text);
      if (!classified.ok) ctx.addIssue({ code: 'custom', message: classified.message });
    }),
});

const nullableText = z.string().nullable();

export const PipelineOverview = registry.register(
  'PipelineOverview',
  z.object({
    kind: z.enum(['component', 'module', 'nsvc', 'nvr', 'compose', 'commit']),
    key: z.string(),
    verdict: z
      .string()
      .openapi({ example: 'nodejs:10 built 2 h ago from 3f2a1c9, in compose F29-20261130.n.0, not yet published' }),
    source: z
      .object({ repo: z.string(), branch: z.string(), commit: z.string(), pushedBy: z.string(), pushedAt: z.string() })
      .nullable(),
    underway: z.array(
      z.object({
        campaignId: nullableText,
        module: z.string(),
        tier: z.number().int().nullable(),
        state: z.string(),
        startedAt: nullableText,
        waitingFor: z.array(z.string()),
        workflowId: z.string(),
        live: z.boolean(),
      }),
    ),
    latestBuild: z
      .object({
        nsvc: z.string(),
        nvr: nullableText,
        builtAt: nullableText,
        fromCommit: z.string(),
        state: z.string(),
        ciOutcome: nullableText,
        workflowId: z.string(),
      })
      .nullable(),
    latestCompose: z
      .object({
        composeId: z.string(),
        status: z.string(),
        publication: z.string(),
        published: z.boolean(),
        publishedAt: nullableText,
        finishedAt: nullableText,
        nsvc: nullableText,
        variant: nullableText,
      })
      .nullable(),
    lineage: z.object({
      commits: z.array(
        z.object({
          repo: z.string(),
          commit: z.string(),
          component: nullableText,
          nvr: nullableText,
          pushedBy: nullableText,
          pushedAt: nullableText,
        }),
      ),
      builds: z.array(
        z.object({
          nsvc: z.string(),
          state: z.string(),
          fromCommit: z.string(),
          component: nullableText,
          nvr: nullableText,
          componentState: nullableText,
        }),
      ),
      composes: z.array(
        z.object({
          composeId: z.string(),
          nsvc: z.string(),
          variant: z.string(),
          status: z.string(),
          publication: z.string(),
        }),
      ),
    }),
    links: z.object({ temporal: z.string().optional(), dashboard: z.string() }),
  }),
);
export type PipelineOverviewAnswer = z.infer<typeof PipelineOverview>;
