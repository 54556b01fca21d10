// 405 and OPTIONS from the router itself: the methods a path allows are whatever the Express routes
// that match it declare (walked with the router's own matchers, mounted routers included), so the
// Allow header can never disagree with the routes. Imported by api/app.ts only.
import type { Express, RequestHandler } from 'express';
import { ApiError } from './errors';

interface Layer {
  route?: { methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  match(path: string): false | { path: string };
}

/** The methods the routes matching `path` answer (HEAD wherever GET is, as Express does), sorted. */
export function allowedMethods(app: Express, path: string): string[] {
  const found = new Set<string>();
  collect((app as unknown as { router: { stack: Layer[] } }).router.stack, path, found);
  if (found.has('GET')) found.add('HEAD');
  if (found.size > 0) found.add('OPTIONS');
  return [...found].sort();
}

function collect(stack: Layer[], path: string, found: Set<string>): void {
  for (const layer of stack) {
    const match = safeMatch(layer, path);
    if (!match) continue;
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) if (method !== '_all') found.add(method.toUpperCase());
    } else if (layer.handle.stack) {
      collect(layer.handle.stack, path.slice(match.path.length) || '/', found);
    }
  }
}

/** A malformed percent-escape makes the router's matcher throw; such a path matches nothing. */
function safeMatch(layer: Layer, path: string): false | { path: string } {
  try {
    return layer.match(path);
  } catch {
    return false;
  }
}

/**
 * Placed before the routes: answers OPTIONS for every path a route serves (204 and Allow), instead of
 * the first mounted router's partial answer.
 */
export function optionsFromRoutes(app: Express): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    const allowed = allowedMethods(app, req.path);
    if (allowed.length === 0) return next();
    res.set('Allow', allowed.join(', ')).status(204).end();
  };
}

/** Placed after the routes: a path some route serves, asked with a method none of them has, is a 405. */
export function methodNotAllowed(app: Express): RequestHandler {
  return (req, res, next) => {
    const allowed = allowedMethods(app, req.path);
    if (allowed.length === 0) return next();
    res.set('Allow', allowed.join(', '));
    next(
      new ApiError(
        405,
        'method_not_allowed',
        `${req.method} is not allowed on ${req.path}; use ${allowed.join(', ')}`,
        {
          allow: allowed,
        },
      ),
    );
  };
}
