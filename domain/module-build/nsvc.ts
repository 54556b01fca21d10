// Names of a module build: its NSVC (name:stream:version:context) and the NVR MBS gives its Koji build.
// Straight from the file, not the folder's index, to keep the YAML parser out of workflow bundles.
import { formatNsvc } from '../modulemd/module-stream';
import type { ModuleBuildResult } from './module-build-error';
import { moduleBuildError } from './module-build-error';

export { formatNsvc };

export interface Nsvc {
  name: string;
  stream: string;
  /** unsigned 64-bit, as decimal text */
  version: string;
  context: string;
}

const VERSION = /^[0-9]{1,20}$/;

/** "name:stream:version:context" read back; every part is required and the version must be a number. */
export function parseNsvc(text: string): ModuleBuildResult<{ nsvc: Nsvc }> {
  const parts = text.split(':');
  const [name, stream, version, context] = parts;
  const fail = (message: string): ModuleBuildResult<{ nsvc: Nsvc }> => ({
    ok: false,
    error: moduleBuildError('invalid-nsvc', `'${text}' is not name:stream:version:context: ${message}`, { text }),
  });
  if (parts.length !== 4) return fail(`it has ${parts.length} part${parts.length === 1 ? '' : 's'}, not 4`);
  if (!name || !stream || !context) return fail('the name, stream and context must not be empty');
  if (!VERSION.test(version!) || BigInt(version!) > 2n ** 64n - 1n)
    return fail(`the version '${version}' is not an unsigned 64-bit number`);
  return { ok: true, nsvc: { name, stream, version: version!, context } };
}

/**
 * The NVR of the module's own Koji build (the content generator import): the stream as the version with "-"
 * made "_", and "<version>.<context>" as the release, as ModuleBuild.nvr in MBS.
 */
export function moduleKojiNvr(nsvc: Nsvc): string {
  return `${nsvc.name}-${nsvc.stream.replace(/-/g, '_')}-${nsvc.version}.${nsvc.context}`;
}
