/**
 * The access log: one JSON line per request, in pino's shape, written straight to the log's
 * destination as one string (no child logger, no object to serialize), so that the fast lane
 * and Fastify's routes log a request alike and cheaply:
 *
 *   {"level":30,"time":…,"pid":…,"hostname":"…","reqId":"<inin-correlation-id>","method":"GET",
 *    "route":"/api/v2/tokens/{tokenId}","statusCode":200,"responseTime":0.41,"client":"<id>","msg":"request completed"}
 *
 * `route` is the route's template, never the path a caller sent (null when no route matched);
 * `client` appears only once a client proved who it is (a bearer token that authenticated, or a
 * token issued at /oauth/token), never from an id a caller merely sent. Nothing else of the
 * request is written: no header, no query string, no body, so no token or secret.
 *
 * Access lines are info: written when the log level lets info through. A request slower than
 * `slowRequestMs` is also logged at warn, whatever the level; a 5xx is logged at error by the
 * error handler (error-handler.ts) with the error. A 4xx writes nothing but its access line.
 */
import type { ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';

declare module 'fastify' {
  interface FastifyRequest {
    /** The client a route authenticated without a bearer token (/oauth/token): logged as `client`. */
    authenticatedClientId: string | null;
  }
}

export interface AccessLogOptions {
  /** Where pino writes: access lines go to the same destination, in order with its lines. */
  stream: DestinationStream;
  /** The app's logger: its level decides whether access lines are written; slow requests are warned on it. */
  logger: FastifyBaseLogger;
  slowRequestMs: number;
}

export class AccessLog {
  readonly #stream: DestinationStream;
  readonly #logger: FastifyBaseLogger;
  readonly #slowRequestMs: number;
  /** Whether access lines are written (info enabled); slow requests are warned on either way. */
  readonly enabled: boolean;
  /** `,"pid":…,"hostname":"…","reqId":"`: what pino writes after the time, built once. */
  readonly #afterTime: string;

  constructor({ stream, logger, slowRequestMs }: AccessLogOptions) {
    this.#stream = stream;
    this.#logger = logger;
    this.#slowRequestMs = slowRequestMs;
    // Fastify's logger type leaves it out; pino's logger has it.
    this.enabled = (logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info') === true;
    this.#afterTime = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())},"reqId":"`;
  }

  /**
   * Logs one answered request. `reqId` is a UUID tokend made (written as is); every other string
   * is escaped as JSON.
   */
  record(reqId: string, method: string, route: string | null, statusCode: number, responseTime: number, clientId: string | null): void {
    const ms = Math.round(responseTime * 1000) / 1000;
    if (this.enabled) {
      const client = clientId === null ? '' : `,"client":${JSON.stringify(clientId)}`;
      this.#stream.write(
        `{"level":30,"time":${Date.now()}${this.#afterTime}${reqId}","method":${JSON.stringify(method)},"route":${JSON.stringify(route)},"statusCode":${statusCode},"responseTime":${ms}${client},"msg":"request completed"}\n`,
      );
    }
    if (responseTime >= this.#slowRequestMs) {
      this.#logger.warn({ reqId, method, route, statusCode, responseTime: ms, client: clientId, slowRequestMs: this.#slowRequestMs }, 'slow request');
    }
  }
}

/** The client id a request proved, if any: from its bearer token, or set by the route that authenticated it. */
function provenClientId(request: FastifyRequest): string | null {
  return request.principal?.client.id ?? request.authenticatedClientId;
}

/**
 * Logs a request Fastify refused before routing (a URL it cannot decode, frameworkErrors), where
 * no hook runs: once its answer is written. No route matched and nobody authenticated.
 */
export function recordWhenAnswered(accessLog: AccessLog | null, request: FastifyRequest, response: ServerResponse): void {
  if (accessLog === null) return;
  const started = performance.now();
  response.once('finish', () => accessLog.record(request.id, request.method, null, response.statusCode, performance.now() - started, null));
}

/** Logs every request Fastify answers, once it is answered (the fast lane logs its own). */
export function registerAccessLog(app: FastifyInstance, accessLog: AccessLog): void {
  app.decorateRequest('authenticatedClientId', null);
  // A callback hook: an async one costs a promise and a microtask turn per request.
  app.addHook('onResponse', (request, reply, done) => {
    accessLog.record(request.id, request.method, request.routeOptions.url ?? null, reply.statusCode, reply.elapsedTime, provenClientId(request));
    done();
  });
}
