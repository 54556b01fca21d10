// What a compose is asked for, in the compose's terms: a release's variants as Comps-as-a-Service
// defines them, or ODCS's module source, turned into the variants the compose runs; and the platform
// stream the variants' modules run on. Pure: the workflow's init activity and local mode share it.
import type { Variant } from '../comps/model';
import { variantUid } from '../comps/model';
import type { ModuleStreamV2 } from '../modulemd';
import type { PlannedVariant, RequestedModule } from './run-compose';
import type { VariantType } from './vocabulary';

/** CaaS's variants (all, or the named uids) as the compose runs them; a nested variant builds on its parent. */
export function plannedVariantsOf(variants: Variant[], only?: string[] | null): PlannedVariant[] {
  const chosen = only && only.length > 0 ? variants.filter((v) => only.includes(variantUid(v))) : variants;
  return chosen.map((v) => ({
    uid: variantUid(v),
    name: v.name,
    type: v.type as VariantType,
    arches: v.arches,
    modules: v.modules.map((m) => ({ name: m.name, stream: m.stream, ...(m.profile ? { profile: m.profile } : {}) })),
    groups: v.groups.map((g) => g.id),
    ...(v.parent ? { parent: v.parent } : {}),
  }));
}

/** ODCS's module source: `name:stream[:version[:context]]`, space-separated. */
export function parseOdcsModuleSource(source: string): RequestedModule[] {
  return source
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((text) => {
      const [name, stream, version, context] = text.split(':');
      return {
        name: name!,
        stream: stream!,
        ...(version ? { version } : {}),
        ...(context ? { context } : {}),
      };
    });
}

/** The one variant of an ODCS module compose. */
export function odcsVariant(modules: RequestedModule[], arches: string[]): PlannedVariant {
  return { uid: 'Temporary', name: 'Temporary', type: 'variant', arches, modules, groups: [] };
}

/** The platform stream a module stream is built for (its buildrequired platform), if it names one. */
export function platformStreamOf(stream: Pick<ModuleStreamV2, 'dependencies'>): string | undefined {
  for (const deps of stream.dependencies) {
    const named = (deps.buildrequires.platform ?? []).find((s) => !s.startsWith('-'));
    if (named) return named;
  }
  return undefined;
}

/** The module streams (name:stream) a module requires at run time, platform aside. */
export function runtimeRequiresOf(stream: Pick<ModuleStreamV2, 'dependencies'>): RequestedModule[] {
  const out: RequestedModule[] = [];
  for (const deps of stream.dependencies) {
    for (const [name, streams] of Object.entries(deps.requires)) {
      if (name === 'platform') continue;
      const named = streams.find((s) => !s.startsWith('-'));
      if (named && !out.some((m) => m.name === name && m.stream === named)) out.push({ name, stream: named });
    }
  }
  return out;
}
