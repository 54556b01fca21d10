// What the Module Build Service recorded in a built stream's xmd (xmd.mbs): the module commit, the ref each
// component was built from, and the module streams in the buildroot. Cascade seeds its build history from it.
import type { ModuleStreamV2 } from './module-stream';
import type { JsonValue } from './yaml-source';

export interface MbsBuildrequire {
  module: string;
  stream: string;
  version?: string;
  context?: string;
  ref?: string;
}

export interface MbsBuildMetadata {
  scmurl?: string;
  commit?: string;
  /** component name -> the git ref it was built from */
  componentRefs: Record<string, string>;
  buildrequires: MbsBuildrequire[];
}

type JsonObject = { [key: string]: JsonValue };

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function asText(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** undefined when the stream carries no xmd.mbs block (not built by MBS). */
export function readMbsBuildMetadata(stream: Pick<ModuleStreamV2, 'xmd'>): MbsBuildMetadata | undefined {
  const mbs = asObject(asObject(stream.xmd)?.mbs);
  if (!mbs) return undefined;
  const componentRefs: Record<string, string> = {};
  for (const [name, entry] of Object.entries(asObject(mbs.rpms) ?? {})) {
    const ref = asText(asObject(entry)?.ref);
    if (ref !== undefined) componentRefs[name] = ref;
  }
  const buildrequires = Object.entries(asObject(mbs.buildrequires) ?? {}).flatMap(([module, entry]) => {
    const details = asObject(entry);
    const stream = asText(details?.stream);
    if (!details || stream === undefined) return [];
    const version = asText(details.version);
    const context = asText(details.context);
    const ref = asText(details.ref);
    return [{ module, stream, ...(version && { version }), ...(context && { context }), ...(ref && { ref }) }];
  });
  const scmurl = asText(mbs.scmurl);
  const commit = asText(mbs.commit);
  return { ...(scmurl && { scmurl }), ...(commit && { commit }), componentRefs, buildrequires };
}
