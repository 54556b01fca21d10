// Errors as values: a code, the field path (data.components.rpms.foo.buildafter) and its line, so a
// person can find what to fix. Turns zod issues and rule violations into them.
import type { z } from 'zod';
import type { FieldPath, SourceDocument } from './yaml-source';

export interface ModulemdError {
  code: string;
  /** Dotted field path from the document root, e.g. data.dependencies[0].buildrequires.platform */
  path: string;
  line?: number;
  message: string;
}

export function formatFieldPath(path: FieldPath): string {
  return path.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    return out === '' ? segment : `${out}.${segment}`;
  }, '');
}

/** `data.components.rpms.foo.buildafter: buildafter 'x' not found in components list (line 42)` */
export function describeModulemdError(error: ModulemdError, fileName?: string): string {
  const where = error.line === undefined ? '' : ` (line ${error.line})`;
  const prefix = fileName ? `${fileName}: ` : '';
  return `${prefix}${error.path || '(document)'}: ${error.message}${where}`;
}

export function locatedError(document: SourceDocument, code: string, path: FieldPath, message: string): ModulemdError {
  const line = document.lineOf(path) ?? document.startLine;
  return { code, path: formatFieldPath(path), line, message };
}

/** zod issues of a schema applied at `base` (e.g. ['data']) in `document`. */
export function errorsFromZodIssues(
  document: SourceDocument,
  base: FieldPath,
  issues: readonly z.core.$ZodIssue[],
): ModulemdError[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) =>
        locatedError(document, 'unexpected-key', [...path, key], `unexpected key '${key}'`),
      );
    }
    const code = issue.code === 'custom' ? 'invalid-value' : `invalid-${issue.code.replace(/_/g, '-')}`;
    return [locatedError(document, code, path, issue.message)];
  });
}
