// Request parsing with zod: the parsed value or a 400 that names the field.
import type { Request } from 'express';
import type { z } from 'zod';
import { validationError } from './errors';

export function parse<S extends z.ZodType>(schema: S, req: Request, where: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(req[where] ?? {});
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}
