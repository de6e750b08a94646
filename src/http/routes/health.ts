/** Liveness (the process answers) and readiness (the store answers and takes writes: core/readiness.ts). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';

const Status = Type.Object({ status: Type.String(), reason: Type.Optional(Type.String()) });

export function healthRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  app.get('/health/live', { schema: { tags: ['Health'], response: { 200: Status } } }, async () => ({ status: 'live' }));
  app.get('/health/ready', { schema: { tags: ['Health'], response: { 200: Status, 503: Status } } }, async (_request, reply) => {
    const readiness = await services.readiness.check();
    if (!readiness.ready) return reply.code(503).send({ status: 'unavailable', reason: readiness.reason });
    return { status: 'ready' };
  });
}
