// A list of a campaign's modules cut into pages per tier, counts first: how the API answers a plan
// (the dry run) or a campaign's live state held in memory. Within a tier modules go by name, then
// stream; a page's cursor is its last module (name:stream), the next page starts after it.
import { splitModuleStreamKey } from '../dependencies';

export interface TierPageRequest {
  /** only this tier */
  tier?: number;
  /** modules per tier */
  limit: number;
  /** the last module (name:stream) of the tier's previous page */
  after?: string;
}

export interface TierPage<M> {
  tier: number;
  count: number;
  /** the tier's modules on this page (none for a tier not asked for) */
  modules: M[];
  /** `after` for the tier's next page; null when this page is its last; absent for a tier not asked for */
  nextCursor?: string | null;
}

/** Orders modules (name:stream) by name, then stream, as the store's pages do. */
export function compareModuleKeys(a: string, b: string): number {
  const x = splitModuleStreamKey(a);
  const y = splitModuleStreamKey(b);
  if (x.name !== y.name) return x.name < y.name ? -1 : 1;
  if (x.stream !== y.stream) return x.stream < y.stream ? -1 : 1;
  return 0;
}

/** Every tier with its count; the tiers asked for with a page of their modules. */
export function pageByTier<M>(
  modules: readonly M[],
  keyOf: (m: M) => { node: string; tier: number },
  request: TierPageRequest,
  tierCount = 0,
): TierPage<M>[] {
  const byTier = new Map<number, M[]>();
  for (let t = 0; t < tierCount; t++) byTier.set(t, []);
  for (const m of modules) {
    const { tier } = keyOf(m);
    const list = byTier.get(tier) ?? [];
    list.push(m);
    byTier.set(tier, list);
  }
  return [...byTier.keys()]
    .sort((a, b) => a - b)
    .map((tier) => {
      const all = byTier.get(tier)!;
      if (request.tier !== undefined && request.tier !== tier) return { tier, count: all.length, modules: [] };
      const sorted = [...all].sort((a, b) => compareModuleKeys(keyOf(a).node, keyOf(b).node));
      const after = request.after;
      const rest = after ? sorted.filter((m) => compareModuleKeys(keyOf(m).node, after) > 0) : sorted;
      const shown = rest.slice(0, request.limit);
      const nextCursor = rest.length > request.limit ? keyOf(shown.at(-1)!).node : null;
      return { tier, count: all.length, modules: shown, nextCursor };
    });
}
