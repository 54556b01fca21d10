// The Compose workflow's activities: Pungi's phases (activities/pungi/, plain library code) with what
// only the orchestrated mode has around them — the store (the compose's row, its phases, variants,
// contents and validation results), Comps-as-a-Service (the release's variants and comps), the ready
// module builds that passed CI, and heartbeats while tools run. Every one may run again after a kill.
import fs from 'node:fs';
import path from 'node:path';
import type { Prisma, PrismaClient } from '@prisma/client';
import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  odcsVariant,
  parseOdcsModuleSource,
  plannedVariantsOf,
  platformStreamOf,
  runtimeRequiresOf,
} from '../../domain/compose/compose-plan';
import type { ComposeRequest, ComposeStatus, ReadyModuleBuild } from '../../domain/compose';
import type { ComposeRunPlan, PkgsetAnswer, PlannedVariant, RequestedModule } from '../../domain/compose/run-compose';
import { parseModuleStream } from '../../domain/modulemd';
import { readComps, readVariants } from '../../store/comps';
import {
  markComposePublished,
  markPrunedComposesRemoved,
  previousFinishedCompose,
  recordComposeContents,
  recordComposePhase,
  recordComposeVariants,
  recordVariantValidation,
  setComposeStatus,
  setComposeVariantState,
  type PhaseState,
} from '../../store/composes';
import { BASE_MODULES, moduleRepoDir } from '../module-build/module-build-plan';
import { latestReadyModuleBuild } from '../../store/module-builds';
import {
  createrepoPhase,
  diffPhase,
  gatherPhase,
  imageChecksumPhase,
  imagePhase,
  initPhase,
  metadataPhase,
  publishPhase,
  readComposeDiff,
  testPhase,
  variantCompsPath,
  writeComposeStatus,
  writeModuleBuildModulemd,
  writeVariantComps,
} from '../pungi';

export interface ComposeActivityDependencies {
  prisma: PrismaClient;
  kojiRoot: string;
  composes: { topdir: string; mirrorRoot: string; keep: number; cacheDir: string };
}

/** What the row's request holds: what was asked, and (after init) what it resolved to. */
interface StoredRequest {
  kind: 'release' | 'odcs';
  variants?: string[] | null;
  source?: string;
  withDependencies?: boolean;
  arches?: string[];
  resolved?: { request: ComposeRequest; plan: ComposeRunPlan };
}

const invalid = (message: string) => ApplicationFailure.nonRetryable(message, 'ComposeInputInvalid');

/** Runs `work` with a heartbeat every few seconds, so a dead worker is told apart while a tool runs. */
async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), 5_000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

