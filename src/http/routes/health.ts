/** Liveness (the process answers) and readiness (the store answers and takes writes). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import type { RouteDeps } from './deps.js';

const Status = Type.Object({ status: Type.String(), reason: Type.Optional(Type.String()) });

/** How long one write probe answers readiness: a flood of checks costs at most one probe a second. */
const WRITE_PROBE_REUSE_MS = 1000;

export function healthRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  const writable = writeProbe(services.store);
  app.get('/health/live', { schema: { tags: ['Health'], response: { 200: Status } } }, async () => ({ status: 'live' }));
  app.get('/health/ready', { schema: { tags: ['Health'], response: { 200: Status, 503: Status } } }, async (_request, reply) => {
    try {
      await services.store.ping();
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', reason: `the store cannot be read${codeOf(error)}` });
    }
    const refused = await writable();
    if (refused !== null) return reply.code(503).send({ status: 'unavailable', reason: `the store does not accept writes${refused}` });
    return { status: 'ready' };
  });
}

/**
 * The store's {@link Store.probeWrite}, run at most once per {@link WRITE_PROBE_REUSE_MS} and
 * shared by the checks that arrive meanwhile. Resolves to null when the store took the write,
 * else to the cause's code in parentheses. A request never writes for readiness's sake.
 */
function writeProbe(store: Store): () => Promise<string | null> {
  let last: Promise<string | null> | null = null;
  let startedAt = Number.NEGATIVE_INFINITY;
  return () => {
    const now = performance.now();
    if (last === null || now - startedAt >= WRITE_PROBE_REUSE_MS) {
      startedAt = now;
      last = store.probeWrite().then(
        () => null,
        (error: unknown) => codeOf(error),
      );
    }
    return last;
  };
}

/** ` (SQLITE_BUSY)`, ` (25006)`: the code of the failure or of what it wraps, never its message (it may name hosts or users). */
function codeOf(error: unknown): string {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return ` (${code})`;
  }
  return '';
}
