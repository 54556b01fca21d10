// The HTTP server for the Express app. Express gives every request and response its own prototypes
// (app.request, app.response) with Object.setPrototypeOf as it takes them; on objects node:http has
// just built, that swap makes V8 keep each request's garbage alive through young-generation
// collections (about 1.5 MB surviving each scavenge and promoted at the next, against a few KB
// without it), which turned every scavenge into a pause of several milliseconds: the tail of the
// API's latency. Here node:http builds requests and responses on those prototypes from the start,
// so Express's swap finds them in place and does nothing. Same objects, same chain, same behaviour.
import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type express from 'express';

function requestOn(prototype: object): typeof IncomingMessage {
  function AppRequest(this: IncomingMessage, socket: Socket) {
    IncomingMessage.call(this, socket);
  }
  AppRequest.prototype = prototype;
  return AppRequest as unknown as typeof IncomingMessage;
}

function responseOn(prototype: object): typeof ServerResponse {
  function AppResponse(this: ServerResponse, req: IncomingMessage, options?: unknown) {
    (ServerResponse as unknown as (this: ServerResponse, req: IncomingMessage, options?: unknown) => void).call(
      this,
      req,
      options,
    );
  }
  AppResponse.prototype = prototype;
  return AppResponse as unknown as typeof ServerResponse;
}

/** An HTTP server for `app` whose requests and responses are born with the app's prototypes. */
export function createAppServer(app: express.Express): http.Server {
  return http.createServer({ IncomingMessage: requestOn(app.request), ServerResponse: responseOn(app.response) }, app);
}
