// `cascade demo [--watch]` and `cascade demo fix [--watch]`: a small real distribution for a newcomer
// to watch (domain/demo), against a running `make start`. The demo creates the repositories through
// the API and pushes them with git, builds each module once (the state before a change), pushes a
// change to the component at the bottom, starts the campaign through the API and prints where to
// watch it and the command that pushes the fix its failing module waits for. Each step finds what an
// earlier run did and reuses it, so running the demo twice is safe.
import type { Command } from 'commander';
import {
  DEMO_BRANCH,
  DEMO_CHANGED_COMPONENT,
  DEMO_FAILING_MODULE,
  DEMO_MODULES,
  DEMO_RELEASE,
  demoChange,
  demoComponentFiles,
  demoFix,
  demoModuleFiles,
  demoTiers,
  demoVariant,
  type DemoModule,
} from '../domain/demo';
import { ApiClientError, type ApiClient } from './api-client';
import type { CampaignListView, PlanView, StartedView } from './campaign-views';
import { followDemoCampaign } from './demo-watch';
import { pushFiles, type PushOutcome } from './demo-dist-git';

interface DemoContext {
  api: ApiClient;
  /** the API as the person reaches it: the dashboard's pages are under it */
  url: string;
  /** the command line that reaches this API again, for the commands the demo prints */
  cascade: string;
  user: string;
  say: (line: string) => void;
}

interface ModuleBuildRow {
  nsvc: string;
  state: string;
  stateReason: string | null;
  workflowId: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const key = (module: string) => `${module}:${DEMO_BRANCH}`;

async function eventually<T>(what: string, limitMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${Math.round(limitMs / 1000)} s`);
    await sleep(1000);
  }
}

async function ensureRepo(
  ctx: DemoContext,
  namespace: 'rpms' | 'modules',
  name: string,
  files: Record<string, string>,
): Promise<PushOutcome> {
  const repo = await ctx.api.request<{ pushUrl: string }>('POST', '/api/v1/repos', { namespace, name });
  return pushFiles(repo.pushUrl, DEMO_BRANCH, files, {
    message: `${name} for ${DEMO_BRANCH}`,
    user: ctx.user,
    keepExisting: true,
  });
}

/** Every repository of the demo, with its first content; repositories already there are left alone. */
async function createRepositories(ctx: DemoContext): Promise<void> {
  const components = DEMO_MODULES.flatMap((m) => m.components.map((c) => c.name));
  const outcomes = await Promise.all([
    ...components.map((c) => ensureRepo(ctx, 'rpms', c, demoComponentFiles(c))),
    ...DEMO_MODULES.map((m) => ensureRepo(ctx, 'modules', m.name, demoModuleFiles(m))),
  ]);
  const pushed = outcomes.filter((o) => o === 'pushed').length;
  const kept = outcomes.length - pushed;
  ctx.say(
    pushed === 0
      ? `dist-git: reusing the demo's ${kept} repositories (already there from an earlier run)`
      : `dist-git: pushed ${pushed} repositories (${components.length} components, ${DEMO_MODULES.length} modules) on ${DEMO_BRANCH}` +
          (kept > 0 ? `, reused ${kept}` : ''),
  );
}

/** The pushes are recorded asynchronously: wait until the plan of the demo's change sees every module. */
async function waitForDependencyStore(ctx: DemoContext): Promise<PlanView> {
  return eventually('the dependency store to record the demo modules', 120_000, async () => {
    const plan = await ctx.api
      .request<PlanView | StartedView>('POST', '/api/v1/campaigns', {
        components: [DEMO_CHANGED_COMPONENT],
        branch: DEMO_BRANCH,
        dryRun: true,
      })
      .catch((error: unknown) => {
        // Before the first module push is recorded no module holds the component yet: not an error here.
        if (error instanceof ApiClientError && error.code === 'nothing_to_rebuild') return undefined;
        throw error;
      });
    return plan && 'dryRun' in plan && plan.total === DEMO_MODULES.length ? plan : undefined;
  });
}

const buildsOf = (ctx: DemoContext, module: string, state?: string) =>
  ctx.api
    .request<{ items: ModuleBuildRow[] }>(
      'GET',
      `/api/v1/module-builds?name=${module}&stream=${DEMO_BRANCH}&limit=50${state ? `&state=${state}` : ''}`,
    )
    .then((r) => r.items);

