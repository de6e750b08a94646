/**
 * The hot path without the framework: `GET` and `HEAD /api/v2/tokens/me`, answered straight from
 * node:http.
 *
 * Validating a bearer token is what tokend does most, and Fastify's per-request machinery
 * (request and reply objects, a child logger, hook runners, promises) costs more than the
 * validation itself (docs/performance.md). The lane asks core's admission (core/admission.ts)
 * as the bearer hook does, and answers a success, or the 401 of a token that is not good
 * (unknown, revoked, expired, disabled: an app keeps sending one until it signs in again),
 * whether decided in memory or once the token was read from the store. Everything else goes to
 * Fastify (a query string, an Origin header, a server closing, a test fault set, any other
 * refusal, a store that cannot answer), with the decision when one was taken, so that no request
 * is decided or counted twice and every other error is answered in one place (error-handler.ts).
 * test/http/fast-lane.test.ts holds its answers byte for byte to those of the Fastify routes,
 * and it writes the same access line as they do (access-log.ts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fastJson from 'fast-json-stringify';
import type { Admission, Admitted, Decision } from '../core/admission.js';
import { errors } from '../core/errors.js';
import type { Authenticator } from '../core/authenticator.js';
import type { ClientUsage } from '../core/client-usage.js';
import { OPERATIONS } from '../core/operations/table.js';
import type { Principal } from '../core/principal.js';
import type { AccessLog } from './access-log.js';
import type { RequestHandler } from './issuance-lane.js';
import type { DurationSeries } from './metrics/custom-metrics.js';
import { bearerToken, leaveDecision } from './bearer.js';
import { errorBody } from './error-handler.js';
import { renderTokenInfo } from './render.js';
import { NO_CACHE } from './response-headers.js';
import { TokenInfoSchema } from './schemas.js';

const TOKENS_ME = '/api/v2/tokens/me';
/** The serializer Fastify compiles for the GET route's 200 schema, compiled once here. */
const serializeTokenInfo = fastJson(TokenInfoSchema);
const { 'cache-control': CACHE_CONTROL, pragma: PRAGMA, expires: EXPIRES } = NO_CACHE;
const JSON_TYPE = 'application/json; charset=utf-8';
/** The error of a token that is not good, as the bearer hook raises it (bearer.ts): built once. */
const BAD_CREDENTIALS = errors.badCredentials();
const BAD_CREDENTIALS_HEADERS = Object.entries(BAD_CREDENTIALS.options.headers ?? {}).flat();

/**
 * TokenInfo bodies serialized once per client, organization and scopes, for tokens under no
 * idle timeout (the others carry a dateTokenIdles that moves with every request): every such
 * token of one client with the same scopes has the same body, so there are as many bodies as
 * clients and scope sets, not as tokens. Clients and organizations are immutable snapshots that
 * the Directory replaces on change, so a changed one is rendered anew. Serializing was a large
 * part of the lane's own work on a GET.
 */
const BODIES_PER_CLIENT = 64;

interface TokenInfoBody {
  readonly organization: Principal['organization'];
  readonly body: string;
  /** Its Content-Length, as the header's value. */
  readonly length: string;
}

const bodies = new WeakMap<Principal['client'], Map<string, TokenInfoBody>>();

function rendered(principal: Principal): TokenInfoBody {
  const body = serializeTokenInfo(renderTokenInfo(principal));
  return { organization: principal.organization, body, length: String(Buffer.byteLength(body)) };
}

function tokenInfoBody(principal: Principal): TokenInfoBody {
  const { client, organization, token } = principal;
  if (principal.idleSeconds !== null) return rendered(principal);
  let byScopes = bodies.get(client);
  if (byScopes === undefined) bodies.set(client, (byScopes = new Map()));
  // Scopes never contain a space (RFC 6749 scope-token), so the joined list names the set in its order.
  const scopes = token.scopes.length === 0 ? '' : token.scopes.join(' ');
  const known = byScopes.get(scopes);
  if (known !== undefined && known.organization === organization) return known;
  const fresh = rendered(principal);
  // Scope lists a client's users asked for, in any order: bounded, whatever they ask.
  if (known !== undefined || byScopes.size < BODIES_PER_CLIENT) byScopes.set(scopes, fresh);
  return fresh;
}

export interface FastLaneStats {
  /** Requests the lane answered. */
  answered: number;
  /** Requests to its path that it handed to Fastify. */
  handedOn: number;
}

export interface FastLane {
  /**
   * Takes `request` and returns true (answering it, or handing it to `fastify` once its token was
   * read from the store), or returns false having written nothing.
   */
  (request: IncomingMessage, response: ServerResponse, fastify: RequestHandler): boolean;
  readonly stats: FastLaneStats;
}

export interface FastLaneDeps {
  admission: Admission;
  /** Whose idle clock an answer restarts. */
  authenticator: Authenticator;
  /** Where each answer counts for its client's usage (a Map increment). */
  usage: Pick<ClientUsage, 'count'>;
  /** Where answered requests are logged; null when nothing is logged. */
  accessLog: () => AccessLog | null;
  /**
   * Whether to hand every request to Fastify: the app is closing (Fastify then answers 503 to
   * new requests), or a test fault is set (test-controls/faults.ts), which Fastify's hook matches.
   */
  handOn: () => boolean;
  /** Where the durations of its answers are counted (metrics/route-durations.ts), by method and status. */
  durations?: Record<'GET' | 'HEAD', { ok: DurationSeries; refused: DurationSeries }>;
}

