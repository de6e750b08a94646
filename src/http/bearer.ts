/**
 * The bearer hook of /api/v2 (CONTRACT.md, "Bearer tokens on /api/v2"): reads
 * `Authorization: Bearer <token>` (scheme case-insensitive, never the query string),
 * authenticates it, then counts it against the token's rate limit.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator, Principal } from '../core/authenticator.js';
import { errors } from '../core/errors.js';
import type { RateLimiter, RateState } from './rate-limit.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    rate: RateState | null;
  }
}

const BEARER = /^bearer[ \t]+([\x21-\x7e]+)[ \t]*$/i;
/** Longer than any token tokend issues; refused before hashing. */
export const MAX_TOKEN_LENGTH = 512;

/** The token of a Bearer header, or null when the header is absent or of another scheme. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = BEARER.exec(header);
  return match?.[1] ?? null;
}

export function bearerHook(authenticator: Authenticator, limiter: RateLimiter) {
  return async function authenticateBearer(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerToken(request.headers.authorization);
    if (token === null) throw errors.authenticationRequired();
    if (token.length > MAX_TOKEN_LENGTH) {
      authenticator.counts.validations.unknown++;
      throw errors.badCredentials();
    }
    const principal = await authenticator.authenticate(token);
    request.principal = principal;
    const rate = limiter.hit(principal.token.hash, principal.usage.rate);
    request.rate = rate;
    if (rate.count > rate.allowed) {
      authenticator.counts.throttleRefusals.add('rate_limit');
      throw errors.tooManyRequests(rate.resetSeconds, rate.allowed);
    }
  };
}

/** The authenticated principal of a route behind {@link bearerHook}. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw errors.authenticationRequired();
  return request.principal;
}
