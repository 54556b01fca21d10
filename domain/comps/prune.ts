// What one variant of a release holds: the compose's init phase writes this as the variant's comps.
import type { CompsDocument, CompsGroup, GroupRef, Variant } from './model';

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Pungi's arch attribute: an element without one is for every architecture. */
function forArch(element: { arch?: string }, arch: string | undefined): boolean {
  if (!arch || element.arch === undefined) return true;
  return element.arch.split(/[\s,]+/).includes(arch);
}

/**
 * The release's comps restricted to the variant: its groups (globs expanded, the variant's default and
 * uservisible overriding the group's), categories and environments keeping only those groups (and
 * dropped when none is left; when the variant names environments, only those), langpacks, blacklist
 * and whiteout as they are. With an arch, elements marked for other architectures are left out too.
 */
export function pruneCompsToVariant(comps: CompsDocument, variant: Variant, arch?: string): CompsDocument {
  const chosen = new Map<string, CompsGroup>();
  for (const wanted of variant.groups) {
    const matches = wanted.glob
      ? comps.groups.filter((g) => globToRegExp(wanted.id).test(g.id))
      : comps.groups.filter((g) => g.id === wanted.id);
    for (const group of matches) {
      chosen.set(group.id, {
        ...group,
        default: wanted.default ?? group.default,
        uservisible: wanted.uservisible ?? group.uservisible,
      });
    }
  }
  const groups = comps.groups
    .filter((g) => chosen.has(g.id) && forArch(g, arch))
    .map((g) => ({ ...chosen.get(g.id)!, packages: g.packages.filter((p) => forArch(p, arch)) }));
  const held = new Set(groups.map((g) => g.id));
  const keep = (refs: GroupRef[]) => refs.filter((r) => held.has(r.id));
  const categories = comps.categories
    .filter((c) => forArch(c, arch))
    .map((c) => ({ ...c, groups: keep(c.groups) }))
    .filter((c) => c.groups.length > 0);
  const named = new Map(variant.environments.map((e) => [e.id, e]));
  const environments = comps.environments
    .filter((e) => forArch(e, arch) && (named.size === 0 || named.has(e.id)))
    .map((e) => ({
      ...e,
      displayOrder: named.get(e.id)?.displayOrder ?? e.displayOrder,
      groups: keep(e.groups),
      options: keep(e.options),
    }))
    .filter((e) => e.groups.length + e.options.length > 0);
  return {
    groups,
    categories,
    environments,
    langpacks: comps.langpacks,
    blacklist: comps.blacklist.filter((b) => forArch(b, arch)),
    whiteout: comps.whiteout,
  };
}