export function createComposeActivities(deps: ComposeActivityDependencies) {
  const { prisma } = deps;
  const composeDir = (composeId: string) => path.join(deps.composes.topdir, composeId);
  const cacheDir = (composeId: string) => {
    const dir = path.join(deps.composes.cacheDir, composeId);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };

  const readRow = async (composeId: string) => {
    const row = await prisma.compose.findUnique({ where: { composeId } });
    if (!row) throw invalid(`compose ${composeId} has no row in the store`);
    return { ...row, stored: row.request as unknown as StoredRequest };
  };

  /** The release's previous finished compose's directory, whose repos, images and results may be reused. */
  const previousComposeDir = async (composeId: string) => {
    const row = await readRow(composeId);
    return (await previousFinishedCompose(prisma, row.release, composeId))?.path ?? undefined;
  };

  /** The platform stream the modules are built for, from their streams' modulemd in the store. */
  const platformFor = async (modules: RequestedModule[], fallback: string) => {
    for (const m of modules) {
      const row = await prisma.moduleStream.findUnique({ where: { name_stream: { name: m.name, stream: m.stream } } });
      const parsed = row?.modulemd ? parseModuleStream(row.modulemd) : undefined;
      const platform = parsed?.ok ? platformStreamOf(parsed.stream) : undefined;
      if (platform) return platform;
    }
    return fallback;
  };

  /** The newest ready build of a stream whose CI passed, or the named build when version is given. */
  const findBuild = async (m: RequestedModule) => {
    const rows = await prisma.moduleBuild.findMany({
      where: {
        name: m.name,
        stream: m.stream,
        state: 'ready',
        ...(m.version ? { version: m.version } : { ciOutcome: 'PASSED' }),
        ...(m.context ? { context: m.context } : {}),
      },
      select: { nsvc: true, version: true, modulemd: true },
    });
    rows.sort((a, b) => (BigInt(b.version) > BigInt(a.version) ? 1 : BigInt(b.version) < BigInt(a.version) ? -1 : 0));
    return rows[0];
  };

  return {
    async recordComposePhase(input: {
      composeId: string;
      phase: string;
      state: PhaseState;
      detail?: Record<string, unknown>;
    }): Promise<void> {
      await recordComposePhase(
        prisma,
        input.composeId,
        input.phase,
        input.state,
        input.detail as Prisma.InputJsonObject,
      );
    },

    async recordComposeVariantState(input: {
      composeId: string;
      uid: string;
      state: 'ready' | 'failed';
      reason: string | null;
    }): Promise<void> {
      await setComposeVariantState(prisma, input.composeId, input.uid, input.state, input.reason);
    },

    /** The compose's final status, in the store and (once it has a directory) in its STATUS file. */
    async setComposeStatus(input: { composeId: string; status: ComposeStatus; reason: string | null }): Promise<void> {
      const dir = composeDir(input.composeId);
      if (fs.existsSync(dir) && (input.status === 'TERMINATED' || input.status === 'DOOMED'))
        writeComposeStatus({ composeDir: dir, status: input.status });
      // The client recorded who cancelled it when it asked; the workflow does not know, so that stays.
      const asked =
        input.status === 'TERMINATED'
          ? (await prisma.compose.findUnique({ where: { composeId: input.composeId } }))?.statusReason
          : null;
      const reason = asked?.startsWith('cancelled by ') ? asked : input.reason;
      await setComposeStatus(prisma, input.composeId, input.status, { reason });
    },

    /** init: what the compose holds, resolved once and kept on the row (a retry sees the same plan). */
    async composeInit(input: { composeId: string }): Promise<ComposeRunPlan> {
      const row = await readRow(input.composeId);
      let resolved = row.stored.resolved;
      if (!resolved) {
        let variants: PlannedVariant[];
        if (row.stored.kind === 'odcs') {
          variants = [odcsVariant(parseOdcsModuleSource(row.stored.source ?? ''), row.stored.arches ?? ['x86_64'])];
        } else {
          const defined = await readVariants(prisma, row.release);
          if (!defined || defined.variants.length === 0)
            throw invalid(`release ${row.release} defines no variants in Comps-as-a-Service`);
          variants = plannedVariantsOf(defined.variants, row.stored.variants);
          if (variants.length === 0) throw invalid(`release ${row.release} has none of the variants asked for`);
        }
        const request: ComposeRequest = {
          release: { short: row.short, version: row.version, name: row.short },
          type: row.type as ComposeRequest['type'],
          ...(row.label ? { label: row.label } : {}),
          date: row.date,
          platformStream: await platformFor(
            variants.flatMap((v) => v.modules),
            `f${row.version}`,
          ),
          variants: variants.map((v) => ({
            ...v,
            modules: v.modules.map((m) => ({
              name: m.name,
              stream: m.stream,
              ...(m.profile ? { profile: m.profile } : {}),
            })),
          })),
        };
        resolved = { request, plan: { composeId: input.composeId, variants } };
        await prisma.compose.update({
          where: { composeId: input.composeId },
          data: { request: { ...row.stored, resolved } as unknown as Prisma.InputJsonObject },
        });
      }
      const made = await initPhase({
        topdir: deps.composes.topdir,
        composeId: input.composeId,
        request: resolved.request,
      });
      // Each variant's comps: the release's, pruned to what the variant holds on each arch (as local mode).
      const comps = row.stored.kind === 'release' ? await readComps(prisma, row.release) : undefined;
      const defined = row.stored.kind === 'release' ? await readVariants(prisma, row.release) : undefined;
      for (const v of resolved.plan.variants) {
        const definition = defined?.variants.find((d) => (d.parent ? `${d.parent}-${d.id}` : d.id) === v.uid);
        if (!comps || !definition) continue;
        writeVariantComps({ composeDir: made.composeDir, uid: v.uid, arches: v.arches, comps, definition });
      }
      await recordComposeVariants(
        prisma,
        input.composeId,
        resolved.plan.variants.map((v) => ({
          uid: v.uid,
          name: v.name,
          type: v.type,
          arches: v.arches,
          state: 'pending',
        })),
      );
      await setComposeStatus(prisma, input.composeId, 'STARTED', { path: made.composeDir });
      return resolved.plan;
    },

    /** The streams a stream's branch head buildrequires that have no ready build (platform is virtual). */
    async composeUnbuiltBuildrequires(module: RequestedModule): Promise<RequestedModule[]> {
      const row = await prisma.moduleStream.findUnique({
        where: { name_stream: { name: module.name, stream: module.stream } },
      });
      const parsed = row?.modulemd ? parseModuleStream(row.modulemd) : undefined;
      if (!parsed?.ok) return [];
      const unbuilt: RequestedModule[] = [];
      for (const deps of parsed.stream.dependencies)
        for (const [name, streams] of Object.entries(deps.buildrequires)) {
          const stream = streams.find((s) => !s.startsWith('-'));
          if (!stream || BASE_MODULES.has(name)) continue;
          if (!(await latestReadyModuleBuild(prisma, name, stream))) unbuilt.push({ name, stream });
        }
      return unbuilt;
    },

    /** pkgset: for each module, the newest ready build that passed CI (or the one named); ODCS adds what they require. */
    async composePkgset(input: { composeId: string; variant: PlannedVariant }): Promise<PkgsetAnswer> {
      const row = await readRow(input.composeId);
      const withRequires = row.stored.kind === 'odcs' && row.stored.withDependencies !== false;
      const answer: PkgsetAnswer = { builds: [], missing: [], unavailable: [] };
      const seen = new Set<string>();
      const queue = [...input.variant.modules];
      while (queue.length > 0) {
        const m = queue.shift()!;
        const key = `${m.name}:${m.stream}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const build = await findBuild(m);
        if (!build) {
          if (m.version)
            answer.unavailable.push(`${key}:${m.version}${m.context ? `:${m.context}` : ''} has no ready build`);
          else answer.missing.push(m);
          continue;
        }
        answer.builds.push(build.nsvc);
        if (!withRequires || !build.modulemd) continue;
        const parsed = parseModuleStream(build.modulemd);
        if (parsed.ok) queue.push(...runtimeRequiresOf(parsed.stream));
      }
      answer.builds.sort();
      return answer;
    },

    async composeGather(input: { composeId: string; variant: PlannedVariant; builds: string[] }): Promise<void> {
      const dir = composeDir(input.composeId);
      const rows = await prisma.moduleBuild.findMany({ where: { nsvc: { in: input.builds } } });
      const builds: ReadyModuleBuild[] = rows.map((b) => {
        const modulemdPath = writeModuleBuildModulemd(dir, b.nsvc, b.modulemd ?? '');
        return {
          nsvc: b.nsvc,
          name: b.name,
          stream: b.stream,
          version: b.version,
          context: b.context,
          repoDir: moduleRepoDir(deps.kojiRoot, b.nsvc),
          modulemdPath,
        };
      });
      await heartbeating(() => gatherPhase({ composeDir: dir, variant: input.variant.uid, builds }));
    },

    async composeCreaterepo(input: { composeId: string; variant: PlannedVariant }): Promise<{ reused: boolean }> {
      const row = await readRow(input.composeId);
      const previous = await previousFinishedCompose(prisma, row.release, input.composeId);
      let reused = true;
      for (const arch of input.variant.arches) {
        const comps = variantCompsPath(composeDir(input.composeId), input.variant.uid, arch);
        const out = await heartbeating(() =>
          createrepoPhase({
            composeDir: composeDir(input.composeId),
            variant: input.variant.uid,
            arch,
            ...(fs.existsSync(comps) ? { compsPath: comps } : {}),
            ...(previous?.path ? { previousComposeDir: previous.path } : {}),
          }),
        );
        reused &&= out.reused;
      }
      return { reused };
    },

    async composeImage(input: { composeId: string; variant: PlannedVariant }): Promise<void> {
      const previous = await previousComposeDir(input.composeId);
      for (const arch of input.variant.arches)
        await heartbeating(() =>
          imagePhase({
            composeDir: composeDir(input.composeId),
            variant: input.variant.uid,
            arch,
            cacheDir: cacheDir(input.composeId),
            ...(previous ? { previousComposeDir: previous } : {}),
          }),
        );
    },

    async composeImageChecksum(input: { composeId: string; variants: string[] }): Promise<void> {
      await heartbeating(() =>
        imageChecksumPhase({ composeDir: composeDir(input.composeId), variants: input.variants }),
      );
    },

    /** test: the variant's validation, recorded as ResultsDB-shaped results; a failure is a verdict, not an error. */
    async composeTest(input: {
      composeId: string;
      variant: PlannedVariant;
    }): Promise<{ passed: boolean; reason: string | null }> {
      const previous = await previousComposeDir(input.composeId);
      const out = await heartbeating(() =>
        testPhase({
          composeDir: composeDir(input.composeId),
          variant: input.variant.uid,
          cacheDir: cacheDir(input.composeId),
          ...(previous ? { previousComposeDir: previous } : {}),
        }),
      );
      await recordVariantValidation(prisma, input.composeId, input.variant.uid, out.results);
      return { passed: out.passed, reason: out.reason };
    },

    /** metadata: productmd's files (STATUS last), and what changed since the release's previous compose. */
    async composeMetadata(input: {
      composeId: string;
      status: 'FINISHED' | 'FINISHED_INCOMPLETE' | 'DOOMED';
      shipped: string[];
    }): Promise<void> {
      const dir = composeDir(input.composeId);
      await heartbeating(() => metadataPhase({ composeDir: dir, status: input.status, variants: input.shipped }));
      if (input.status === 'DOOMED') return;
      const row = await readRow(input.composeId);
      const previous = await previousFinishedCompose(prisma, row.release, input.composeId);
      const diff = await diffPhase({ composeDir: dir, previousComposeDir: previous?.path ?? null });
      await setComposeStatus(prisma, input.composeId, 'STARTED', {
        previousId: previous?.composeId ?? null,
        changes: {
          summary: diff.summary,
          diff: readComposeDiff(diff.changesFile),
        } as unknown as Prisma.InputJsonObject,
      });
    },

    /** note: which module builds and images the compose holds, for "which composes contain X". */
    async composeNote(input: { composeId: string; shipped: { uid: string; builds: string[] }[] }): Promise<void> {
      const imagesFile = path.join(composeDir(input.composeId), 'compose', 'metadata', 'images.json');
      const images: Parameters<typeof recordComposeContents>[2]['images'] = [];
      if (fs.existsSync(imagesFile)) {
        const doc = JSON.parse(fs.readFileSync(imagesFile, 'utf8')) as {
          payload: {
            images: Record<
              string,
              Record<
                string,
                { path: string; size: number; type: string; format: string; checksums: { sha256: string } }[]
              >
            >;
          };
        };
        for (const [variant, arches] of Object.entries(doc.payload.images))
          for (const [arch, list] of Object.entries(arches))
            for (const image of list)
              images.push({
                variant,
                arch,
                type: image.type,
                format: image.format,
                path: image.path,
                size: image.size,
                sha256: image.checksums.sha256,
              });
      }
      await recordComposeContents(prisma, input.composeId, {
        modules: input.shipped.flatMap((v) => v.builds.map((nsvc) => ({ variant: v.uid, nsvc }))),
        images,
      });
    },

    async composePublish(input: { composeId: string }): Promise<void> {
      const out = await heartbeating(() =>
        publishPhase({
          composeDir: composeDir(input.composeId),
          mirrorRoot: deps.composes.mirrorRoot,
          keep: deps.composes.keep,
        }),
      );
      await markComposePublished(prisma, input.composeId, out.publishedDir);
      const { release } = await prisma.compose.findUniqueOrThrow({
        where: { composeId: input.composeId },
        select: { release: true },
      });
      await markPrunedComposesRemoved(prisma, release, (dir) => fs.existsSync(dir));
    },
  };
}
