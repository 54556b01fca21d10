// Placed right after the compression middleware (api/app.ts). compression passes each compressed
// answer through a zlib stream whose 'data' and 'end' listeners hold the request and the response.
// That stream stays reachable after the response has closed: its native handle's JS wrapper points
// back at it, and V8's young-generation collector treats such wrappers as roots until a full
// collection. So every compressed answer kept its request, response and buffers alive through
// scavenges (~1.6 MB surviving each one with gzip clients, against ~20 KB once released), and each
// scavenge became a pause of several milliseconds. Once the response has closed (compression has
// destroyed the stream by then), the stream's listeners are removed, so only the stream itself
// lingers. The stream is reached the one way compression offers: it forwards res.on('drain') to
// the stream and returns what the stream's on() returns, the stream.
import type { RequestHandler, Response } from 'express';
import type { EventEmitter } from 'node:events';

const ignore = () => undefined;

function releaseStreamOf(res: Response): void {
  const target = res.on('drain', ignore) as unknown as EventEmitter;
  if (target === res) {
    res.removeListener('drain', ignore);
    return;
  }
  target.removeAllListeners();
}

export function releaseCompressionStreams(): RequestHandler {
  return (_req, res, next) => {
    res.once('close', () => releaseStreamOf(res));
    next();
  };
}
