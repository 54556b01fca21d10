// A synthetic distribution laid out in tiers for the campaign benchmark: every module of tier k
// buildrequires 1–3 modules of tier k−1 (and the virtual platform), holds one or two components,
// and the modules of tier 0 all hold the one changed component. A change of that component therefore
// rebuilds every module, in exactly `tiers` tiers. Loaded into dist-git (modulemd and component
// commits) and into the dependency store, from the same modulemd text.
import type { PrismaClient } from '@prisma/client';
import { parseModuleStream } from '../domain/modulemd';
import { moduleDefinitionFromStream } from '../domain/pdc';
import { seededRandom } from '../domain/seeded-random';
import { applyModuleDefinitions } from '../store/pdc-relationships';
import type { InMemoryDistGit } from './instant-adapters';

export const BENCH_BRANCH = 'f29';
export const CHANGED_COMPONENT = 'libchanged';

export interface TieredModule {
  name: string;
  tier: number;
  /** names of the modules of the tier below it buildrequires (stream f29) */
  buildrequires: string[];
  components: { name: string; buildorder: number }[];
}

export interface TieredDistribution {
  modules: TieredModule[];
  tiers: number;
  components: number;
  edges: number;
}

export function generateTieredDistribution(seed: number, tiers: number, perTier: number): TieredDistribution {
  const random = seededRandom(seed);
  const below = (limit: number) => Math.floor(random() * limit);
  const nameOf = (tier: number, i: number) => `t${tier}m${String(i).padStart(3, '0')}`;
  const modules: TieredModule[] = [];
  let edges = 0;
  let components = 0;
  for (let tier = 0; tier < tiers; tier += 1) {
    for (let i = 0; i < perTier; i += 1) {
      const name = nameOf(tier, i);
      const buildrequires = new Set<string>();
      if (tier > 0) {
        const wanted = 1 + below(3);
        while (buildrequires.size < wanted) buildrequires.add(nameOf(tier - 1, below(perTier)));
      }
      const own = [{ name: `${name}-core`, buildorder: 0 }];
      const count = 1 + below(2);
      const held =
        tier === 0
          ? [{ name: CHANGED_COMPONENT, buildorder: 0 }, ...own].slice(0, count)
          : count === 2
            ? [...own, { name: `${name}-extras`, buildorder: random() < 0.5 ? 0 : 1 }]
            : own;
      edges += buildrequires.size;
      components += held.length;
      modules.push({ name, tier, buildrequires: [...buildrequires].sort(), components: held });
    }
  }
  return { modules, tiers, components, edges };
}

export function modulemdOf(module: TieredModule): string {
  const deps = [`platform: [${BENCH_BRANCH}]`, ...module.buildrequires.map((b) => `${b}: [${BENCH_BRANCH}]`)];
  const lines = [
    'document: modulemd',
    'version: 2',
    'data:',
    `  summary: ${module.name}, a tier ${module.tier} module of the campaign benchmark`,
    `  description: A synthetic module; it buildrequires ${module.buildrequires.length} module(s) of the tier below.`,
    '  license:',
    '    module: [MIT]',
    '  dependencies:',
    '    - buildrequires:',
    ...deps.map((d) => `        ${d}`),
    '      requires:',
    ...deps.map((d) => `        ${d}`),
    '  components:',
    '    rpms:',
    ...module.components.flatMap((c) => [
      `      ${c.name}:`,
      `        rationale: part of ${module.name}`,
      `        ref: ${BENCH_BRANCH}`,
      `        buildorder: ${c.buildorder}`,
    ]),
  ];
  return `${lines.join('\n')}\n`;
}

function specOf(component: string): string {
  return `Name: ${component}\nVersion: 1.0\nRelease: 1%{?dist}\nSummary: ${component}\nLicense: MIT\n`;
}

/**
 * Commits every component and module to dist-git on the branch, then records the module streams,
 * their relationships and components in the store (one batch, as the index import does).
 */
export async function loadTieredDistribution(
  distribution: TieredDistribution,
  distGit: InMemoryDistGit,
  prisma: PrismaClient,
  at: Date,
): Promise<{ streams: number; changedStreams: number; edgesAdded: number; componentsAdded: number }> {
  const componentNames = new Set(distribution.modules.flatMap((m) => m.components.map((c) => c.name)));
  for (const name of componentNames)
    distGit.commit({ namespace: 'rpms', name }, BENCH_BRANCH, { [`${name}.spec`]: specOf(name) }, at);
  const items = [];
  for (const module of distribution.modules) {
    const text = modulemdOf(module);
    const commitHash = distGit.commit(
      { namespace: 'modules', name: module.name },
      BENCH_BRANCH,
      { [`${module.name}.yaml`]: text },
      at,
    );
    const parsed = parseModuleStream(text, { fileName: `${module.name}.yaml` });
    if (!parsed.ok) throw new Error(`${module.name}.yaml does not parse: ${JSON.stringify(parsed.errors)}`);
    items.push({
      definition: moduleDefinitionFromStream(parsed.stream, module.name, BENCH_BRANCH),
      source: { at, commitHash, modulemd: text },
    });
  }
  const platform = { name: 'platform', stream: BENCH_BRANCH, release: null, edges: [], components: [] };
  const report = await applyModuleDefinitions(prisma, [{ definition: platform, source: { at } }, ...items]);
  return {
    streams: report.streams,
    changedStreams: report.changedStreams,
    edgesAdded: report.edgesAdded,
    componentsAdded: report.componentsAdded,
  };
}
