/**
 * The bearer hook of /api/v2 (CONTRACT.md, "Bearer tokens on /api/v2"): reads
 * `Authorization: Bearer <token>` (scheme case-insensitive, never the query string) and asks
 * core's admission (src/core/admission.ts) whether the request is let into its operation
 * (scope, person, permission, rate limit as the table of operations says), unless the fast lane
 * already asked for this request and handed it on with the decision; a refusal becomes its error.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Admission, Decision, Refusal } from '../core/admission.js';
import type { Operation } from '../core/operations/operation.js';
import type { Principal } from '../core/principal.js';
import { type ApiError, errors } from '../core/errors.js';
import type { RateState } from '../core/rate-limit.js';

export { MAX_TOKEN_LENGTH } from '../core/admission.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    rate: RateState | null;
  }
}

const BEARER = /^bearer[ \t]+([\x21-\x7e]+)[ \t]*$/i;

/** The token of a Bearer header, or null when the header is absent or of another scheme. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = BEARER.exec(header);
  return match?.[1] ?? null;
}

/**
 * Decisions the fast lane took and did not answer, by request: the hook takes them instead of
 * deciding (and counting) again. A WeakMap rather than a property, so that node's request
 * objects keep one shape.
 */
const decidedBeforeRouting = new WeakMap<IncomingMessage, Decision | Promise<Decision>>();

/** Hands a decision the fast lane took for `request` to the hook that will answer it. */
export function leaveDecision(request: IncomingMessage, decision: Decision | Promise<Decision>): void {
  // Awaited by the hook; until then a store failure must not count as an unhandled rejection.
  if (decision instanceof Promise) decision.catch(() => {});
  decidedBeforeRouting.set(request, decision);
}

function refusalError(refused: Refusal): ApiError {
  switch (refused.refusal) {
    case 'authentication-required':
      return errors.authenticationRequired();
    case 'bad-credentials':
      return errors.badCredentials();
    case 'too-many-requests':
      return errors.tooManyRequests(refused.rate.resetSeconds, refused.rate.allowed);
    case 'scope-not-authorized':
      return errors.scopeNotAuthorized(refused.scope);
    case 'person-required':
      return errors.userContextRequired();
    case 'permission-missing':
      return 'any' in refused.rule ? errors.missingAnyPermissions([...refused.rule.any]) : errors.missingPermissions(refused.rule.all);
  }
}

/** The onRequest hook of one operation: admission by the table of operations (core/operations/table.ts). */
export type AdmissionHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export function bearerHook(admission: Admission): (operation: Operation) => AdmissionHook {
  return (operation) =>
    async function admit(request: FastifyRequest): Promise<void> {
      const left = decidedBeforeRouting.get(request.raw);
      if (left !== undefined) decidedBeforeRouting.delete(request.raw);
      const decision = await (left ?? admission.admit(bearerToken(request.headers.authorization), operation));
      // A refused request past authentication still shows whose it was (access log) and its rate (headers).
      request.principal = decision.principal;
      request.rate = decision.rate;
      if (decision.refusal !== null) throw refusalError(decision);
    };
}

/** The authenticated principal of a route behind {@link bearerHook}. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw errors.authenticationRequired();
  return request.principal;
}
