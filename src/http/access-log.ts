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
 * Audit lines (core/audit.ts) go through here too, in order with the access lines, at any level.
 *
 * Access lines are info: written when the log level lets info through. A request slower than
 * `slowRequestMs` is also logged at warn, whatever the level; a 5xx is logged at error by the
 * error handler (error-handler.ts) with the error. A 4xx writes nothing but its access line.
 */
import type { ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import type { AuditEntry } from '../core/audit.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The access log, when there is a log (serve.ts flushes it before it exits). */
    accessLog?: AccessLog;
  }
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

/** Characters of access lines held before they go to a buffered destination, and for how long at most. */
const PENDING_CHARS = 4096;
const PENDING_FLUSH_INTERVAL_MS = 250;

export class AccessLog {
  readonly #stream: DestinationStream;
  readonly #logger: FastifyBaseLogger;
  readonly #slowRequestMs: number;
  /** Whether access lines are written (info enabled); slow requests are warned on either way. */
  readonly enabled: boolean;
  /** `,"pid":…,"hostname":"…","reqId":"`: what pino writes after the time, built once. */
  readonly #afterTime: string;
  /** `,"pid":…,"hostname":"…"`: what pino writes after the time in a line with no request. */
  readonly #afterAudit: string;
  /**
   * Lines not yet handed to a buffered destination, or null when each line is written at once.
   * sonic-boom measures the chunk it appends each write to, so a line at a time costs in
   * proportion to its buffer; a few KiB at a time cost it once (bench/log-cost.mjs).
   */
  #pending: string | null;
  readonly #timer: NodeJS.Timeout | null;

  constructor({ stream, logger, slowRequestMs }: AccessLogOptions) {
    this.#stream = stream;
    this.#logger = logger;
    this.#slowRequestMs = slowRequestMs;
    // Fastify's logger type leaves it out; pino's logger has it.
    this.enabled = (logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info') === true;
    this.#afterAudit = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;
    this.#afterTime = `${this.#afterAudit},"reqId":"`;
    // Only where lines wait anyway: an asynchronous sonic-boom (logging.ts), never a stream given by a caller.
    const buffered = this.enabled && (stream as { sync?: unknown }).sync === false && typeof (stream as { flushSync?: unknown }).flushSync === 'function';
    this.#pending = buffered ? '' : null;
    this.#timer = buffered ? setInterval(() => this.flush(), PENDING_FLUSH_INTERVAL_MS).unref() : null;
  }

  /** Hands the lines held here to the destination (whoever exits then flushes the destination: logging.ts). */
  flush(): void {
    if (this.#pending) {
      this.#stream.write(this.#pending);
      this.#pending = '';
    }
  }

  /** Flushes and stops the timer. */
  close(): void {
    this.flush();
    if (this.#timer) clearInterval(this.#timer);
  }

  /**
   * Writes one audit line (core/audit.ts) in the same shape, in order with the access lines, and
   * whatever the log level: an operator who quiets the log keeps the record of admin actions.
   */
  audit(entry: AuditEntry): void {
    const line = `{"level":30,"time":${Date.now()}${this.#afterAudit},"msg":"audit","audit":${JSON.stringify(entry)}}\n`;
    if (this.#pending === null) this.#stream.write(line);
    else if ((this.#pending += line).length >= PENDING_CHARS) this.flush();
  }

  /**
   * Logs one answered request. `reqId` is a UUID tokend made (written as is); every other string
   * is escaped as JSON.
   */
  record(reqId: string, method: string, route: string | null, statusCode: number, responseTime: number, clientId: string | null): void {
    const ms = Math.round(responseTime * 1000) / 1000;
    if (this.enabled) {
      const client = clientId === null ? '' : `,"client":${JSON.stringify(clientId)}`;
      const line = `{"level":30,"time":${Date.now()}${this.#afterTime}${reqId}","method":${JSON.stringify(method)},"route":${JSON.stringify(route)},"statusCode":${statusCode},"responseTime":${ms}${client},"msg":"request completed"}\n`;
      if (this.#pending === null) this.#stream.write(line);
      else if ((this.#pending += line).length >= PENDING_CHARS) this.flush();
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
  app.decorate('accessLog', accessLog);
  app.addHook('onClose', (_instance, done) => {
    accessLog.close();
    done();
  });
  // A callback hook: an async one costs a promise and a microtask turn per request.
  app.addHook('onResponse', (request, reply, done) => {
    accessLog.record(request.id, request.method, request.routeOptions.url ?? null, reply.statusCode, reply.elapsedTime, provenClientId(request));
    done();
  });
}
