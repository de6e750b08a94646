/** Liveness (the process answers) and readiness (the store answers and takes writes: core/readiness.ts), which says when test controls are on. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';

const Status = Type.Object({
  status: Type.String(),
  reason: Type.Optional(Type.String()),
  /** Present, and true, only when the server started with `TOKEND_TEST_CONTROLS=1`. */
  testControls: Type.Optional(Type.Boolean()),
});

export function healthRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  const testControls = services.testClock !== null;
  app.get('/health/live', { schema: { tags: ['Health'], response: { 200: Status } } }, async () => ({ status: 'live' }));
  app.get('/health/ready', { schema: { tags: ['Health'], response: { 200: Status, 503: Status } } }, async (_request, reply) => {
    const readiness = await services.readiness.check();
    const flag = testControls ? { testControls: true } : {};
    if (!readiness.ready) return reply.code(503).send({ status: 'unavailable', reason: readiness.reason, ...flag });
    return { status: 'ready', ...flag };
  });
}
