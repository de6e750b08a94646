/**
 * Client-credentials issuance without the framework: `POST /oauth/token` with HTTP Basic and
 * the body `grant_type=client_credentials`, issued by core's token endpoint and answered straight
 * from node:http, as the fast lane (fast-lane.ts) answers a cached token's `GET`.
 *
 * After `GET /tokens/me`, issuing a service's token is what tokend does most, and Fastify's
 * per-request machinery (hooks, body parser, schema validation and serialization) was a large
 * share of it; in a mixed load the two paths through Fastify also evicted each other's code
 * (docs/performance.md, "The mixed workload"). The lane takes only that request, as the SDKs
 * and curl send it; it decides from the headers whether it may (no Origin, no proxy to trust, a
 * small form body of known length, a readable Basic credential without NUL, no test fault set, the server
 * not closing), then reads the body. Anything else goes to Fastify: before the body was read
 * as it is; after, with the body given back to Fastify's parser ({@link replayBody}). A refused
 * issuance (a wrong secret, a throttle, a disabled client, a store failure) goes to Fastify with
 * the refusal ({@link takeExchange}), so that it is decided and counted once and every error is
 * answered in one place (error-handler.ts). test/http/issuance-lane.test.ts holds the lane's
 * answers byte for byte to the route's.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import fastJson from 'fast-json-stringify';
import { parseBasicAuthorization } from '../core/basic-authorization.js';
import type { IssuedTokens } from '../core/issuer.js';
import type { TokenEndpoint } from '../core/token-endpoint.js';
import type { AccessLog } from './access-log.js';
import type { DurationSeries } from './metrics/custom-metrics.js';
import { credentialHoldsNul } from './nul-guard.js';
import { FORM, NO_STORE } from './oauth-form.js';
import { OAuthTokenResponseSchema } from './schemas.js';

const TOKEN_ENDPOINT = '/oauth/token';
/** The one body the lane issues for; any other form (scopes, other grants, extra fields) is Fastify's. */
const CLIENT_CREDENTIALS = 'grant_type=client_credentials';
const BODY_LENGTH = String(Buffer.byteLength(CLIENT_CREDENTIALS));
const FORM_FIELDS = { grant_type: 'client_credentials' } as const;
/** Bodies up to this length are read in the lane (to be given back if they are not its one body); longer ones are Fastify's from the start. */
const MAX_READ = 1024;
/** The serializer Fastify compiles for the route's 200 schema, compiled once here. */
const serializeIssued = fastJson(OAuthTokenResponseSchema);
const JSON_TYPE = 'application/json; charset=utf-8';
const { 'cache-control': CACHE_CONTROL, pragma: PRAGMA } = NO_STORE;

/**
 * What the lane leaves for the route, by request: the body it read, and the refusal of an
 * issuance it began. WeakMaps rather than properties, so that node's request objects keep one shape.
 */
const readBodies = new WeakMap<IncomingMessage, Buffer>();
const leftExchanges = new WeakMap<IncomingMessage, Promise<IssuedTokens>>();

/**
 * The route's preParsing hook: the body the lane read, as a stream for Fastify's parser (which
 * checks its length against Content-Length as it would the socket's), or the request as it came.
 */
export function replayBody(raw: IncomingMessage, payload: Readable): Readable {
  const body = readBodies.get(raw);
  if (body === undefined) return payload;
  readBodies.delete(raw);
  return Readable.from([body]);
}

/** The issuance the lane began for `raw` and did not answer (it was refused), or undefined. */
export function takeExchange(raw: IncomingMessage): Promise<IssuedTokens> | undefined {
  const left = leftExchanges.get(raw);
  if (left !== undefined) leftExchanges.delete(raw);
  return left;
}

export interface IssuanceLaneStats {
  /** Tokens the lane issued and answered. */
  answered: number;
  /** Requests to its path that it handed to Fastify (a refusal among them). */
  handedOn: number;
}

/** Fastify's request handler: where a request the lane does not answer goes. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface IssuanceLane {
  /** Takes `request` and returns true (answering it, or handing it to `fastify` later), or returns false having read nothing. */
  (request: IncomingMessage, response: ServerResponse, fastify: RequestHandler): boolean;
  readonly stats: IssuanceLaneStats;
}