/** The operations the lane answers, admitted by the table as their Fastify routes are (tokens-me.ts). */
const OPERATION = { GET: OPERATIONS.getTokensMe, HEAD: OPERATIONS.headTokensMe } as const;

export function createFastLane({ admission, authenticator, usage, accessLog, handOn, durations }: FastLaneDeps): FastLane {
  const stats: FastLaneStats = { answered: 0, handedOn: 0 };
  const lane = (request: IncomingMessage, response: ServerResponse, fastify: RequestHandler): boolean => {
    if (request.url !== TOKENS_ME) return false;
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const started = performance.now();
    if (request.headers.origin !== undefined || handOn()) return handedOn();
    let decision: Decision | Promise<Decision>;
    try {
      decision = admission.admit(bearerToken(request.headers.authorization), OPERATION[method]);
    } catch {
      // Anything unexpected (a store that cannot answer its change version, say) is Fastify's to answer.
      return handedOn();
    }
    if (!(decision instanceof Promise)) return answered(request, response, method, decision, started) || handedOn();
    // A token not cached: read from the store, then answered here, or handed to Fastify with its decision.
    decision.then(
      (decided) => answered(request, response, method, decided, started) || handedOn(() => fastify(request, response)),
      () => {
        // Fastify's bearer hook awaits the same rejection and answers its error (a 503 for a store that cannot answer).
        leaveDecision(request, decision);
        handedOn(() => fastify(request, response));
      },
    );
    return true;
  };

  /** Counts a request handed to Fastify (`fastify` hands it on, for one the lane took), and returns false. */
  function handedOn(fastify?: () => void): false {
    stats.handedOn++;
    fastify?.();
    return false;
  }

  /**
   * Answers a decided request and counts it, when the decision is one the lane answers: a success,
   * or a token that is not good. Otherwise leaves the decision for the bearer hook and returns false
   * having written nothing.
   */
  function answered(request: IncomingMessage, response: ServerResponse, method: 'GET' | 'HEAD', decision: Decision, started: number): boolean {
    if (decision.refusal !== null && decision.refusal !== 'bad-credentials') {
      // Decided (and counted) once: the bearer hook answers it from here.
      leaveDecision(request, decision);
      return false;
    }
    try {
      if (decision.refusal === null) answer(response, method, decision, started);
      else refuse(response, method, started);
    } catch {
      // Anything unexpected before a byte was written is Fastify's to answer, with the decision.
      if (!response.headersSent) {
        leaveDecision(request, decision);
        return false;
      }
    }
    // Counted as plain numbers, read at scrape (metrics/registry.ts); core counted the validation.
    stats.answered++;
    return true;
  }

  function answer(response: ServerResponse, method: 'GET' | 'HEAD', { principal, rate }: Admitted, started: number): void {
    authenticator.touch(principal);
    const id = randomUUID();
    // A flat list, in the order Fastify sends them: node:http takes it as it is.
    const headers = [
      'cache-control',
      CACHE_CONTROL,
      'pragma',
      PRAGMA,
      'expires',
      EXPIRES,
      'inin-correlation-id',
      id,
      'genesys-correlation-id',
      id,
      'inin-ratelimit-count',
      String(rate.count),
      'inin-ratelimit-allowed',
      String(rate.allowed),
      'inin-ratelimit-reset',
      String(rate.resetSeconds),
    ];
    if (method === 'GET') {
      const { body, length } = tokenInfoBody(principal);
      headers.push('content-type', JSON_TYPE, 'content-length', length);
      response.writeHead(200, headers);
      response.end(body);
    } else {
      // As Fastify answers: a HEAD carries no Content-Type or Content-Length.
      response.writeHead(200, headers);
      response.end();
    }
    record(method, 200, started, id, principal.client.id);
    usage.count(principal, method, TOKENS_ME, 200);
  }

  /**
   * The 401 the error handler sends for a bad token (error-handler.ts, sendErrorBody), in its order
   * of headers; a HEAD's body is dropped by node:http, its Content-Length kept, as for Fastify's.
   */
  function refuse(response: ServerResponse, method: 'GET' | 'HEAD', started: number): void {
    const id = randomUUID();
    const body = JSON.stringify(errorBody(BAD_CREDENTIALS, id));
    response.writeHead(401, [
      ...BAD_CREDENTIALS_HEADERS,
      'content-type',
      JSON_TYPE,
      'inin-correlation-id',
      id,
      'genesys-correlation-id',
      id,
      'cache-control',
      CACHE_CONTROL,
      'pragma',
      PRAGMA,
      'expires',
      EXPIRES,
      'content-length',
      String(Buffer.byteLength(body)),
    ]);
    response.end(method === 'GET' ? body : undefined);
    record(method, 401, started, id, null);
  }

  /** The access line and duration of an answer the lane wrote. */
  function record(method: 'GET' | 'HEAD', status: 200 | 401, started: number, id: string, clientId: string | null): void {
    const elapsed = performance.now() - started;
    accessLog()?.record(id, method, TOKENS_ME, status, elapsed, clientId);
    durations?.[method][status === 200 ? 'ok' : 'refused'].observe(elapsed / 1000);
  }

  return Object.assign(lane, { stats });
}
