// Writes the model back as modulemd YAML (`document: modulemd, version: 2` and `modulemd-defaults` v1) that
// libmodulemd reads. Strings that look like numbers are quoted by the YAML writer, so "1.10" stays "1.10".
import { stringify } from 'yaml';
import type { ModuleComponent, ModuleDefaults, ModuleStreamV2, Profile, RpmComponent } from './module-stream';

type YamlObject = Record<string, unknown>;

export function serializeModuleStream(stream: ModuleStreamV2): string {
  return yamlDocument({ document: 'modulemd', version: 2, data: streamData(stream) });
}

export function serializeModuleDefaults(defaults: ModuleDefaults): string {
  return yamlDocument({ document: 'modulemd-defaults', version: 1, data: defaultsData(defaults) });
}

/** A module index: streams first, then defaults, as libmodulemd writes them. */
export function serializeModuleIndex(streams: ModuleStreamV2[], defaults: ModuleDefaults[] = []): string {
  return [...streams.map(serializeModuleStream), ...defaults.map(serializeModuleDefaults)].join('');
}

function yamlDocument(value: YamlObject): string {
  return `---\n${stringify(value, { lineWidth: 0 })}...\n`;
}

/** Drops undefined values and empty lists/maps, which modulemd treats as absent. */
function compact(object: YamlObject): YamlObject {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => {
      if (value === undefined) return false;
      if (Array.isArray(value)) return value.length > 0;
      if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
      return true;
    }),
  );
}

function mapValues<T>(record: Record<string, T>, convert: (value: T) => unknown): YamlObject {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, convert(value)]));
}

function streamData(stream: ModuleStreamV2): YamlObject {
  return compact({
    name: stream.name,
    stream: stream.stream,
    version: stream.version === undefined ? undefined : BigInt(stream.version),
    context: stream.context,
    static_context: stream.staticContext,
    arch: stream.arch,
    summary: stream.summary,
    description: stream.description,
    servicelevels: mapValues(stream.servicelevels, (level) => compact({ eol: level.eol })),
    license: compact({ module: stream.license.module, content: stream.license.content }),
    xmd: stream.xmd,
    // An entry with no requirements at all is still an entry ("no dependencies" for that configuration).
    dependencies: stream.dependencies.map((dependency) =>
      compact({ buildrequires: dependency.buildrequires, requires: dependency.requires }),
    ),
    references: compact({ ...stream.references }),
    profiles: mapValues(stream.profiles, profileData),
    api: compact({ rpms: stream.api }),
    filter: compact({ rpms: stream.filter }),
    demodularized: compact({ rpms: stream.demodularized }),
    buildopts: compact({
      rpms: stream.buildopts.rpms && compact({ ...stream.buildopts.rpms }),
      arches: stream.buildopts.arches,
    }),
    components: compact({
      rpms: mapValues(stream.components.rpms, rpmComponentData),
      modules: mapValues(stream.components.modules, moduleComponentData),
    }),
    artifacts: compact({
      rpms: stream.artifacts.rpms,
      'rpm-map': mapValues(stream.artifacts.rpmMap, (byChecksum) =>
        mapValues(byChecksum, (entry) => ({ ...entry, epoch: BigInt(entry.epoch) })),
      ),
    }),
  });
}

function profileData(profile: Profile): YamlObject {
  // libmodulemd writes `rpms` even when empty: a profile with no packages is still a profile.
  return {
    ...compact({ description: profile.description }),
    rpms: profile.rpms,
    ...compact({ default: profile.default }),
  };
}

function rpmComponentData(component: RpmComponent): YamlObject {
  return compact({
    name: component.name,
    rationale: component.rationale,
    repository: component.repository,
    cache: component.cache,
    ref: component.ref,
    buildroot: component.buildroot || undefined,
    'srpm-buildroot': component.srpmBuildroot || undefined,
    buildorder: component.buildorder,
    buildafter: component.buildafter,
    arches: component.arches,
    multilib: component.multilib,
    buildonly: component.buildonly || undefined,
  });
}

function moduleComponentData(component: ModuleComponent): YamlObject {
  return compact({ ...component });
}

function defaultsData(defaults: ModuleDefaults): YamlObject {
  return compact({
    module: defaults.module,
    modified: defaults.modified === undefined ? undefined : BigInt(defaults.modified),
    stream: defaults.stream,
    profiles: defaults.profiles,
    intents: mapValues(defaults.intents, (intent) => compact({ stream: intent.stream, profiles: intent.profiles })),
  });
}
