// What a compose is asked to make, and what it is made from: the request (release, type, variants defined
// by module streams and comps groups) and the ready module builds the pkgset phase found for it.
// parseComposeRequest checks a request read from JSON and names the field that is wrong.
import { RELEASE_SHORT_PATTERN, RELEASE_VERSION_PATTERN } from './compose-id';
import { COMPOSE_TYPES, VARIANT_TYPES, type ComposeType, type VariantType } from './vocabulary';

/** name:stream, optionally /profile, as variants.xml's <module> names a module stream. */
export interface ModuleStreamSpec {
  name: string;
  stream: string;
  profile?: string;
}

export interface ComposeVariant {
  /** productmd variant uid (and id): letters and digits, e.g. "Server" */
  uid: string;
  name: string;
  type: VariantType;
  /** binary arches, e.g. ["x86_64"] */
  arches: string[];
  modules: ModuleStreamSpec[];
  /** comps group ids the variant carries */
  groups: string[];
  /** uid of the variant this one builds on: its repos take part in this one's dependency closure */
  parent?: string;
}

export interface ComposeRequest {
  release: { short: string; version: string; name: string };
  type: ComposeType;
  /** milestone label such as "Beta-1.0"; absent for nightlies */
  label?: string;
  /** YYYYMMDD */
  date: string;
  /** the platform stream the modules run on (module_platform_id=platform:<stream>), e.g. "f29" */
  platformStream: string;
  variants: ComposeVariant[];
}

/** One module build the compose takes, already built and with its repository written. */
export interface ReadyModuleBuild {
  nsvc: string;
  name: string;
  stream: string;
  version: string;
  context: string;
  /** directory holding the build's binary and source RPMs (a module repository) */
  repoDir: string;
  /** the final modulemd (with artifacts) as a file */
  modulemdPath: string;
  /** NEVRAs of its RPMs; read from the modulemd when absent, to keep activity payloads small */
  artifacts?: string[];
}

export interface ComposeRequestError {
  code: 'invalid-compose-request';
  field: string;
  message: string;
}

export type ComposeRequestResult = { ok: true; request: ComposeRequest } | { ok: false; error: ComposeRequestError };

const NAME = /^[A-Za-z0-9_.+-]+$/;
const VARIANT_UID = /^[a-zA-Z0-9]+$/;

export function parseModuleStreamSpec(text: string): ModuleStreamSpec | undefined {
  const match = /^([^:/\s]+):([^:/\s]+)(?:\/([^:/\s]+))?$/.exec(text.trim());
  if (!match) return undefined;
  return { name: match[1]!, stream: match[2]!, ...(match[3] ? { profile: match[3] } : {}) };
}

export function formatModuleStreamSpec(spec: ModuleStreamSpec): string {
  return `${spec.name}:${spec.stream}${spec.profile ? `/${spec.profile}` : ''}`;
}

