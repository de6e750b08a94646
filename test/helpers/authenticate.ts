/**
 * A token's principal, or the bearer path's 401 (`bad.credentials`) for a refused one: what a
 * request with that token would get, for the core tests that follow a token through changes.
 */
import type { Authenticator } from '../../src/core/authenticator.js';
import { errors } from '../../src/core/errors.js';
import type { Principal } from '../../src/core/principal.js';

export async function authenticate(authenticator: Pick<Authenticator, 'validate'>, rawToken: string): Promise<Principal> {
  const judged = await authenticator.validate(rawToken);
  if (typeof judged === 'string') throw errors.badCredentials();
  return judged;
}
