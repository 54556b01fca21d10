// `cascade compose --local`: a compose with no Temporal server, no API, no database server and no Koji
// (Pungi's local mode). The modules and components come from a tree in the layout `cascade import
// tree` reads; every module stream the variants name is built with the local module builder; then the
// compose's orchestration (domain/compose/run-compose.ts) runs with Pungi's phase functions as its
// steps, writing <output>/<COMPOSE_ID> and the `latest-<short>-<version>` link beside it.
import fs from 'node:fs';
import path from 'node:path';
import {
  LocalModuleBuilder,
  type LocalBuildEvent,
  type StreamRef,
} from '../activities/module-build/local-module-builder';
import { allocateComposeId, writeComposeStatus } from '../activities/pungi';
import { composeDate, parseComposeRequest, type ComposeRequest, type ComposeType } from '../domain/compose';
import { runCompose, type ComposeRunOutcome } from '../domain/compose/run-compose';
import { parseCompsXml, parseVariantsXml, variantUid, type CompsDocument, type Variant } from '../domain/comps';
import { rootCauseMessage } from '../domain/root-cause';
import { localComposeSteps } from './compose-local-steps';

export interface ComposeLocalOptions {
  tree: string;
  branch: string;
  variants: string;
  comps?: string;
  /** SHORT-VERSION, e.g. cascade-29 */
  release: string;
  /** the release's full name in composeinfo.json; SHORT when absent */
  releaseName?: string;
  type: ComposeType;
  output: string;
  label?: string;
  /** module_platform_id's stream; the branch when absent */
  platform?: string;
  /** state (PGlite, dist-git, builds); <output>/.cascade-local when absent */
  state?: string;
  keep: number;
  concurrency: number;
}

export interface ComposeLocalResult {
  exitCode: 0 | 1 | 2;
  outcome: ComposeRunOutcome | null;
  composeDir: string | null;
  built: number;
  reused: number;
}

