// What MBS calls a module build in Koji: its tags (generate_koji_tag in module_build_service/common/utils) and
// the %dist its RPMs carry (get_rpm_release, same place). Cascade names builds the same way so that its Koji
// adapter and an MBS-built history line up.
import { sha1Hex, sha256Hex } from './digest';
import type { Nsvc } from './nsvc';

/** Koji's limit on a tag name, MBS's default max_length. */
export const KOJI_TAG_MAX_LENGTH = 256;

export interface KojiTagOptions {
  maxLength?: number;
  /** a scratch build's unique id: the tag becomes scrmod-...+<id> so the same commit can be resubmitted */
  scratchId?: number;
}

/**
 * module-<name>-<stream>-<version>-<context>. When that tag plus "-build" would exceed maxLength (256), MBS falls
 * back to module-<first 16 hex of SHA-1 of "name.stream.version.context">, and so does Cascade.
 */
export function kojiTagName(
  name: string,
  stream: string,
  version: string,
  context: string,
  options: KojiTagOptions = {},
): string {
  const maxLength = options.maxLength ?? KOJI_TAG_MAX_LENGTH;
  const scratch = options.scratchId !== undefined;
  const prefix = scratch ? 'scrmod-' : 'module-';
  const suffix = scratch ? `+${options.scratchId}` : '';
  const tag = `${prefix}${[name, stream, version, context].join('-')}${suffix}`;
  if (tag.length + '-build'.length <= maxLength) return tag;
  return `${prefix}${sha1Hex([name, stream, version, context].join('.')).slice(0, 16)}${suffix}`;
}

/** The buildroot tag that inherits from a module's tag: MBS's "<tag>-build". */
export function kojiBuildTagName(tag: string): string {
  return `${tag}-build`;
}

/** Fedora's MBS dist tag prefix (MBS's own default, used by RHEL, is "module+"). */
export const FEDORA_DIST_TAG_PREFIX = 'module_';

export interface DisttagOptions {
  /** the Koji/MBS build id shared by the module's MSE siblings (MBS takes the lowest); derived when absent */
  buildId?: number;
  /**
   * the buildrequired base module's disttag_marking, or its stream (e.g. "f29", "el8.0.0"); no "-" allowed, as it
   * ends up in an RPM release. Omit it for a module that buildrequires no base module.
   */
  baseModuleMarking?: string;
  /** "module_" (Fedora) unless given */
  prefix?: string;
}

/**
 * A number standing in for the MBS build id when there is no Koji: derived from name:stream:version only, so that
 * the MSE siblings of one version share it as they share MBS's lowest sibling id (the hash part already tells
 * them apart). Seven hex digits: a positive number below 2^28, shaped like a Koji build id.
 */
export function derivedDisttagIndex(name: string, stream: string, version: string): number {
  return Number.parseInt(sha256Hex(`${name}:${stream}:${version}`).slice(0, 7), 16);
}

/**
 * The %dist of the RPMs of a module build, leading dot included, in the form MBS 3.9 gives it:
 * ".<prefix><marking>+<build id>+<hash8>", e.g. ".module_f29+1234+5adff7e0", where hash8 is the first 8 hex of
 * SHA-1 of "name.stream.version.context". Without a marking it is ".<prefix><build id>+<hash8>", the form older
 * MBS gave Fedora 28/29 builds (".module_1677+5adff7e0").
 */
export function moduleDisttag(
  name: string,
  stream: string,
  version: string,
  context: string,
  options: DisttagOptions = {},
): string {
  const hash = sha1Hex([name, stream, version, context].join('.')).slice(0, 8);
  const index = options.buildId ?? derivedDisttagIndex(name, stream, version);
  const marking = options.baseModuleMarking ? `${options.baseModuleMarking}+` : '';
  return `.${options.prefix ?? FEDORA_DIST_TAG_PREFIX}${marking}${index}+${hash}`;
}

/** moduleDisttag for an NSVC record. */
export function moduleDisttagOf(nsvc: Nsvc, options: DisttagOptions = {}): string {
  return moduleDisttag(nsvc.name, nsvc.stream, nsvc.version, nsvc.context, options);
}
