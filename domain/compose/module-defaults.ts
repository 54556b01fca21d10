// The module defaults a variant's repository carries (modulemd-defaults v1): each module the variant
// holds in one stream gets that stream as its default, with the requested profile (or the stream's
// "default" profile) as its default profile, so `dnf install <package>` and `dnf module install <name>`
// work without naming the stream. A module with two streams in one variant gets no default stream.
import type { ModuleDefaults } from '../modulemd/module-stream';
import type { ModuleStreamSpec } from './compose-request';

/** `profilesOf(name, stream)` lists the profiles the built stream has (from its modulemd). */
export function variantModuleDefaults(
  specs: readonly ModuleStreamSpec[],
  profilesOf: (name: string, stream: string) => readonly string[],
): ModuleDefaults[] {
  const byName = new Map<string, ModuleStreamSpec[]>();
  for (const spec of specs) byName.set(spec.name, [...(byName.get(spec.name) ?? []), spec]);
  const defaults: ModuleDefaults[] = [];
  for (const [name, streams] of [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const distinct = [...new Set(streams.map((s) => s.stream))];
    const profiles: Record<string, string[]> = {};
    for (const stream of distinct.sort()) {
      const known = profilesOf(name, stream);
      const asked = streams.find((s) => s.stream === stream && s.profile)?.profile;
      const chosen = asked && known.includes(asked) ? asked : known.includes('default') ? 'default' : undefined;
      if (chosen) profiles[stream] = [chosen];
    }
    defaults.push({ module: name, ...(distinct.length === 1 ? { stream: distinct[0] } : {}), profiles, intents: {} });
  }
  return defaults;
}
