/**
 * Permissions come from roles: a user's roles, or a client-credentials client's `roleDivisions`.
 * A permission is `domain:entity:action`; a role may grant `*` in any part (`oauth:*:*`, `*`).
 */
import { errors } from './errors.js';
import type { Principal } from './principal.js';
import type { DirectoryPort } from './ports/directory-port.js';

export function permissionMatches(granted: string, wanted: string): boolean {
  if (granted === '*' || granted === wanted) return true;
  const g = granted.split(':');
  const w = wanted.split(':');
  return g.length === w.length && g.every((part, i) => part === '*' || part === w[i]);
}

export async function permissionsOf(store: DirectoryPort, principal: Principal): Promise<string[]> {
  const roleIds = principal.user ? principal.user.roleIds : principal.client.roleDivisions.map((rd) => rd.roleId);
  const roles = await store.findRoles([...new Set(roleIds)]);
  return roles.filter((role) => role.organizationId === principal.organization.id).flatMap((role) => role.permissions);
}

/** Throws `missing.any.permissions` unless the principal holds at least one of `wanted`. */
export async function requireAnyPermission(store: DirectoryPort, principal: Principal, wanted: string[]): Promise<void> {
  const granted = await permissionsOf(store, principal);
  if (wanted.some((w) => granted.some((g) => permissionMatches(g, w)))) return;
  throw errors.missingAnyPermissions(wanted);
}

/** The permission checks of the API routes, over the directory the services were wired with. */
export class Permissions {
  readonly #store: DirectoryPort;

  constructor(store: DirectoryPort) {
    this.#store = store;
  }

  /** What the principal's roles grant in its organization (an admin grantor hands on no more: admin/role-grants.ts). */
  of(principal: Principal): Promise<string[]> {
    return permissionsOf(this.#store, principal);
  }

  /** Throws `missing.any.permissions` unless the principal holds at least one of `wanted`. */
  requireAny(principal: Principal, wanted: string[]): Promise<void> {
    return requireAnyPermission(this.#store, principal, wanted);
  }
}
