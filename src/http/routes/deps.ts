/** What route modules receive from the app factory. */
import type { FastifyRequest } from 'fastify';
import type { Services } from '../../core/services.js';

/** The services without their store: a route asks core, which decides what the store is asked. */
export type RouteServices = Omit<Services, 'store'>;

/** What the OAuth endpoints and the pages receive; the /api/v2 operations get only the services each names. */
export interface RouteDeps {
  services: RouteServices;
  /** With test controls on, the token endpoint's faults, taken once its client authenticated (test-controls/fault-hook.ts). */
  tokenFaults?: ((request: FastifyRequest) => (clientId: string) => Promise<void>) | null;
}