export interface IssuanceLaneDeps {
  tokenEndpoint: Pick<TokenEndpoint, 'exchange'>;
  /** Where answered requests are logged; null when nothing is logged. */
  accessLog: () => AccessLog | null;
  /** Whether to hand every request to Fastify (the app closing, a test fault set), as for the fast lane. */
  handOn: () => boolean;
  /** Proxies are trusted: the caller's address is then Fastify's to work out, from X-Forwarded-For. */
  trustsProxies: boolean;
  /** Where the durations of its answers are counted (metrics/route-durations.ts). */
  durations?: DurationSeries;
}

export function createIssuanceLane({ tokenEndpoint, accessLog, handOn, trustsProxies, durations }: IssuanceLaneDeps): IssuanceLane {
  const stats: IssuanceLaneStats = { answered: 0, handedOn: 0 };

  const lane = (request: IncomingMessage, response: ServerResponse, fastify: RequestHandler): boolean => {
    if (request.url !== TOKEN_ENDPOINT || request.method !== 'POST') return false;
    const { headers } = request;
    const length = headers['content-length'];
    const type = headers['content-type'];
    // The credential core will read (it parses it again): a header it cannot read, or one the
    // NUL guard refuses, is the route's to answer.
    const credential = parseBasicAuthorization(headers.authorization);
    if (
      trustsProxies ||
      headers.origin !== undefined ||
      (type !== undefined && type !== FORM) ||
      headers['transfer-encoding'] !== undefined ||
      length === undefined ||
      !(Number(length) <= MAX_READ) ||
      credential === null ||
      credentialHoldsNul(credential) ||
      handOn()
    ) {
      stats.handedOn++;
      return false;
    }
    const started = performance.now();
    readBody(request, (body) => {
      // Not the lane's one body: Fastify reads it as it would have, from the lane's copy.
      if (body.length !== CLIENT_CREDENTIALS.length || length !== BODY_LENGTH || body.toString('latin1') !== CLIENT_CREDENTIALS) {
        handOnWith(request, response, fastify, body, undefined);
        return;
      }
      const exchange = tokenEndpoint.exchange({
        form: { ...FORM_FIELDS },
        authorization: headers.authorization,
        address: request.socket.remoteAddress,
      });
      exchange.then(
        (issued) => {
          try {
            answer(response, issued, started);
          } catch {
            // Unexpected (nothing in answer() should throw): the token is stored, so the route answers it.
            if (!response.headersSent) handOnWith(request, response, fastify, body, exchange);
          }
        },
        () => handOnWith(request, response, fastify, body, exchange),
      );
    });
    return true;
  };

  function answer(response: ServerResponse, issued: IssuedTokens, started: number): void {
    const id = randomUUID();
    const body = serializeIssued({ access_token: issued.accessToken, token_type: 'bearer', expires_in: issued.expiresIn });
    // A flat list, in the order Fastify sends them: node:http takes it as it is.
    response.writeHead(200, [
      'cache-control',
      CACHE_CONTROL,
      'pragma',
      PRAGMA,
      'content-type',
      JSON_TYPE,
      'inin-correlation-id',
      id,
      'genesys-correlation-id',
      id,
      'content-length',
      String(Buffer.byteLength(body)),
    ]);
    response.end(body);
    stats.answered++;
    const elapsed = performance.now() - started;
    accessLog()?.record(id, 'POST', TOKEN_ENDPOINT, 200, elapsed, issued.clientId);
    durations?.observe(elapsed / 1000);
  }

  function handOnWith(
    request: IncomingMessage,
    response: ServerResponse,
    fastify: RequestHandler,
    body: Buffer,
    exchange: Promise<IssuedTokens> | undefined,
  ): void {
    stats.handedOn++;
    readBodies.set(request, body);
    if (exchange !== undefined) leftExchanges.set(request, exchange);
    fastify(request, response);
  }

  return Object.assign(lane, { stats });
}

/**
 * The whole body (its length was checked against MAX_READ from Content-Length, which node holds
 * the stream to). A request that ends early is answered by no one, as Fastify answers it: its socket is gone.
 */
function readBody(request: IncomingMessage, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
}
