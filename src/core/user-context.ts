/**
 * Endpoints about "the signed-in person" (`GET /api/v2/users/me`) need a user token: a
 * client-credentials token has no person behind it (CONTRACT.md, "Control plane"). Admission
 * refuses it for an operation the table marks `needsPerson`; a route reads the person here.
 */
import type { Principal } from './principal.js';
import { errors } from './errors.js';
import type { User } from './models.js';

/** The principal's user, or 400 `bad.request` with Genesys' message for a client-credentials token. */
export function requireUserContext(principal: Principal): User {
  if (principal.user === null) throw errors.userContextRequired();
  return principal.user;
}
