// One pino logger per process. `pretty` gives the readable, prefixed lines of `make start`;
// otherwise JSON lines for a log collector.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { CascadeConfig } from './config';

export type { Logger };

export function createLogger(level: CascadeConfig['logLevel'], options: { pretty?: boolean } = {}): Logger {
  if (!options.pretty) return pino({ level });
  const stream = pretty({
    sync: true,
    colorize: process.stdout.isTTY,
    translateTime: 'HH:MM:ss',
    ignore: 'pid,hostname,component',
    messageFormat: '{component} | {msg}',
  });
  return pino({ level }, stream);
}