/** Checks an untrusted request (e.g. parsed JSON) field by field. */
export function parseComposeRequest(input: unknown): ComposeRequestResult {
  const fail = (field: string, message: string): ComposeRequestResult => ({
    ok: false,
    error: { code: 'invalid-compose-request', field, message: `${field}: ${message}` },
  });
  if (!isObject(input)) return fail('request', 'must be an object');
  const release = input.release;
  if (!isObject(release)) return fail('release', 'must be an object with short, version and name');
  for (const key of ['short', 'version', 'name'] as const)
    if (typeof release[key] !== 'string' || release[key] === '')
      return fail(`release.${key}`, 'must be a non-empty string');
  const short = release.short as string;
  const version = release.version as string;
  if (!RELEASE_SHORT_PATTERN.test(short)) return fail('release.short', `'${short}' must be lower-case, dash-separated`);
  if (!RELEASE_VERSION_PATTERN.test(version) || version.includes('-'))
    return fail('release.version', `'${version}' must be dotted numbers without dashes`);
  if (!(COMPOSE_TYPES as readonly unknown[]).includes(input.type))
    return fail('type', `must be one of ${COMPOSE_TYPES.join(', ')}`);
  if (input.label !== undefined && (typeof input.label !== 'string' || !/^[A-Za-z]+-\d+(\.\d+)*$/.test(input.label)))
    return fail('label', "must look like 'Beta-1.0'");
  if (typeof input.date !== 'string' || !/^\d{8}$/.test(input.date)) return fail('date', 'must be YYYYMMDD');
  if (typeof input.platformStream !== 'string' || !NAME.test(input.platformStream))
    return fail('platformStream', "must be a stream name such as 'f29'");
  if (!Array.isArray(input.variants) || input.variants.length === 0)
    return fail('variants', 'must be a non-empty list');
  const variants: ComposeVariant[] = [];
  for (const [i, raw] of input.variants.entries()) {
    const parsed = parseVariant(raw, `variants[${i}]`);
    if ('field' in parsed) return fail(parsed.field, parsed.message);
    if (variants.some((v) => v.uid === parsed.uid)) return fail(`variants[${i}].uid`, `'${parsed.uid}' appears twice`);
    variants.push(parsed);
  }
  for (const [i, v] of variants.entries())
    if (v.parent !== undefined && !variants.some((p) => p.uid === v.parent && p.uid !== v.uid))
      return fail(`variants[${i}].parent`, `'${v.parent}' is not another variant of this compose`);
  return {
    ok: true,
    request: {
      release: { short, version, name: release.name as string },
      type: input.type as ComposeType,
      ...(input.label !== undefined ? { label: input.label as string } : {}),
      date: input.date,
      platformStream: input.platformStream,
      variants,
    },
  };
}

function parseVariant(raw: unknown, at: string): ComposeVariant | { field: string; message: string } {
  const bad = (field: string, message: string) => ({ field: `${at}.${field}`, message });
  if (!isObject(raw)) return { field: at, message: 'must be an object' };
  if (typeof raw.uid !== 'string' || !VARIANT_UID.test(raw.uid)) return bad('uid', 'must be letters and digits');
  if (typeof raw.name !== 'string' || raw.name.trim() === '') return bad('name', 'must be a non-empty string');
  if (!(VARIANT_TYPES as readonly unknown[]).includes(raw.type))
    return bad('type', `must be one of ${VARIANT_TYPES.join(', ')}`);
  if (
    !Array.isArray(raw.arches) ||
    raw.arches.length === 0 ||
    !raw.arches.every((a) => typeof a === 'string' && NAME.test(a))
  )
    return bad('arches', 'must be a non-empty list of arch names');
  if (!Array.isArray(raw.modules)) return bad('modules', 'must be a list of name:stream[/profile]');
  const modules: ModuleStreamSpec[] = [];
  for (const [j, m] of raw.modules.entries()) {
    const spec = typeof m === 'string' ? parseModuleStreamSpec(m) : isObject(m) ? specFromObject(m) : undefined;
    if (!spec)
      return bad(`modules[${j}]`, `'${typeof m === 'string' ? m : JSON.stringify(m)}' is not name:stream[/profile]`);
    modules.push(spec);
  }
  const groups = raw.groups ?? [];
  if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string' && g !== ''))
    return bad('groups', 'must be a list of group ids');
  if (raw.parent !== undefined && typeof raw.parent !== 'string') return bad('parent', 'must be a variant uid');
  return {
    uid: raw.uid,
    name: raw.name,
    type: raw.type as VariantType,
    arches: [...new Set(raw.arches as string[])].sort(),
    modules,
    groups: groups as string[],
    ...(raw.parent !== undefined ? { parent: raw.parent } : {}),
  };
}

function specFromObject(m: Record<string, unknown>): ModuleStreamSpec | undefined {
  if (typeof m.name !== 'string' || typeof m.stream !== 'string') return undefined;
  if (m.profile !== undefined && typeof m.profile !== 'string') return undefined;
  return parseModuleStreamSpec(formatModuleStreamSpec(m as unknown as ModuleStreamSpec));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
