/**
 * Logger settings. Requests are logged by method, path and status only: no headers, no query
 * string, no body, so no token, secret or password can reach the log. `redact` is the second
 * line of defence for anything that logs a request or an error object by accident.
 */
import type { FastifyServerOptions } from 'fastify';
import type { TokendConfig } from '../config.js';

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
