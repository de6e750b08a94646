/**
 * The one decision on a bearer request (CONTRACT.md, "Bearer tokens on /api/v2"): given the
 * token a request carried and the operation it asks for (operations/table.ts), is it let in, as
 * whom and with what rate-limit state, or why not: scope, person and permission as the table says.
 * The Fastify hook (src/http/bearer.ts) and the fast lane (src/http/fast-lane.ts) both ask it,
 * and a request is decided once whichever path answers it: each decision is counted once
 * (validations, cache lookups, rate-limit refusals: counts.ts) and counts once against the
 * token's rate limit.
 *
 * The answer comes at once when memory decides (a cached token, good or refused, and a
 * request without a usable token, for an operation that needs no permission), and as a promise
 * when the store must be read (a token not cached, a permission to look up); the fast lane
 * answers only the first kind and hands the rest on with the decision taken.
 */
import type { Authenticator } from './authenticator.js';
import type { Principal } from './principal.js';
import type { ValidationResult } from './counts.js';
import { type Operation, type PermissionRule, scopesAdmit } from './operations/operation.js';
import type { Permissions } from './permissions.js';
import type { RateLimiter, RateState } from './rate-limit.js';

/** Longer than any token tokend issues; refused before hashing. */
export const MAX_TOKEN_LENGTH = 512;

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

/** A good user token, within its rate limit, that carries none of the scopes admitting the operation (the first is named). */
export interface ScopeNotAuthorized {
  readonly refusal: 'scope-not-authorized';
  readonly principal: Principal;
  readonly rate: RateState;
  readonly scope: string;
}

/** A client-credentials token at an operation about the signed-in person. */
export interface PersonRequired {
  readonly refusal: 'person-required';
  readonly principal: Principal;
  readonly rate: RateState;
}

/** A good token whose roles do not grant what the operation requires. */
export interface PermissionMissing {
  readonly refusal: 'permission-missing';
  readonly principal: Principal;
  readonly rate: RateState;
  readonly rule: Exclude<PermissionRule, null>;
}

export type Refusal = AuthenticationRequired | BadCredentials | TooManyRequests | ScopeNotAuthorized | PersonRequired | PermissionMissing;
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
  readonly #permissions: Permissions;

  constructor(authenticator: Authenticator, limiter: RateLimiter, permissions: Permissions) {
    this.#authenticator = authenticator;
    this.#limiter = limiter;
    this.#permissions = permissions;
  }

  /**
   * Decides a request for `operation` that carried `rawToken` (null: no bearer token), in the
   * order the contract answers: authentication, rate limit, scope, a person behind the token,
   * permission. Does not move the idle clock: the operation's answer does (Authenticator.touch),
   * once the request proved good (table of operations, `idle`).
   */
  admit(rawToken: string | null, operation: Operation): Decision | Promise<Decision> {
    if (rawToken === null) return AUTHENTICATION_REQUIRED;
    if (rawToken.length > MAX_TOKEN_LENGTH) {
      this.#authenticator.counts.validations.unknown++;
      return BAD_CREDENTIALS.unknown;
    }
    const judged = this.#authenticator.validate(rawToken);
    if (judged instanceof Promise) return judged.then((settled) => this.#decide(settled, operation));
    return this.#decide(judged, operation);
  }

  #decide(judged: Principal | BadCredentials['reason'], operation: Operation): Decision | Promise<Decision> {
    if (typeof judged === 'string') return BAD_CREDENTIALS[judged];
    const principal = judged;
    const rate = this.#limiter.hit(principal.token.hash, principal.usage.cached ? principal.usage : null);
    if (rate.count > rate.allowed) {
      this.#authenticator.counts.throttleRefusals.add('rate_limit');
      return { refusal: 'too-many-requests', principal, rate };
    }
    // Scopes restrict user tokens only: a client-credentials token is governed by its roles.
    if (principal.user !== null && !scopesAdmit(operation, principal.token.scopes)) {
      return { refusal: 'scope-not-authorized', principal, rate, scope: operation.scopes[0] ?? '' };
    }
    if (operation.needsPerson && principal.user === null) return { refusal: 'person-required', principal, rate };
    const rule = operation.permissions;
    if (rule === null) return { refusal: null, principal, rate };
    return this.#permissions
      .grants(principal, rule)
      .then((granted) => (granted ? { refusal: null, principal, rate } : { refusal: 'permission-missing', principal, rate, rule }));
  }
}
