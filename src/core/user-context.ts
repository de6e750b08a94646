/**
 * Endpoints about "the signed-in person" (`GET /api/v2/users/me`) need a user token: a
 * client-credentials token has no person behind it (CONTRACT.md, "Control plane").
 */
import type { Principal } from './principal.js';
import { ApiError } from './errors.js';
import type { User } from './models.js';

export const USER_CONTEXT_REQUIRED = 'This request requires a user context. Client credentials cannot be used for requests to this resource.';

/** The principal's user, or 400 `bad.request` with Genesys' message for a client-credentials token. */
export function requireUserContext(principal: Principal): User {
  if (principal.user === null) throw new ApiError(400, 'bad.request', USER_CONTEXT_REQUIRED);
  return principal.user;
}
