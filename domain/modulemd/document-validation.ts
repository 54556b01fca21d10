// Verdicts on a whole text, as `modulemd-validator [--type=modulemd-packager-v3]` gives them, and reading
// exactly one module stream (a dist-git module's <name>.yaml).
import type { ModuleStreamV2 } from './module-stream';
import type { ModulemdError } from './modulemd-error';
import type { ParseOptions } from './module-index-parser';
import { parseModuleIndex, parsePackagerV3 } from './module-index-parser';

/** 'module-index' accepts any document a module index loads; the packager type is one packager document. */
export type DocumentTextType = 'module-index' | 'modulemd-packager-v3';

export interface DocumentValidation {
  valid: boolean;
  errors: ModulemdError[];
}

export type StreamParseResult = { ok: true; stream: ModuleStreamV2 } | { ok: false; errors: ModulemdError[] };

export function validateDocumentText(
  text: string,
  options: ParseOptions & { type?: DocumentTextType } = {},
): DocumentValidation {
  const result =
    options.type === 'modulemd-packager-v3' ? parsePackagerV3(text, options) : parseModuleIndex(text, options);
  return result.ok ? { valid: true, errors: [] } : { valid: false, errors: result.errors };
}

/** Exactly one module stream (modulemd v1 or v2), and nothing else, in the text. */
export function parseModuleStream(text: string, options: ParseOptions = {}): StreamParseResult {
  const result = parseModuleIndex(text, options);
  if (!result.ok) return result;
  const [stream, ...more] = result.streams;
  if (!stream || more.length > 0 || result.defaults.length > 0) {
    const found = `${result.streams.length} streams and ${result.defaults.length} defaults`;
    return {
      ok: false,
      errors: [{ code: 'not-one-stream', path: '', message: `expected one module stream, found ${found}` }],
    };
  }
  return { ok: true, stream };
}
