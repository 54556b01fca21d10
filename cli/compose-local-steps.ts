// The compose's steps in local mode: Pungi's phase functions (activities/pungi/) called directly, the
// module builds from the local module builder. domain/compose/run-compose.ts runs them exactly as the
// Compose workflow runs its activities.
import fs from 'node:fs';
import path from 'node:path';
import { moduleRepoDir } from '../activities/module-build/module-build-plan';
import type { LocalModuleBuilder } from '../activities/module-build/local-module-builder';
import {
  createrepoPhase,
  diffPhase,
  gatherPhase,
  imageChecksumPhase,
  imagePhase,
  initPhase,
  metadataPhase,
  publishPhase,
  testPhase,
  variantCompsPath,
  writeModuleBuildModulemd,
  writeVariantComps,
} from '../activities/pungi';
import type { ComposeRequest, ReadyModuleBuild } from '../domain/compose';
import type { ComposeSteps, PhaseState } from '../domain/compose/run-compose';
import type { CompsDocument, Variant } from '../domain/comps';

export interface LocalComposeContext {
  topdir: string;
  composeId: string;
  request: ComposeRequest;
  /** the CaaS variants the request was made from, by uid (for pruning the comps) */
  caasVariants: Map<string, Variant>;
  comps?: CompsDocument;
  builder: LocalModuleBuilder;
  stateDir: string;
  /** an earlier compose of the release (its repos may be reused, and what changed is counted from it) */
  previousComposeDir: string | null;
  keep: number;
  say: (line: string) => void;
}

function writeComps(ctx: LocalComposeContext, composeDir: string): void {
  if (!ctx.comps) return;
  for (const v of ctx.request.variants)
    writeVariantComps({
      composeDir,
      uid: v.uid,
      arches: v.arches,
      comps: ctx.comps,
      definition: ctx.caasVariants.get(v.uid)!,
    });
}

/** A ready build as the gather phase takes it: its repository and its final modulemd as a file. */
async function readyModuleBuild(ctx: LocalComposeContext, nsvc: string): Promise<ReadyModuleBuild> {
  const row = await ctx.builder.prisma.moduleBuild.findUnique({ where: { nsvc } });
  if (!row?.modulemd || row.state !== 'ready') throw new Error(`module build ${nsvc} is not ready`);
  // Inside the compose, as the workflow keeps it: the compose holds what it was made from.
  const modulemdPath = writeModuleBuildModulemd(path.join(ctx.topdir, ctx.composeId), nsvc, row.modulemd);
  return {
    nsvc,
    name: row.name,
    stream: row.stream,
    version: row.version,
    context: row.context,
    repoDir: moduleRepoDir(ctx.builder.kojiRoot, nsvc),
    modulemdPath,
  };
}

export function localComposeSteps(ctx: LocalComposeContext): ComposeSteps {
  const composeDir = path.join(ctx.topdir, ctx.composeId);
  const cacheDir = path.join(ctx.stateDir, 'dnf-cache', ctx.composeId);
  const started = new Map<string, number>();
  const archesOf = (uid: string) => ctx.request.variants.find((v) => v.uid === uid)!.arches;
  return {
    async phase(phase, state: PhaseState, detail) {
      if (state === 'running') {
        started.set(phase, Date.now());
        return ctx.say(`⋯ ${phase}`);
      }
      const took = started.has(phase) ? ` (${((Date.now() - started.get(phase)!) / 1000).toFixed(1)} s)` : '';
      const why = detail && typeof detail.reason === 'string' ? `: ${detail.reason}` : '';
      ctx.say(`${{ done: '✔', failed: '✖', skipped: '-' }[state]} ${phase} ${state}${took}${why}`);
    },
    async variantState(uid, state, reason) {
      ctx.say(`  variant ${uid}: ${state}${reason ? ` — ${reason}` : ''}`);
    },
    async init() {
      await initPhase({ topdir: ctx.topdir, composeId: ctx.composeId, request: ctx.request });
      writeComps(ctx, composeDir);
      return { composeId: ctx.composeId, variants: ctx.request.variants };
    },
    async pkgset(variant) {
      const builds: string[] = [];
      const missing: typeof variant.modules = [];
      for (const m of variant.modules) {
        const nsvc = await ctx.builder.readyBuild(m);
        if (nsvc) builds.push(nsvc);
        else missing.push(m);
      }
      return { builds, missing, unavailable: [] };
    },
    // As in the workflow, a stream's buildrequires with no ready build are built first (the local
    // builder would build them anyway; this keeps the order and the failure messages the same).
    async unbuiltBuildrequires(module) {
      const unbuilt = [];
      for (const dep of await ctx.builder.buildrequires(module))
        if (!(await ctx.builder.readyBuild(dep))) unbuilt.push(dep);
      return unbuilt;
    },
    async buildModule(module) {
      const outcome = await ctx.builder.buildStream({ name: module.name, stream: module.stream });
      return outcome.state === 'ready' && outcome.nsvc
        ? { nsvc: outcome.nsvc }
        : { failed: outcome.reason ?? 'failed' };
    },
    async gather(variant, nsvcs) {
      const builds = await Promise.all(nsvcs.map((nsvc) => readyModuleBuild(ctx, nsvc)));
      await gatherPhase({ composeDir, variant: variant.uid, builds });
    },
    async createrepo(variant) {
      let reused = true;
      for (const arch of archesOf(variant.uid)) {
        const compsPath = variantCompsPath(composeDir, variant.uid, arch);
        const out = await createrepoPhase({
          composeDir,
          variant: variant.uid,
          arch,
          ...(fs.existsSync(compsPath) ? { compsPath } : {}),
          ...(ctx.previousComposeDir ? { previousComposeDir: ctx.previousComposeDir } : {}),
        });
        reused &&= out.reused;
      }
      return { reused };
    },
    async image(variant) {
      fs.mkdirSync(cacheDir, { recursive: true });
      for (const arch of archesOf(variant.uid)) {
        const out = await imagePhase({
          composeDir,
          variant: variant.uid,
          arch,
          cacheDir,
          ...(ctx.previousComposeDir ? { previousComposeDir: ctx.previousComposeDir } : {}),
        });
        for (const skipped of out.skipped) ctx.say(`  ${variant.uid}/${arch}: image skipped: ${skipped}`);
      }
    },
    async imageChecksum(variants) {
      await imageChecksumPhase({ composeDir, variants: variants.map((v) => v.uid) });
    },
    async test(variant) {
      fs.mkdirSync(cacheDir, { recursive: true });
      const out = await testPhase({
        composeDir,
        variant: variant.uid,
        cacheDir,
        ...(ctx.previousComposeDir ? { previousComposeDir: ctx.previousComposeDir } : {}),
      });
      return { passed: out.passed, reason: out.reason };
    },
    async metadata(status, shipped) {
      await metadataPhase({ composeDir, status, variants: shipped.map((v) => v.uid) });
    },
    async note() {
      // No store offline: what is noted is what changed since the previous compose.
      await diffPhase({ composeDir, previousComposeDir: ctx.previousComposeDir });
    },
    async publish() {
      await publishPhase({ composeDir, mirrorRoot: ctx.topdir, keep: ctx.keep });
    },
  };
}
