/** What route modules receive from the app factory. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../core/services.js';

export interface RouteDeps {
  services: Services;
  /** onRequest hook: authenticates the bearer token and applies the rate limit. */
  authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
}
