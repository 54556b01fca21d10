// Bodies are JSON: a body of any other type is refused 415 before a route reads it (it would
// otherwise arrive as "no body" and be refused as a missing field). The few routes that take XML
// (comps.xml, variants.xml, Koji's XML-RPC hub) are exempt, and a method the path does not have is
// left to the 405. Imported by api/app.ts only.
import type { Express, Request, RequestHandler } from 'express';
import { ApiError } from './errors';
import { allowedMethods } from './method-not-allowed';

const TAKES_XML = (path: string) => path.endsWith('.xml') || path === '/kojihub' || path.startsWith('/kojihub/');

/** A body with bytes in it (type-is counts `Content-Length: 0` as a body). */
const carriesBytes = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

export function jsonBodiesOnly(app: Express): RequestHandler {
  return (req, _res, next) => {
    if (!carriesBytes(req) || req.is(['json', '+json']) || TAKES_XML(req.path)) return next();
    if (!allowedMethods(app, req.path).includes(req.method)) return next();
    next(
      new ApiError(
        415,
        'unsupported_media_type',
        `send the body as application/json, not ${req.get('content-type') ?? 'without a Content-Type'}`,
      ),
    );
  };
}
