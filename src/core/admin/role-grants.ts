/**
 * Who may give a client which roles (CONTRACT.md, "Control plane"): a caller may give only
 * roles whose every permission it holds itself, as Genesys requires; otherwise `oauth:client:add`
 * would be a way to make a client, and so a token, with more rights than its maker.
 */
import { errors } from '../errors.js';
import type { Role } from '../models.js';
import { permissionMatches } from '../permissions.js';

/** The permissions the caller holds (permissions.ts, permissionsOf). */
export interface Grantor {
  permissions: readonly string[];
}

/**
 * Throws 403 `missing.permissions`, naming the permissions the grantor lacks and the roles that
 * need them, unless it holds every permission of every role in `given`. A role's wildcard is
 * matched only by a wildcard at least as wide (permissionMatches).
 */
export function checkGrantedRoles(grantor: Grantor, given: readonly Role[]): void {
  const missing = new Set<string>();
  const roles: Role[] = [];
  for (const role of given) {
    const lacking = role.permissions.filter((wanted) => !grantor.permissions.some((held) => permissionMatches(held, wanted)));
    if (lacking.length === 0) continue;
    roles.push(role);
    for (const permission of lacking) missing.add(permission);
  }
  if (missing.size === 0) return;
  throw errors.missingPermissions([...missing].sort(), {
    details: roles.map((role) => ({ errorCode: 'missing.permissions', fieldName: 'roleDivisions', entityId: role.id, entityName: role.name })),
  });
}
