// productmd 1.2 metadata documents (composeinfo, rpms, modules, images) built from plain records, and
// their text exactly as productmd's json.dump writes it: keys sorted, four-space indent, ASCII only.
import { formatComposeId, type ComposeId } from './compose-id';
import type { ComposeRequest, ComposeVariant } from './compose-request';

export const PRODUCTMD_VERSION = '1.2';
export type ProductmdKind = 'composeinfo' | 'rpms' | 'modules' | 'images';

export interface ProductmdDocument {
  header: { type: `productmd.${ProductmdKind}`; version: string };
  payload: Record<string, unknown>;
}

/** Paths of a variant's trees for one arch, relative to the compose's `compose/` directory. */
export function variantPaths(uid: string, arch: string) {
  return {
    os_tree: `${uid}/${arch}/os`,
    packages: `${uid}/${arch}/os/Packages`,
    repository: `${uid}/${arch}/os`,
    isos: `${uid}/${arch}/iso`,
    images: `${uid}/${arch}/images`,
    source_tree: `${uid}/source/tree`,
    source_packages: `${uid}/source/tree/Packages`,
  };
}

function composeSection(id: ComposeId, label?: string) {
  return {
    id: formatComposeId(id),
    type: id.type,
    date: id.date,
    respin: id.respin,
    ...(label ? { label, final: false } : {}),
  };
}

function document(kind: ProductmdKind, payload: Record<string, unknown>): ProductmdDocument {
  return { header: { type: `productmd.${kind}`, version: PRODUCTMD_VERSION }, payload };
}

export function composeInfoDocument(
  request: ComposeRequest,
  id: ComposeId,
  variants: readonly ComposeVariant[],
): ProductmdDocument {
  const section: Record<string, unknown> = {};
  for (const v of variants) {
    const paths: Record<string, Record<string, string>> = {};
    for (const arch of [...v.arches].sort())
      for (const [field, value] of Object.entries(variantPaths(v.uid, arch))) (paths[field] ??= {})[arch] = value;
    section[v.uid] = { id: v.uid, uid: v.uid, name: v.name, type: v.type, arches: [...v.arches].sort(), paths };
  }
  return document('composeinfo', {
    compose: composeSection(id, request.label),
    release: {
      name: request.release.name,
      short: request.release.short,
      version: request.release.version,
      type: 'ga',
      internal: false,
    },
    variants: section,
  });
}

export interface RpmEntry {
  variant: string;
  arch: string;
  /** name-epoch:version-release.arch */
  nevra: string;
  /** the source RPM's NEVRA (arch src) */
  srpmNevra: string;
  /** relative to `compose/` */
  path: string;
  category: 'binary' | 'debug' | 'source';
}

/** variant -> arch -> SRPM NEVRA -> NEVRA -> {category, path, sigkey}; source RPMs under each binary arch. */
export function rpmsDocument(id: ComposeId, entries: readonly RpmEntry[]): ProductmdDocument {
  const rpms: Record<string, Record<string, Record<string, Record<string, unknown>>>> = {};
  for (const e of entries) {
    const bySrpm = ((rpms[e.variant] ??= {})[e.arch] ??= {});
    (bySrpm[e.srpmNevra] ??= {})[e.nevra] = { category: e.category, path: e.path, sigkey: null };
  }
  return document('rpms', { compose: composeSection(id), rpms });
}

export interface ModuleEntry {
  variant: string;
  arch: string;
  nsvc: string;
  /** relative to `compose/` */
  modulemdPath: string;
  /** NEVRAs of the module's RPMs for this arch */
  rpms: string[];
  /** the tag (or local label) the build came from; productmd requires one */
  kojiTag: string;
}

export function modulesDocument(id: ComposeId, entries: readonly ModuleEntry[]): ProductmdDocument {
  const modules: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const e of entries) {
    const [name, stream, version, context] = e.nsvc.split(':');
    ((modules[e.variant] ??= {})[e.arch] ??= {})[e.nsvc] = {
      metadata: { uid: e.nsvc, name, stream, version, context, koji_tag: e.kojiTag },
      modulemd_path: { binary: e.modulemdPath },
      rpms: [...e.rpms].sort(),
    };
  }
  return document('modules', { compose: composeSection(id), modules });
}

export interface ImageEntry {
  variant: string;
  arch: string;
  /** relative to `compose/` */
  path: string;
  /** productmd image type, e.g. "dvd" or "container" */
  type: string;
  /** productmd image format, e.g. "iso" or "tar.xz" */
  format: string;
  size: number;
  mtime: number;
  sha256: string;
  volumeId: string | null;
  subvariant: string;
}

export function imagesDocument(id: ComposeId, entries: readonly ImageEntry[]): ProductmdDocument {
  const images: Record<string, Record<string, unknown[]>> = {};
  for (const e of [...entries].sort((a, b) => (a.path < b.path ? -1 : 1)))
    ((images[e.variant] ??= {})[e.arch] ??= []).push({
      arch: e.arch,
      bootable: false,
      checksums: { sha256: e.sha256 },
      disc_count: 1,
      disc_number: 1,
      format: e.format,
      implant_md5: null,
      mtime: e.mtime,
      path: e.path,
      size: e.size,
      subvariant: e.subvariant,
      type: e.type,
      volume_id: e.volumeId,
    });
  return document('images', { compose: composeSection(id), images });
}

/** The text productmd writes: json.dump(indent=4, sort_keys=True, separators=(",", ": ")), ASCII only. */
export function productmdJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 4).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}
