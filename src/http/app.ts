/**
 * `buildHttpApp(wiring)`: the Fastify app over services already built, never listening. The
 * composition root (src/server/build-app.ts, `buildApp`) opens the store, builds the services and
 * calls this; tests drive the result in process with `app.inject` and the CLI only adds `listen`
 * (STYLE.md, "The shape"). The routes are registered by scope (scopes.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import pino from 'pino';
import { DEFAULTS, type TokendConfig } from '../config.js';
import type { Services } from '../core/services.js';
import type { ReadinessPort } from '../core/ports/readiness-port.js';
import { AccessLog, registerAccessLog } from './access-log.js';
import { bearerHook } from './bearer.js';
import { registerContentTypes } from './content-types.js';
import { registerCors } from './cors.js';
import { frameworkErrorHandler, registerErrorHandling } from './error-handler.js';
import { createFastLane, type FastLaneStats } from './fast-lane.js';
import { createIssuanceLane, type IssuanceLaneStats } from './issuance-lane.js';
import { loggerOptions } from './logging.js';
import { registerNulGuard } from './nul-guard.js';
import { listenForMetrics } from './metrics/endpoint.js';
import { createMetrics, type AppMetrics } from './metrics/registry.js';
import { RouteDurations, UNMATCHED_ROUTE } from './metrics/route-durations.js';
import type { StoreTimings } from './metrics/store-timings.js';
import { originForm } from './request-target.js';
import { registerResponseHeaders } from './response-headers.js';
import { registerScopes } from './scopes.js';
import { registerValidation } from './validation.js';
import { registerFaultHook, tokenEndpointFaults } from './test-controls/fault-hook.js';
import { FaultList } from './test-controls/faults.js';

declare module 'fastify' {
  interface FastifyInstance {
    tokend: Services;
    /** What the node:http fast lane answered (fast-lane.ts); null when it is off. */
    fastLane: FastLaneStats | null;
    /** What the node:http issuance lane answered (issuance-lane.ts); null when it is off. */
    issuanceLane: IssuanceLaneStats | null;
    /** The app's metrics; `listen` opens the metrics port (`TOKEND_METRICS_PORT`), closed with the app. */
    metrics: AppMetrics & { listen(host: string, port: number): Promise<Server> };
  }
}

/** What the HTTP layer reads of the configuration; the composition root reads the rest. */
export type HttpSettings = Pick<
  TokendConfig,
  | 'logger'
  | 'bodyLimit'
  | 'headersTimeoutMs'
  | 'requestTimeoutMs'
  | 'fastLane'
  | 'trustedProxies'
  | 'slowRequestMs'
  | 'metricsToken'
  | 'rateLimitPerMinute'
  | 'testControlsToken'
>;

/** What the composition root hands the HTTP layer. */
export interface HttpWiring {
  services: Services;
  /** The store itself, not the timed one the services use: its connection state, for metrics. */
  store: ReadinessPort;
  /** The timings the services' store records, for metrics. */
  storeTimings: StoreTimings;
  /** The configured public URL (`TOKEND_PUBLIC_URL`), already checked: the metadata's `issuer`. */
  issuer: string;
  /** The token cache's capacity, for metrics. */
  tokenCacheSize: number;
  settings: HttpSettings;
}

/**
 * How often node looks for requests past their headers or request timeout: a slow client is
 * cut off at most this long after its limit. The check walks only connections with a request
 * under way (node's ConnectionsList), not idle keep-alive ones.
 */
const CONNECTIONS_CHECK_INTERVAL_MS = 1000;

