/**
 * Scope rules (CONTRACT.md, "The Tokens API"): scopes restrict user tokens only; client-
 * credentials tokens are governed by their roles alone. `user-basic-info` is always granted
 * (ours). Which scopes admit which operation is the table of operations' (operations/table.ts,
 * where `x:readonly` admits only the reads of `x`).
 */
import { oauthErrors } from './errors.js';
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
