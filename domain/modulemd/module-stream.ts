// The modulemd model Cascade works with: a module stream in the shape of modulemd v2 (documents of v1 and
// modulemd-packager v3 are converted to it), and the defaults of a module. Plain data, JSON-serializable.
import type { JsonValue } from './yaml-source';

/** module name -> accepted streams; a leading "-" excludes a stream, an empty list accepts all. */
export type StreamRequirements = Record<string, string[]>;

export interface ModuleDependencies {
  buildrequires: StreamRequirements;
  requires: StreamRequirements;
}

export interface RpmComponent {
  /** The real package name when it differs from the component's key. */
  name?: string;
  rationale?: string;
  repository?: string;
  cache?: string;
  ref?: string;
  buildroot: boolean;
  srpmBuildroot: boolean;
  buildorder?: number;
  buildafter: string[];
  arches: string[];
  multilib: string[];
  buildonly: boolean;
}

export interface ModuleComponent {
  rationale?: string;
  repository?: string;
  ref?: string;
  buildorder?: number;
}

export interface Profile {
  description?: string;
  rpms: string[];
  default?: boolean;
}

export interface RpmMapEntry {
  name: string;
  epoch: string;
  version: string;
  release: string;
  arch: string;
  nevra: string;
}

export interface ModuleStreamV2 {
  name?: string;
  stream?: string;
  /** Unsigned 64-bit, kept as decimal text; compare with compareModuleVersions. */
  version?: string;
  context?: string;
  staticContext?: boolean;
  arch?: string;
  summary: string;
  description: string;
  servicelevels: Record<string, { eol?: string }>;
  license: { module: string[]; content: string[] };
  /** Free-form build metadata (MBS puts refs and buildrequired NSVCs here), kept as parsed. */
  xmd?: JsonValue;
  dependencies: ModuleDependencies[];
  references: { community?: string; documentation?: string; tracker?: string };
  profiles: Record<string, Profile>;
  api: string[];
  filter: string[];
  demodularized: string[];
  buildopts: { rpms?: { macros?: string; whitelist: string[] }; arches: string[] };
  components: { rpms: Record<string, RpmComponent>; modules: Record<string, ModuleComponent> };
  artifacts: { rpms: string[]; rpmMap: Record<string, Record<string, RpmMapEntry>> };
}

export interface ModuleDefaults {
  module: string;
  modified?: string;
  stream?: string;
  /** stream -> default profile names */
  profiles: Record<string, string[]>;
  intents: Record<string, { stream?: string; profiles: Record<string, string[]> }>;
}

export function compareModuleVersions(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** name:stream:version:context, with empty parts for what a stream does not set yet. */
export function formatNsvc(stream: Pick<ModuleStreamV2, 'name' | 'stream' | 'version' | 'context'>): string {
  return [stream.name ?? '', stream.stream ?? '', stream.version ?? '', stream.context ?? ''].join(':');
}