function readInput(flag: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(
      `${flag} ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
}

function parseXmlFile<T>(flag: string, file: string, parse: (text: string) => T): T {
  const text = readInput(flag, file);
  try {
    return parse(text);
  } catch (err) {
    throw new Error(`${flag} ${file}: ${(err as Error).message}`);
  }
}

function splitRelease(release: string): { short: string; version: string } {
  const match = /^(.+)-([^-]+)$/.exec(release);
  if (!match) throw new Error(`--release '${release}': must be SHORT-VERSION, e.g. cascade-29`);
  return { short: match[1]!, version: match[2]! };
}

/** The compose request CaaS's variants make (what the workflow's init reads from the store). */
export function composeRequestFromVariants(input: {
  release: string;
  releaseName?: string;
  type: ComposeType;
  label?: string;
  date: string;
  platformStream: string;
  variants: Variant[];
}): ComposeRequest {
  const { short, version } = splitRelease(input.release);
  const checked = parseComposeRequest({
    release: { short, version, name: input.releaseName ?? short },
    type: input.type,
    ...(input.label ? { label: input.label } : {}),
    date: input.date,
    platformStream: input.platformStream,
    variants: input.variants.map((v) => ({
      uid: variantUid(v),
      name: v.name,
      type: v.type,
      arches: v.arches,
      modules: v.modules.map((m) => ({ name: m.name, stream: m.stream, ...(m.profile ? { profile: m.profile } : {}) })),
      groups: v.groups.map((g) => g.id),
      ...(v.parent ? { parent: v.parent } : {}),
    })),
  });
  if (!checked.ok) {
    const flag = checked.error.field.startsWith('variants') ? '--variants' : `--${checked.error.field.split('.')[0]}`;
    throw new Error(`${flag}: ${checked.error.message}`);
  }
  return checked.request;
}

/** The compose the `latest-<short>-<version>` link in `topdir` points at, if any. */
function previousCompose(topdir: string, request: ComposeRequest): string | null {
  const link = path.join(topdir, `latest-${request.release.short}-${request.release.version}`);
  try {
    return path.join(topdir, fs.readlinkSync(link));
  } catch {
    return null;
  }
}

function describeBuildEvent(e: LocalBuildEvent): string | undefined {
  if (e.kind === 'planned') return e.alreadyReady ? undefined : `  build ${e.nsvc}: ${e.components} components`;
  if (e.kind === 'component')
    return e.state === 'building' ? undefined : `    ${e.name} ${e.state}${e.nvr ? ` ${e.nvr}` : ''}`;
  const o = e.outcome;
  return o.state === 'ready'
    ? `  ✔ ${o.nsvc}${o.built + o.reused > 0 ? ` (built ${o.built}, reused ${o.reused})` : ' (ready before)'}`
    : `  ✖ ${o.name}:${o.stream}: ${o.reason}`;
}

export async function composeLocal(
  options: ComposeLocalOptions,
  say: (line: string) => void = console.log,
): Promise<ComposeLocalResult> {
  const variants = parseXmlFile('--variants', options.variants, parseVariantsXml).variants;
  const comps: CompsDocument | undefined = options.comps
    ? parseXmlFile('--comps', options.comps, parseCompsXml)
    : undefined;
  const request = composeRequestFromVariants({
    release: options.release,
    releaseName: options.releaseName,
    type: options.type,
    label: options.label,
    date: composeDate(Date.now()),
    platformStream: options.platform ?? options.branch,
    variants,
  });
  const topdir = path.resolve(options.output);
  const stateDir = path.resolve(options.state ?? path.join(topdir, '.cascade-local'));
  fs.mkdirSync(topdir, { recursive: true });
  const counts = { built: 0, reused: 0 };
  const builder = await LocalModuleBuilder.open({
    stateDir,
    concurrency: options.concurrency,
    onEvent: (e) => {
      if (e.kind === 'finished') {
        counts.built += e.outcome.built;
        counts.reused += e.outcome.reused;
      }
      const line = describeBuildEvent(e);
      if (line) say(line);
    },
  });
  try {
    const imported = await builder.importTree(options.tree, options.branch);
    say(`tree ${options.tree}: ${imported.repositories.length} repositories`);
    const streams = uniqueStreams(request);
    say(`module builds: ${streams.map((s) => `${s.name}:${s.stream}`).join(', ')} and what they buildrequire`);
    await builder.buildStreams(streams);

    const composeId = allocateComposeId({ topdir, request });
    say(`compose ${composeId} in ${topdir}`);
    let outcome: ComposeRunOutcome;
    try {
      outcome = await runCompose(
        localComposeSteps({
          topdir,
          composeId,
          request,
          caasVariants: new Map(variants.map((v) => [variantUid(v), v])),
          comps,
          builder,
          stateDir,
          previousComposeDir: previousCompose(topdir, request),
          keep: options.keep,
          say,
        }),
      );
    } catch (err) {
      const reason = rootCauseMessage(err);
      const composeDir = path.join(topdir, composeId);
      if (fs.existsSync(composeDir)) writeComposeStatus({ composeDir, status: 'DOOMED' });
      outcome = { composeId, status: 'DOOMED', reason, variants: [] };
    }
    summarize(outcome, counts, say);
    const exitCode = outcome.status === 'FINISHED' ? 0 : outcome.status === 'FINISHED_INCOMPLETE' ? 2 : 1;
    return { exitCode, outcome, composeDir: path.join(topdir, composeId), ...counts };
  } finally {
    await builder.close();
  }
}

function uniqueStreams(request: ComposeRequest): StreamRef[] {
  const seen = new Map<string, StreamRef>();
  for (const v of request.variants)
    for (const m of v.modules) seen.set(`${m.name}:${m.stream}`, { name: m.name, stream: m.stream });
  return [...seen.values()];
}

function summarize(outcome: ComposeRunOutcome, counts: { built: number; reused: number }, say: (l: string) => void) {
  say(`${outcome.composeId}: ${outcome.status}${outcome.reason ? ` — ${outcome.reason}` : ''}`);
  for (const v of outcome.variants)
    say(
      `  ${v.state === 'ready' ? '✔' : '✖'} ${v.uid}: ${v.builds.join(', ') || 'no modules'}${v.reason ? ` — ${v.reason}` : ''}`,
    );
  say(`component builds: ${counts.built} built, ${counts.reused} reused`);
}
