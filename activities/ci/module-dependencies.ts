// The module builds a built module is installed together with: the ones it was built against
// (xmd.mbs.buildrequires: exact NSVCs) and, for what it requires at run time, the latest ready build
// of each required stream, and what those require in turn. Base modules (platform) are virtual: the installroot's module_platform_id
// stands for them.
import type { PrismaClient } from '@prisma/client';
import { parseModuleStream, readMbsBuildMetadata, type ModuleStreamV2 } from '../../domain/modulemd';
import { latestReadyModuleBuild } from '../../store/module-builds';
import { BASE_MODULES, moduleRepoDir } from '../module-build/module-build-plan';

export interface DependencyRepo {
  module: string;
  stream: string;
  nsvc: string;
  repoDir: string;
}

export interface ResolvedDependencies {
  repos: DependencyRepo[];
  /** requirements that no ready build satisfies: the module cannot be installed */
  unsatisfied: string[];
  /** the base module's stream (platform:f29 → 'f29'), when named */
  platformStream?: string;
}

export async function resolveModuleDependencies(
  prisma: PrismaClient,
  kojiRoot: string,
  stream: ModuleStreamV2,
): Promise<ResolvedDependencies> {
  const byModule = new Map<string, DependencyRepo>();
  const unsatisfied: string[] = [];
  let platformStream: string | undefined;
  const add = (module: string, nsvc: { stream: string; version: string; context: string }) => {
    const full = `${module}:${nsvc.stream}:${nsvc.version}:${nsvc.context}`;
    const repo = { module, stream: nsvc.stream, nsvc: full, repoDir: moduleRepoDir(kojiRoot, full) };
    byModule.set(module, repo);
    return repo;
  };

  for (const built of readMbsBuildMetadata(stream)?.buildrequires ?? []) {
    if (BASE_MODULES.has(built.module)) {
      platformStream = built.stream;
      continue;
    }
    if (built.version && built.context) add(built.module, { ...built, version: built.version, context: built.context });
  }
  // Run-time requires are transitive: what a required module requires must install too.
  const pending: ModuleStreamV2[] = [stream];
  const seen = new Set<string>(stream.name ? [stream.name] : []);
  while (pending.length > 0) {
    const current = pending.shift()!;
    for (const block of current.dependencies) {
      for (const [module, streams] of Object.entries(block.requires)) {
        const named = streams.filter((s) => !s.startsWith('-'));
        if (BASE_MODULES.has(module)) {
          platformStream ??= named[0];
          continue;
        }
        if (seen.has(module)) continue;
        seen.add(module);
        let repo = byModule.get(module);
        // An empty list means any stream: the one it was built against will do.
        if (!repo || (named.length > 0 && !named.includes(repo.stream))) {
          const wanted = named[0];
          if (!wanted) {
            unsatisfied.push(`${module} (any stream, and no build of it was buildrequired)`);
            continue;
          }
          const ready = await latestReadyModuleBuild(prisma, module, wanted);
          if (!ready) {
            unsatisfied.push(`${module}:${wanted}, which has no ready build`);
            continue;
          }
          repo = add(module, { stream: wanted, version: ready.version, context: ready.context });
        }
        const required = await builtStream(prisma, repo.nsvc);
        if (required) pending.push(required);
      }
    }
  }
  return { repos: [...byModule.values()], unsatisfied, platformStream };
}

/** The final modulemd of a module build, parsed; undefined when it has none that parses. */
async function builtStream(prisma: PrismaClient, nsvc: string): Promise<ModuleStreamV2 | undefined> {
  const row = await prisma.moduleBuild.findUnique({ where: { nsvc }, select: { modulemd: true } });
  if (!row?.modulemd) return undefined;
  const parsed = parseModuleStream(row.modulemd);
  return parsed.ok ? parsed.stream : undefined;
}
