/**
 * Scope rules (CONTRACT.md, "The Tokens API"): scopes restrict user tokens only; client-
 * credentials tokens are governed by their roles alone. `user-basic-info` is always granted,
 * and `x:readonly` allows only GET and HEAD of `x` (both ours).
 */
import { errors, oauthErrors } from './errors.js';
import type { Principal } from './principal.js';
import type { Client } from './models.js';

export const ALWAYS_GRANTED_SCOPE = 'user-basic-info';

/** The scopes a user token of `client` carries; `requested` (space separated) narrows them. */
export function grantedScopes(client: Client, requested: string | undefined): string[] {
  const allowed = new Set([...client.scope, ALWAYS_GRANTED_SCOPE]);
  if (requested === undefined || requested.trim() === '') return [...allowed];
  const wanted = requested.trim().split(/\s+/);
  const refused = wanted.filter((scope) => !allowed.has(scope));
  if (refused.length > 0) throw oauthErrors.invalidScope(`scope not allowed for this client: ${refused.join(' ')}`);
  return [...new Set([...wanted, ALWAYS_GRANTED_SCOPE])];
}

/** Whether the principal may use `scope` with `method`. */
export function allowsScope(principal: Principal, scope: string, method: string): boolean {
  if (principal.user === null) return true;
  const scopes = principal.token.scopes;
  if (scope === ALWAYS_GRANTED_SCOPE || scopes.includes(scope)) return true;
  return (method === 'GET' || method === 'HEAD') && scopes.includes(`${scope}:readonly`);
}

/** Throws `app.not.authorized.for.scope` unless the principal may use `scope` with `method`. */
export function requireScope(principal: Principal, scope: string, method: string): void {
  if (!allowsScope(principal, scope, method)) throw errors.scopeNotAuthorized(scope);
}
