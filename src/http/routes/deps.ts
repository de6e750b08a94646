/** What route modules receive from the app factory. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../core/services.js';

/** The services without their store: a route asks core, which decides what the store is asked. */
export type RouteServices = Omit<Services, 'store'>;

export interface RouteDeps {
  services: RouteServices;
  /** onRequest hook: authenticates the bearer token and applies the rate limit. */
  authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
}
