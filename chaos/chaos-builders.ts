// What builds and tests in the chaos harness's worker: zero-cost builds for most modules, the real
// LocalKoji (rpmbuild in a detached task process, a real module repository by createrepo_c) for the
// modules named in CASCADE_CHAOS_REAL_MODULES, so a kill can land mid-rpmbuild and a compose has real
// RPMs to gather; zero-cost CI, except that the modules named in CASCADE_CHAOS_FAILING_MODULES fail
// their first CI run (the campaign then waits for a person at exactly that module).
import fs from 'node:fs';
import type { PrismaClient } from '@prisma/client';
import { LocalKoji, type BuildRequest, type TaskStatus } from '../activities/koji';
import { writeModuleRepo, type ModuleRepoInput, type ModuleRepoOutput } from '../activities/koji/module-repo';
import { writeNoModuleRepo, ZeroCostKoji, ZeroCostModuleCi } from './zero-cost-builds';

/** A comma-separated list of module names from the environment. */
export function moduleNames(text: string | undefined): Set<string> {
  return new Set(
    (text ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
  );
}

/** Builds a component for real when the module it is built for is one of `real`, else at no cost. */
export class ChaosKoji extends ZeroCostKoji {
  constructor(
    options: { root: string },
    private readonly real: ReadonlySet<string>,
  ) {
    super(options);
  }

  override async submit(request: BuildRequest): Promise<TaskStatus> {
    const moduleName = request.module?.nsvc.split(':')[0];
    if (moduleName && this.real.has(moduleName)) return LocalKoji.prototype.submit.call(this, request);
    return super.submit(request);
  }
}

/** A real module repository when the module's builds hold RPMs (real builds), none otherwise. */
export async function writeChaosModuleRepo(input: ModuleRepoInput): Promise<ModuleRepoOutput> {
  const real =
    input.buildDirs.length > 0 &&
    input.buildDirs.every((dir) => fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.rpm')));
  return real ? writeModuleRepo(input) : writeNoModuleRepo(input);
}

export function chaosReplacements(kojiRoot: string, prisma: PrismaClient, env: NodeJS.ProcessEnv = process.env) {
  return {
    builder: new ChaosKoji({ root: kojiRoot }, moduleNames(env.CASCADE_CHAOS_REAL_MODULES)),
    ci: new ZeroCostModuleCi(prisma, moduleNames(env.CASCADE_CHAOS_FAILING_MODULES)),
    writeModuleRepo: writeChaosModuleRepo,
  };
}
