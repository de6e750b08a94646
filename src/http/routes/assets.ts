/**
 * The pages' stylesheet and script, served from our origin so the CSP needs neither
 * 'unsafe-inline' nor another host. Both are cached an hour, alike: a new release shows within it.
 */
import type { FastifyInstance } from 'fastify';
import { SCRIPT } from '../pages/assets/script.js';
import { STYLESHEET } from '../pages/assets/stylesheet.js';

const CACHED = { 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' };

export function assetRoutes(app: FastifyInstance): void {
  app.get('/assets/tokend.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.headers({ 'content-type': 'text/css; charset=utf-8', ...CACHED }).send(STYLESHEET),
  );
  app.get('/assets/tokend.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.headers({ 'content-type': 'text/javascript; charset=utf-8', ...CACHED }).send(SCRIPT),
  );
}
