/**
 * The one decision on a bearer request (CONTRACT.md, "Bearer tokens on /api/v2"): given the
 * token a request carried, is it let in, as whom and with what rate-limit state, or why not.
 * The Fastify hook (src/http/bearer.ts) and the fast lane (src/http/fast-lane.ts) both ask it,
 * and a request is decided once whichever path answers it: each decision is counted once
 * (validations, cache lookups, rate-limit refusals: counts.ts) and counts once against the
 * token's rate limit.
 *
 * The answer comes at once when memory decides (a cached token, good or refused, and a
 * request without a usable token), and as a promise when the store must be read; the fast lane
 * answers only the first kind and hands the rest on with the decision taken.
 */
import type { Authenticator } from './authenticator.js';
import type { Principal } from './principal.js';
import type { ValidationResult } from './counts.js';
import type { RateLimiter, RateState } from './rate-limit.js';
import { allowsScope } from './scopes.js';

/** Longer than any token tokend issues; refused before hashing. */
export const MAX_TOKEN_LENGTH = 512;

/** What the decision needs of the request besides its token. */
export interface RequestFacts {
  readonly method: string;
  /** The scope a user token must carry for this request, if the caller checks it here. */
  readonly scope?: string;
}

/** A request let in: whose token it is, and its rate-limit state (counted). */
export interface Admitted {
  readonly refusal: null;
  readonly principal: Principal;
  readonly rate: RateState;
}

/** No bearer token (no Authorization header, or another scheme). */
export interface AuthenticationRequired {
  readonly refusal: 'authentication-required';
  readonly principal: null;
  readonly rate: null;
}

/** A token that is not good: unknown (or too long to be one), revoked, expired, disabled or idle. */
export interface BadCredentials {
  readonly refusal: 'bad-credentials';
  readonly principal: null;
  readonly rate: null;
  readonly reason: Exclude<ValidationResult, 'valid'>;
}

/** A good token over its requests per minute: this request is counted, and refused. */
export interface TooManyRequests {
  readonly refusal: 'too-many-requests';
  readonly principal: Principal;
  readonly rate: RateState;
}

/** A good token, within its rate limit, whose scopes do not allow the request. */
export interface ScopeNotAuthorized {
  readonly refusal: 'scope-not-authorized';
  readonly principal: Principal;
  readonly rate: RateState;
  readonly scope: string;
}

export type Refusal = AuthenticationRequired | BadCredentials | TooManyRequests | ScopeNotAuthorized;
export type Decision = Admitted | Refusal;

const AUTHENTICATION_REQUIRED: AuthenticationRequired = Object.freeze({ refusal: 'authentication-required', principal: null, rate: null });
/** One answer per reason: a refusal without a principal carries nothing of the request. */
const BAD_CREDENTIALS = Object.freeze({
  unknown: badCredentials('unknown'),
  revoked: badCredentials('revoked'),
  expired: badCredentials('expired'),
  disabled: badCredentials('disabled'),
  idle: badCredentials('idle'),
});

function badCredentials(reason: BadCredentials['reason']): BadCredentials {
  return Object.freeze({ refusal: 'bad-credentials', principal: null, rate: null, reason });
}

export class Admission {
  readonly #authenticator: Authenticator;
  readonly #limiter: RateLimiter;

  constructor(authenticator: Authenticator, limiter: RateLimiter) {
    this.#authenticator = authenticator;
    this.#limiter = limiter;
  }

  /**
   * Decides a request that carried `rawToken` (null: no bearer token). Does not move the idle
   * clock: whoever answers does (Authenticator.touch), as the request asks.
   */
  admit(rawToken: string | null, facts: RequestFacts): Decision | Promise<Decision> {
    if (rawToken === null) return AUTHENTICATION_REQUIRED;
    if (rawToken.length > MAX_TOKEN_LENGTH) {
      this.#authenticator.counts.validations.unknown++;
      return BAD_CREDENTIALS.unknown;
    }
    const judged = this.#authenticator.validate(rawToken);
    if (judged instanceof Promise) return judged.then((settled) => this.#decide(settled, facts));
    return this.#decide(judged, facts);
  }

  #decide(judged: Principal | BadCredentials['reason'], { method, scope }: RequestFacts): Decision {
    if (typeof judged === 'string') return BAD_CREDENTIALS[judged];
    const principal = judged;
    const rate = this.#limiter.hit(principal.token.hash, principal.usage.rate);
    if (rate.count > rate.allowed) {
      this.#authenticator.counts.throttleRefusals.add('rate_limit');
      return { refusal: 'too-many-requests', principal, rate };
    }
    if (scope !== undefined && !allowsScope(principal, scope, method)) return { refusal: 'scope-not-authorized', principal, rate, scope };
    return { refusal: null, principal, rate };
  }
}