export async function buildHttpApp({ services, store, storeTimings, issuer, tokenCacheSize, settings: config }: HttpWiring): Promise<FastifyInstance> {
  const bodyLimit = config.bodyLimit ?? DEFAULTS.bodyLimit;
  const headersTimeout = config.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs;
  const requestTimeout = config.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;

  const { admission } = services;
  // pino's own default (stdout, a synchronous write per line) unless the caller gives a
  // destination: `tokend serve` gives a buffered one (logging.ts) and flushes it before it exits.
  const logStream = config.logger === false ? null : (config.logger?.stream ?? pino.destination({ dest: 1, sync: true }));
  // Known once Fastify has built its logger; null when nothing is logged.
  let accessLog: AccessLog | null = null;
  let closing = false;
  const durations = new RouteDurations();
  // Test controls on (core built a test clock): faults too. Off, nothing of theirs is registered.
  const faults = services.testClock === null ? null : new FaultList();
  const fastLane =
    config.fastLane === false
      ? null
      : createFastLane({
          admission,
          authenticator: services.authenticator,
          usage: services.clientUsage,
          accessLog: () => accessLog,
          // With a fault set, every request goes to Fastify, where faults are matched: one check while none is.
          handOn: faults === null ? () => closing : () => closing || faults.size > 0,
          durations: {
            GET: { ok: durations.series('GET', '/api/v2/tokens/me', 200), refused: durations.series('GET', '/api/v2/tokens/me', 401) },
            HEAD: { ok: durations.series('HEAD', '/api/v2/tokens/me', 200), refused: durations.series('HEAD', '/api/v2/tokens/me', 401) },
          },
        });
  const trustedProxies = config.trustedProxies !== undefined && config.trustedProxies.length > 0 ? config.trustedProxies : false;
  // The same setting as the fast lane: both are node:http paths in front of Fastify.
  const issuanceLane =
    config.fastLane === false
      ? null
      : createIssuanceLane({
          tokenEndpoint: services.tokenEndpoint,
          accessLog: () => accessLog,
          handOn: faults === null ? () => closing : () => closing || faults.size > 0,
          trustsProxies: trustedProxies !== false,
          durations: durations.series('POST', '/oauth/token', 200),
        });
  const metrics = createMetrics({
    services,
    store,
    storeTimings,
    fastLane: fastLane?.stats ?? null,
    issuanceLane: issuanceLane?.stats ?? null,
    routeDurations: durations,
    tokenCacheCapacity: tokenCacheSize,
  });

  const app = Fastify({
    // The server Fastify would make, with the fast lane in front of its handler.
    serverFactory: (handler) => {
      const server = createServer(
        // Slow clients are cut off (408, then the connection closes); node checks only every 30 s unless told.
        { headersTimeout, requestTimeout, connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS },
        fastLane && issuanceLane
          ? (request, response) => fastLane(request, response, handler) || issuanceLane(request, response, handler) || handler(request, response)
          : handler,
      );
      // Fastify's own settings for the server it would make: idle keep-alive connections last 72 s.
      server.keepAliveTimeout = 72_000;
      server.setTimeout(0);
      return server;
    },
    logger: loggerOptions(config.logger === false || logStream === null ? false : { ...config.logger, stream: logStream }),
    // Fastify's two lines per request ('incoming request', 'request completed') give way to one access line (access-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    genReqId: () => randomUUID(),
    // Off unless the operator names its proxies: anyone could otherwise choose the address the
    // throttles count them under, and claim https (CONTRACT.md, "Sign-in and client-authentication throttling").
    trustProxy: trustedProxies,
    exposeHeadRoutes: false,
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler(bodyLimit, () => accessLog),
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 500 },
    // An absolute-form target is routed, checked and logged by its path (request-target.ts).
    rewriteUrl: (request) => originForm(request.url ?? '/'),
  });
  if (logStream !== null) accessLog = new AccessLog({ stream: logStream, logger: app.log, slowRequestMs: config.slowRequestMs ?? DEFAULTS.slowRequestMs });
  // The audit trail's lines go to the log, beside the access lines (none when nothing is logged).
  if (accessLog !== null) services.audit.to((entry) => accessLog?.audit(entry));
  app.decorate('tokend', services);
  app.decorate('fastLane', fastLane?.stats ?? null);
  app.decorate('issuanceLane', issuanceLane?.stats ?? null);
  let metricsServer: Server | null = null;
  app.decorate('metrics', {
    ...metrics,
    listen: async (host: string, port: number) => (metricsServer = await listenForMetrics(metrics.registry, host, port)),
  });
  // Labelled by the route template Fastify matched, never the path sent (route-durations.ts).
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.is404 === true ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
    durations.series(request.method, route, reply.statusCode).observe(reply.elapsedTime / 1000);
    // An /api/v2 request of an authenticated token counts for its client's usage (a Map increment).
    if (request.principal) services.clientUsage.count(request.principal, request.method, route, reply.statusCode);
    done();
  });
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  registerValidation(app);
  registerContentTypes(app);
  registerNulGuard(app);
  registerErrorHandling(app, bodyLimit);
  registerResponseHeaders(app);
  if (accessLog) registerAccessLog(app, accessLog);
  registerCors(app);
  const rateLimitPerMinute = config.rateLimitPerMinute ?? DEFAULTS.rateLimitPerMinute;
  if (faults !== null) registerFaultHook(app, faults, rateLimitPerMinute);
  await app.register(swagger, {
    exposeHeadRoutes: true,
    // @fastify/swagger suffixes HEAD operation ids with "-head" (written for implicit HEAD
    // routes); ours are explicit and named as in the Genesys API (headTokensMe).
    transformObject: (document) => {
      const paths = ('openapiObject' in document ? document.openapiObject.paths : undefined) ?? {};
      for (const item of Object.values(paths) as Array<{ head?: { operationId?: string } }>) {
        const head = item.head;
        if (head?.operationId?.endsWith('-head')) head.operationId = head.operationId.slice(0, -'-head'.length);
      }
      return 'openapiObject' in document ? document.openapiObject : document.swaggerObject;
    },
    openapi: {
      openapi: '3.0.3',
      info: { title: 'tokend', description: 'The Genesys Cloud Tokens API and the OAuth endpoints that issue its tokens', version: '0.1.0' },
      components: { securitySchemes: { 'PureCloud OAuth': { type: 'http', scheme: 'bearer' } } },
    },
  });

  await registerScopes(app, {
    services,
    admit: bearerHook(admission),
    bodyLimit,
    issuer,
    metricsRegistry: metrics.registry,
    metricsToken: config.metricsToken,
    tokenFaults: tokenEndpointFaults(faults, rateLimitPerMinute),
    testControls:
      services.testClock === null || faults === null
        ? null
        : { testClock: services.testClock, faults, token: config.testControlsToken, requestTimeoutMs: requestTimeout },
  });

  app.addHook('onClose', async () => {
    if (metricsServer !== null) {
      const server = metricsServer;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  return app;
}
