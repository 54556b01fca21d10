// The request as express.json's verify hook leaves it for signed routes: the exact bytes the
// signature covers. Its own file so that app.ts (which keeps them) and the routes (which check
// them) share the type without importing each other.
import type { IncomingMessage } from 'node:http';

export type RequestWithRawBody = IncomingMessage & { rawBody?: Buffer };
