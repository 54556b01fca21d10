// Request parsing with zod: the parsed value or a 400 that names the field. A string holding the NUL
// character is refused here for every route, whatever its schema: PostgreSQL's text cannot hold one, so
// it could only end as a 500 from the store (the published document says so with its text pattern,
// api/openapi-scalar-bounds.ts).
import type { Request } from 'express';
import type { z } from 'zod';
import { ApiError, validationError } from './errors';

export function parse<S extends z.ZodType>(schema: S, req: Request, where: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(req[where] ?? {});
  if (!result.success) throw validationError(result.error, where);
  const nul = pathToNul(result.data, [where]);
  if (nul) {
    const field = nul.join('.');
    const message = 'must not contain the NUL character';
    throw new ApiError(400, 'invalid_request', `${field}: ${message}`, { fields: [{ field, message }] });
  }
  return result.data;
}

/** The path of the first string (value or key) in `value` that holds U+0000, if one does. */
export function pathToNul(value: unknown, at: string[]): string[] | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? at : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = pathToNul(value[i], [...at, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return [...at, JSON.stringify(key)];
      const found = pathToNul(item, [...at, key]);
      if (found) return found;
    }
  }
  return undefined;
}
