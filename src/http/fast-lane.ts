/**
 * The hot path without the framework: `GET` and `HEAD /api/v2/tokens/me` with a token already
 * in the cache, answered straight from node:http.
 *
 * Validating a bearer token is what tokend does most, and Fastify's per-request machinery
 * (request and reply objects, a child logger, hook runners, promises) costs more than the
 * validation itself (docs/performance.md). The lane asks core's admission (core/admission.ts)
 * as the bearer hook does, and answers only what is decided in memory: a plain success, or the
 * 401 of a cached token that is no longer good (revoked, expired, disabled), which an app keeps
 * sending until it signs in again. Everything else goes to Fastify (a query string, an Origin
 * header, a server closing, a test fault set, a token not cached, any other refusal), with the
 * decision when one was taken, so that no request is decided or counted twice.
 * test/http/fast-lane.test.ts holds its answers byte for byte to those of the Fastify routes,
 * and it writes the same access line as they do (access-log.ts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fastJson from 'fast-json-stringify';
import type { Admission, Decision } from '../core/admission.js';
import { errors } from '../core/errors.js';
import type { Authenticator } from '../core/authenticator.js';
import type { ClientUsage } from '../core/client-usage.js';
import { OPERATIONS } from '../core/operations/table.js';
import type { Principal } from '../core/principal.js';
import type { AccessLog } from './access-log.js';
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
  /** Answers `request` and returns true, or returns false having written nothing. */
  (request: IncomingMessage, response: ServerResponse): boolean;
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

/**
 * The 401 the error handler sends for a bad token (error-handler.ts, sendErrorBody), in its order
 * of headers; a HEAD's body is dropped by node:http, its Content-Length kept, as for Fastify's.
 */
function refuse(response: ServerResponse, method: 'GET' | 'HEAD', id: string): void {
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
}

export function createFastLane({ admission, authenticator, usage, accessLog, handOn, durations }: FastLaneDeps): FastLane {
  const stats: FastLaneStats = { answered: 0, handedOn: 0 };
  const lane = (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.url !== TOKENS_ME) return false;
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (answered(request, response, method)) {
      // Counted as plain numbers, read at scrape (metrics/registry.ts); core counted the validation.
      stats.answered++;
      return true;
    }
    stats.handedOn++;
    return false;
  };

  function answered(request: IncomingMessage, response: ServerResponse, method: 'GET' | 'HEAD'): boolean {
    const started = performance.now();
    if (request.headers.origin !== undefined || handOn()) return false;
    let decision: Decision | Promise<Decision> | undefined;
    try {
      decision = admission.admit(bearerToken(request.headers.authorization), OPERATION[method]);
      if (decision instanceof Promise || (decision.refusal !== null && decision.refusal !== 'bad-credentials')) {
        // Decided (and counted) once: the bearer hook answers it from here.
        leaveDecision(request, decision);
        return false;
      }
      const id = randomUUID();
      if (decision.refusal !== null) {
        refuse(response, method, id);
        record(method, 401, started, id, null);
        return true;
      }
      const { principal, rate } = decision;
      authenticator.touch(principal);
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
      return true;
    } catch {
      // Anything unexpected (a store that cannot answer its change version, say) is Fastify's to
      // answer, with the decision if one was taken.
      if (response.headersSent) return true;
      if (decision !== undefined) leaveDecision(request, decision);
      return false;
    }
  }
  /** The access line and duration of an answer the lane wrote. */
  function record(method: 'GET' | 'HEAD', status: 200 | 401, started: number, id: string, clientId: string | null): void {
    const elapsed = performance.now() - started;
    accessLog()?.record(id, method, TOKENS_ME, status, elapsed, clientId);
    durations?.[method][status === 200 ? 'ok' : 'refused'].observe(elapsed / 1000);
  }

  return Object.assign(lane, { stats });
}
