/**
 * Who may give which roles, and change whom (CONTRACT.md, "Control plane"). A caller may give
 * only roles whose every permission it holds itself, as Genesys requires; otherwise
 * `oauth:client:add` would be a way to make a client, and so a token, with more rights than its
 * maker. And (ours, stricter than Genesys) a caller may change, disable, re-key or delete only
 * an entity whose every role it holds: otherwise `oauth:client:edit` would take over a stronger
 * client by its secret, or wake a disabled one. Users' role grants take the same two rules.
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
  requireHeldRoles(grantor, given, 'roleDivisions');
}

/**
 * Throws 403 `missing.permissions` unless the grantor holds every role the target holds now (a
 * client's `roleDivisions`, a user's roles): what it may change, it could have made itself.
 * `fieldName` names where the target keeps its roles, in each detail.
 */
export function checkHoldsRolesOf(grantor: Grantor, targetRoles: readonly Role[], fieldName: string): void {
  requireHeldRoles(grantor, targetRoles, fieldName);
}

/**
 * Throws 403 `missing.permissions` unless the grantor holds every permission of a role being
 * made (it has no id yet to name): `fieldName` says where the request listed them.
 */
export function checkHoldsPermissions(grantor: Grantor, wanted: readonly string[], fieldName: string): void {
  const missing = new Set(wanted.filter((permission) => !grantor.permissions.some((held) => permissionMatches(held, permission))));
  if (missing.size === 0) return;
  throw errors.missingPermissions([...missing].sort(), { details: [{ errorCode: 'missing.permissions', fieldName }] });
}

function requireHeldRoles(grantor: Grantor, roles: readonly Role[], fieldName: string): void {
  const missing = new Set<string>();
  const lackingRoles: Role[] = [];
  for (const role of roles) {
    const lacking = role.permissions.filter((wanted) => !grantor.permissions.some((held) => permissionMatches(held, wanted)));
    if (lacking.length === 0) continue;
    lackingRoles.push(role);
    for (const permission of lacking) missing.add(permission);
  }
  if (missing.size === 0) return;
  throw errors.missingPermissions([...missing].sort(), {
    details: lackingRoles.map((role) => ({ errorCode: 'missing.permissions', fieldName, entityId: role.id, entityName: role.name })),
  });
}