async function buildOnce(ctx: DemoContext, module: DemoModule): Promise<void> {
  const [ready] = await buildsOf(ctx, module.name, 'ready');
  if (ready) return ctx.say(`  ${key(module.name)} already built: ${ready.nsvc}`);
  const started = Date.now();
  const { workflowId } = await ctx.api.request<{ workflowId: string }>('POST', '/api/v1/module-builds', {
    name: module.name,
    stream: DEMO_BRANCH,
  });
  const done = await eventually(`module build ${workflowId}`, 30 * 60_000, async () => {
    const row = (await buildsOf(ctx, module.name)).find((b) => b.workflowId === workflowId);
    return row && (row.state === 'ready' || row.state === 'failed') ? row : undefined;
  });
  if (done.state === 'failed')
    throw new Error(
      `${key(module.name)} did not build (${done.stateReason ?? 'no reason recorded'}); see ${ctx.cascade} module-build show ${done.nsvc}`,
    );
  ctx.say(`  built ${done.nsvc} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** The distribution before the change: every module built once, tier by tier (a tier's modules at once). */
async function buildDistribution(ctx: DemoContext): Promise<void> {
  ctx.say('building each module once, tier by tier (the state before the change):');
  for (const tier of demoTiers()) await Promise.all(tier.map((m) => buildOnce(ctx, m)));
}

async function startCampaign(ctx: DemoContext): Promise<StartedView> {
  const change = demoChange();
  const repo = await ctx.api.request<{ pushUrl: string }>('POST', '/api/v1/repos', {
    namespace: 'rpms',
    name: change.component,
  });
  const pushed = await pushFiles(repo.pushUrl, DEMO_BRANCH, change.files, { message: change.message, user: ctx.user });
  ctx.say(
    pushed === 'pushed'
      ? `pushed the change: ${change.message} (rpms/${change.component}@${DEMO_BRANCH})`
      : `the change (${change.message}) is already pushed`,
  );
  const started = await ctx.api.request<StartedView>('POST', '/api/v1/campaigns', {
    components: [change.component],
    branch: DEMO_BRANCH,
    reason: `bin/cascade demo: ${change.message}`,
  });
  ctx.say(
    started.existing
      ? `campaign ${started.id} was already started for this change: reusing it`
      : `started campaign ${started.id}: ${started.modules} modules in ${started.tiers} tiers`,
  );
  return started;
}

/** A release whose variant holds the demo's modules, unless it already has that variant (kept as it is). */
async function defineRelease(ctx: DemoContext): Promise<void> {
  const variant = demoVariant();
  const base = `/api/v1/releases/${DEMO_RELEASE}`;
  await ctx.api.request('POST', '/api/v1/releases', { key: DEMO_RELEASE });
  const exists = await ctx.api.request('GET', `${base}/variants/${variant.id}`).then(
    () => true,
    () => false,
  );
  if (!exists) await ctx.api.request('PUT', `${base}/variants/${variant.id}`, variant);
  ctx.say(
    `release ${DEMO_RELEASE}: variant ${variant.id} (${variant.modules.map((m) => `${m.name}:${m.stream}`).join(', ')})` +
      (exists ? ', already defined' : '') +
      ` for 'bin/cascade compose start --release ${DEMO_RELEASE}'`,
  );
}

/** The newest campaign of the demo's change, for `demo fix` to follow. */
async function demoCampaign(api: ApiClient): Promise<{ id: string; state: string } | undefined> {
  const list = await api.request<CampaignListView>('GET', '/api/v1/campaigns');
  return list.items.find((c) => c.branch === DEMO_BRANCH && c.trigger?.components?.includes(DEMO_CHANGED_COMPONENT));
}

async function whoAmI(api: ApiClient): Promise<string> {
  const me = await api.request<{ name: string }>('GET', '/api/v1/whoami').catch(() => undefined);
  return me?.name ?? 'demo';
}

export interface DemoCommandOptions {
  client: () => ApiClient;
  json: () => boolean;
  url: () => string;
  /** `bin/cascade` with the global options the person gave, for the commands the demo prints */
  cascade: () => string;
}

async function context(options: DemoCommandOptions, as: string | undefined): Promise<DemoContext> {
  const api = options.client();
  const health = await api.request<{ status: string }>('GET', '/healthz');
  if (health.status !== 'up')
    throw new Error(`the stack at ${options.url()} is not healthy: try '${options.cascade()} health'`);
  const json = options.json();
  return {
    api,
    url: options.url().replace(/\/$/, ''),
    cascade: options.cascade(),
    user: as ?? (await whoAmI(api)),
    // With --json, stdout holds the one JSON answer: progress goes to stderr.
    say: (line) => (json ? console.error(line) : console.log(line)),
  };
}

export function registerDemoCommands(program: Command, options: DemoCommandOptions): void {
  const demo = program
    .command('demo')
    .description(
      'create a small distribution in the embedded dist-git, build it, change its bottom component and start the campaign (safe to run again)',
    )
    .option('--watch', 'follow the campaign until it finishes (run the fix it waits for in another terminal)')
    .option('--as <user>', "the pusher recorded in dist-git (default: the token's user)")
    .action(async (opts: { watch?: boolean; as?: string }) => {
      const ctx = await context(options, opts.as);
      ctx.say(`Cascade's demo against ${ctx.url}, as ${ctx.user}`);
      await createRepositories(ctx);
      const plan = await waitForDependencyStore(ctx);
      ctx.say(
        `the change to ${DEMO_CHANGED_COMPONENT} will rebuild ${plan.total} modules in ${plan.tiers.length} tiers`,
      );
      await buildDistribution(ctx);
      await defineRelease(ctx);
      const campaign = await startCampaign(ctx);
      const dashboard = `${ctx.url}/campaigns/${campaign.id}`;
      const fixCommand = `${ctx.cascade} demo fix`;
      if (options.json())
        console.log(
          JSON.stringify({ campaignId: campaign.id, existing: campaign.existing, dashboard, fixCommand }, null, 2),
        );
      else
        console.log(
          [
            '',
            `Watch it:   ${dashboard}`,
            `       or:  ${ctx.cascade} campaign watch ${campaign.id}`,
            '',
            `${key(DEMO_FAILING_MODULE)}'s smoke test fails on purpose, so the campaign waits for a person there.`,
            `Push the fix (the campaign resumes by itself when the fix reaches modules/${DEMO_FAILING_MODULE}):`,
            '',
            `  ${fixCommand}`,
          ].join('\n'),
        );
      if (opts.watch)
        process.exitCode = await followDemoCampaign(ctx.api, campaign.id, { json: options.json(), fixCommand });
    });

  demo
    .command('fix')
    .description(
      `push the fix of the failing test to modules/${DEMO_FAILING_MODULE}; the waiting campaign resumes by itself`,
    )
    .option('--watch', 'follow the campaign until it finishes')
    .option('--as <user>', "the pusher recorded in dist-git (default: the token's user)")
    .action(async (own: { watch?: boolean; as?: string }) => {
      // `demo fix --watch`: commander gives options the parent also has (demo's) to the parent.
      const opts = { ...demo.opts<{ watch?: boolean; as?: string }>(), ...own };
      const ctx = await context(options, opts.as);
      const fix = demoFix();
      const repo = await ctx.api.request<{ pushUrl: string }>('POST', '/api/v1/repos', {
        namespace: 'modules',
        name: fix.module,
      });
      const pushed = await pushFiles(repo.pushUrl, DEMO_BRANCH, fix.files, { message: fix.message, user: ctx.user });
      const campaign = await demoCampaign(ctx.api);
      const id = campaign?.id;
      if (options.json()) console.log(JSON.stringify({ pushed: pushed === 'pushed', campaignId: id ?? null }, null, 2));
      else {
        ctx.say(
          pushed === 'pushed'
            ? `pushed the fix to modules/${fix.module}@${DEMO_BRANCH}: ${fix.message}`
            : `the fix is already in modules/${fix.module}@${DEMO_BRANCH}; nothing pushed`,
        );
        if (!campaign) ctx.say(`no demo campaign yet: run '${ctx.cascade} demo'`);
        else if (campaign.state === 'waiting' && pushed === 'pushed')
          ctx.say(`campaign ${campaign.id} resumes ${key(fix.module)} by itself: ${ctx.url}/campaigns/${campaign.id}`);
        else ctx.say(`campaign ${campaign.id} is ${campaign.state}: ${ctx.url}/campaigns/${campaign.id}`);
      }
      if (opts.watch && id) process.exitCode = await followDemoCampaign(ctx.api, id, { json: options.json() });
    });
}
