/** Liveness (the process answers) and readiness (the store answers). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';

const Status = Type.Object({ status: Type.String() });

export function healthRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  app.get('/health/live', { schema: { tags: ['Health'], response: { 200: Status } } }, async () => ({ status: 'live' }));
  app.get('/health/ready', { schema: { tags: ['Health'], response: { 200: Status, 503: Status } } }, async (_request, reply) => {
    try {
      await services.store.ping();
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
}
