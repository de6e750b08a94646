/**
 * RFC 7662 token introspection (CONTRACT.md, "Standard OAuth endpoints"), answered by the
 * bearer path's own {@link Authenticator}: a cached token costs one SHA-256 and one Map lookup,
 * no store read. It asks {@link Authenticator.validate}, as every bearer request does, and nothing more: the idle clock
 * moves only on {@link Authenticator.touch} and the rate limit only in the bearer hook, and
 * introspection calls neither. A token past its idle deadline is ended here as on any request.
 *
 * Only access tokens are introspected: a refresh token is `{"active": false}`. A gateway that
 * checks `active` alone must never let a refresh token through as a bearer credential, and the
 * one party a refresh token is good for, its client, learns its state by using it.
 */
import type { Authenticator } from './authenticator.js';
import type { Client } from './models.js';

export interface ActiveToken {
  active: true;
  client_id: string;
  /** The user's id; absent for a client-credentials token, which has no user. */
  sub?: string;
  /** Space-separated, as at RFC 6749 §3.3; absent when the token carries no scope. */
  scope?: string;
  exp: number;
  iat: number;
  token_type: 'Bearer';
}

export type Introspection = ActiveToken | { active: false };

const INACTIVE: Introspection = Object.freeze({ active: false as const });

/**
 * What `caller` may learn of `rawToken`: its details when it is a valid access token of the
 * caller's organization, else `{active: false}` alone (another organization's token looks
 * exactly like an unknown one). Throws only when the store cannot be reached (fail closed).
 */
export async function introspect(authenticator: Pick<Authenticator, 'validate'>, caller: Client, rawToken: string): Promise<Introspection> {
  const judged = await authenticator.validate(rawToken);
  // Refused for any reason (unknown, expired, revoked, idle, a disabled client or person): inactive.
  if (typeof judged === 'string') return INACTIVE;
  const { token } = judged;
  if (token.organizationId !== caller.organizationId) return INACTIVE;
  return {
    active: true,
    client_id: token.clientId,
    ...(token.userId !== null ? { sub: token.userId } : {}),
    ...(token.scopes.length > 0 ? { scope: token.scopes.join(' ') } : {}),
    exp: Math.floor(token.expiresAt / 1000),
    iat: Math.floor(token.issuedAt / 1000),
    token_type: 'Bearer',
  };
}
