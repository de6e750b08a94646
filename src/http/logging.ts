/**
 * Logger settings and the log's destination. Requests are logged by access-log.ts (method,
 * route template, status): no headers, no query string, no body, so no token, secret or
 * password can reach the log. `redact` is the second line of defence for anything that logs a
 * request or an error object by accident.
 */
import type { FastifyServerOptions } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import type { TokendConfig } from '../config.js';

/** Bytes gathered before a write: a write per line cost more server CPU than the line itself. */
const LOG_BUFFER_BYTES = 4096;
/** How long a line may wait in the buffer when traffic is light. */
const LOG_FLUSH_INTERVAL_MS = 250;

export type LogDestination = ReturnType<typeof pino.destination>;

/**
 * stdout through a buffer written asynchronously (sonic-boom), flushed when it holds 4 KiB and
 * every 250 ms: the event loop never waits on a slow log reader, and a busy server makes one
 * write per few dozen lines. Whoever exits the process must call {@link flushLog} first.
 */
export function bufferedStdout(): LogDestination {
  return bufferedDestination(1);
}

/** {@link bufferedStdout} to any file descriptor or path (bench/log-cost.mjs measures it on a file). */
export function bufferedDestination(dest: number | string): LogDestination {
  return pino.destination({ dest, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_INTERVAL_MS });
}

/** Resolves once everything written to `stream` so far has reached its file or pipe. */
export function flushLog(stream: DestinationStream | LogDestination): Promise<void> {
  const flush = (stream as Partial<LogDestination>).flush;
  if (typeof flush !== 'function') return Promise.resolve();
  return new Promise((resolve) => flush.call(stream, () => resolve()));
}

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'headers.authorization',
  'body.password',
  'body.client_secret',
  'body.refresh_token',
  'body.token',
  'body.code',
  'body.code_verifier',
  'body.assertion',
];

export function loggerOptions(logger: TokendConfig['logger']): FastifyServerOptions['logger'] {
  if (logger === false) return false;
  return {
    level: logger?.level ?? 'info',
    ...(logger?.stream ? { stream: logger.stream } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: req.url.split('?')[0], id: req.id }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
