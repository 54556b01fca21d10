// Refuses JSON bodies nested deeper than any route needs, before a recursive walk (validation,
// logging, serialization) can exhaust the stack on them. Imported by api/app.ts only.
import type { RequestHandler } from 'express';
import { ApiError } from './errors';

/** The deepest nesting of arrays and objects in a parsed JSON value, counted without recursion. */
export function jsonDepth(value: unknown, stopAt = Infinity): number {
  let deepest = 0;
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > stopAt) return deepest;
    for (const child of Object.values(current)) pending.push({ value: child, depth: level });
  }
  return deepest;
}

export function jsonDepthLimit(maxDepth: number): RequestHandler {
  return (req, _res, next) => {
    if (req.body === null || typeof req.body !== 'object') return next();
    if (jsonDepth(req.body, maxDepth) <= maxDepth) return next();
    next(new ApiError(400, 'too_deep', `the request body nests deeper than ${maxDepth} levels`, { maxDepth }));
  };
}
