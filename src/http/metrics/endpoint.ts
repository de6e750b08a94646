/**
 * `GET /metrics` (Prometheus text format), and who may read it:
 * - with `TOKEND_METRICS_TOKEN` set, a caller sending `Authorization: Bearer <that token>`, from
 *   anywhere (and no one without it, loopback included: a proxy on the same host would
 *   otherwise make every caller loopback); 401 otherwise, as the API answers a missing or wrong token;
 * - without it, only a loopback caller, judged by the socket's peer address (never
 *   X-Forwarded-For), and not through a proxy (a request carrying `Forwarded`, `X-Forwarded-For`,
 *   `X-Real-IP` or `Via` came through one: {@link cameThroughProxy}); anyone else gets the 404 of
 *   an unknown path.
 * With `TOKEND_METRICS_PORT` set, a listener of its own on that port serves `/metrics` to
 * any caller ({@link listenForMetrics}): the port is for a network that only Prometheus reaches.
 * The route is left out of the OpenAPI document: it is not part of the Genesys API.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { errors } from '../../core/errors.js';
import { bearerToken } from '../bearer.js';
import { errorBody } from '../error-handler.js';
import { cameThroughProxy } from '../proxy-headers.js';
import { originForm } from '../request-target.js';
import { NO_CACHE } from '../response-headers.js';

export const METRICS_PATH = '/metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Peer addresses of this host: IPv4 127/8, IPv6 ::1, and 127/8 mapped into IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export function metricsRoute(app: FastifyInstance, registry: Registry, token: string | undefined): void {
  // Compared as SHA-256 digests: equal lengths for timingSafeEqual, and the time tells nothing of the token.
  const expected = token === undefined ? null : digest(token);
  const refusal = (request: FastifyRequest) => {
    if (expected !== null) {
      const sent = bearerToken(request.headers.authorization);
      if (sent === null) return errors.authenticationRequired();
      return timingSafeEqual(digest(sent), expected) ? null : errors.badCredentials();
    }
    return isLoopback(request.socket.remoteAddress) && !cameThroughProxy(request.headers) ? null : errors.notFound();
  };
  app.get(METRICS_PATH, { schema: { hide: true } }, async (request, reply) => {
    // A scrape is never to be cached, nor a refusal.
    reply.headers(NO_CACHE);
    const refused = refusal(request);
    if (refused !== null) throw refused;
    const body = await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
}

/** Serves `/metrics` alone, to any caller, on `port` of `host`; rejects naming the setting when it cannot listen. */
export async function listenForMetrics(registry: Registry, host: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const path = originForm(request.url ?? '').split('?', 1)[0];
    if (path !== METRICS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) {
      const id = randomUUID();
      response.writeHead(404, { ...NO_CACHE, 'content-type': 'application/json', 'inin-correlation-id': id });
      response.end(JSON.stringify(errorBody(errors.notFound(), id)));
      return;
    }
    registry.metrics().then(
      (body) => {
        response.writeHead(200, { ...NO_CACHE, 'content-type': registry.contentType });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      () => {
        response.writeHead(500, { ...NO_CACHE });
        response.end();
      },
    );
  });
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`TOKEND_METRICS_PORT=${port}: cannot listen on ${host}:${port}: ${error.message}`, { cause: error })));
    server.listen(port, host, () => resolve());
  });
  return server;
}

export function metricsPortOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
