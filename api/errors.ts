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
    // express.json() reports unparsable bodies with type 'entity.parse.failed'
    if (err && typeof err === 'object' && 'type' in err && err.type === 'entity.parse.failed') {
      res
        .status(400)
        .json({ error: { code: 'invalid_json', message: 'the request body is not valid JSON', details: null } });
      return;
    }
    logger.error({ err }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error; see the API log', details: null } });
  };
}
