// Errors are values with a code and a message a person can act on; every error response has the
// shape { "error": { "code", "message", "details" } }.
import type { ErrorRequestHandler } from 'express';
import type { ZodError } from 'zod';
import type { Logger } from '../platform/logger';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new ApiError(404, 'not_found', `${what} '${id}' does not exist`);

/** Turns a zod error into a 400 naming each field, e.g. "body.branch: Required". */
export function validationError(error: ZodError, where: 'body' | 'query' | 'params'): ApiError {
  const fields = error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new ApiError(400, 'invalid_request', summary, { fields });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof ApiError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details ?? null } });
      return;
    }
    const client = clientError(err);
    if (client) {
      res.status(client.status).json({ error: { code: client.code, message: client.message, details: null } });
      return;
    }
    logger.error({ err }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error; see the API log', details: null } });
  };
}

/** body-parser's and the router's own errors carry a type and a 4xx status: what they mean, in the error shape. */
const PARSER_ERRORS: Record<string, { code: string; message: string }> = {
  'entity.parse.failed': { code: 'invalid_json', message: 'the request body is not valid JSON' },
  'entity.too.large': { code: 'payload_too_large', message: 'the request body is larger than this route accepts' },
  'entity.verify.failed': { code: 'invalid_request', message: 'the request body could not be read' },
  'encoding.unsupported': { code: 'unsupported_media_type', message: 'the request body has an unsupported encoding' },
  'charset.unsupported': { code: 'unsupported_media_type', message: 'the request body has an unsupported charset' },
  'request.aborted': { code: 'invalid_request', message: 'the request was aborted before its body arrived' },
  'request.size.invalid': { code: 'invalid_request', message: 'the request body does not match its Content-Length' },
  'stream.encoding.set': { code: 'invalid_request', message: 'the request body could not be read' },
};

function clientError(err: unknown): { status: number; code: string; message: string } | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const { status, type } = err as { status?: unknown; type?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const known = typeof type === 'string' ? PARSER_ERRORS[type] : undefined;
  const { limit } = err as { limit?: unknown };
  if (known && type === 'entity.too.large' && typeof limit === 'number')
    return { status, code: known.code, message: `${known.message} (${limit} bytes)` };
  if (known) return { status, ...known };
  // The router's "Failed to decode param '%E0'" (a malformed percent-escape in the path) is a URIError with status 400.
  if (err instanceof URIError) return { status: 400, code: 'invalid_request', message: err.message };
  return undefined;
}
