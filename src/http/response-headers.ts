/**
 * Headers of the contract on every response (CONTRACT.md, "Response headers on /api/v2"):
 * the correlation id (also the ErrorBody's contextId), no caching, and the rate-limit state.
 */
import type { FastifyInstance } from 'fastify';

export const NO_CACHE = { 'cache-control': 'no-cache, no-store, must-revalidate', pragma: 'no-cache', expires: '0' };

export function registerResponseHeaders(app: FastifyInstance): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('rate', null);
  // A callback hook, not an async one: it runs on every response, and an async hook costs a
  // promise and a microtask turn per request for work that never waits.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('inin-correlation-id', request.id);
    reply.header('genesys-correlation-id', request.id);
    if (request.url.startsWith('/api/')) reply.headers(NO_CACHE);
    const rate = request.rate;
    if (rate) {
      reply.header('inin-ratelimit-count', String(Math.min(rate.count, rate.allowed)));
      reply.header('inin-ratelimit-allowed', String(rate.allowed));
      reply.header('inin-ratelimit-reset', String(rate.resetSeconds));
    }
    done(null, payload);
  });
}
