/**
 * Where faults are applied (faults.ts): after authentication, before the handler. A preHandler
 * hook on every route runs after the bearer hook (an /api/v2 fault can name the token's client)
 * and after validation; `/oauth/token` authenticates its client inside the handler, so its
 * faults are taken there, right after the client authenticated (core/grants/grant.ts). Registered
 * only with test controls on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, OAuthError } from '../../core/errors.js';
import type { Fault, FaultList } from './faults.js';

export const TEST_CONTROLS_PREFIX = '/api/v2/tokend/test/';
const TOKEN_ENDPOINT = '/oauth/token';

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Waits the fault's delay, then throws its error (none for a delay alone: the real answer follows). */
async function apply(fault: Fault, request: FastifyRequest, allowedPerMinute: number): Promise<void> {
  const { status, retryAfterSeconds, delayMs } = fault.respond;
  if (delayMs !== undefined && delayMs > 0) await sleep(delayMs);
  if (status === undefined) return;
  const retryAfter = retryAfterSeconds ?? (status === 429 ? 1 : undefined);
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
  // The rate-limit headers of a 429 as a real one carries them (response-headers.ts writes them).
  if (status === 429) request.rate = { count: allowedPerMinute + 1, allowed: allowedPerMinute, resetSeconds: retryAfter ?? 1 };
  const message = `fault.injected: an answer of ${status} set through the test controls`;
  if (request.url.startsWith('/oauth/')) {
    throw new OAuthError(status, status === 429 || status === 503 ? 'temporarily_unavailable' : 'server_error', message, headers);
  }
  throw new ApiError(status, 'fault.injected', message, { headers });
}

export function registerFaultHook(app: FastifyInstance, faults: FaultList, allowedPerMinute: number): void {
  app.addHook('preHandler', async (request) => {
    if (faults.size === 0) return;
    // Fastify writes `/api/v2/users/:userId`; a fault names it as the API's documents do, `{userId}`.
    const route = request.routeOptions.url?.replace(/:(\w+)/g, '{$1}');
    if (route === TOKEN_ENDPOINT || request.url.startsWith(TEST_CONTROLS_PREFIX)) return;
    const fault = faults.take({ method: request.method, route, path: pathOf(request.url), clientId: request.principal?.client.id ?? null });
    if (fault !== null) await apply(fault, request, allowedPerMinute);
  });
}

/** The token endpoint's faults, once `clientId` authenticated (TokenRequest.afterClientAuth); null with test controls off. */
export function tokenEndpointFaults(faults: FaultList | null, allowedPerMinute: number) {
  if (faults === null) return null;
  return (request: FastifyRequest) =>
    async (clientId: string): Promise<void> => {
      if (faults.size === 0) return;
      const fault = faults.take({ method: request.method, route: TOKEN_ENDPOINT, path: TOKEN_ENDPOINT, clientId });
      if (fault !== null) await apply(fault, request, allowedPerMinute);
    };
}
