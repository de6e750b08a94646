/**
 * Which of an organization's roles getAuthorizationRoles lists, and in what order: the SDK's
 * filters (`name`, `id`, `permission`, `defaultRoleId`), each narrowing the others.
 *
 * A role "holds" a permission as a token does (permissions.ts, permissionMatches): `oauth:*:*`
 * holds `oauth:client:view`, and a wildcard asked is held only by a wildcard at least as wide.
 * Several permissions asked: a role holding any one of them (ours; Genesys does not say).
 * Every role of tokend is the organization's own, made from no Genesys default role: only a role
 * written with a `defaultRoleId` through the roles API has one (kept as given), and a
 * `defaultRoleId` filter matches those alone.
 */
import type { Role } from '../models.js';
import { permissionMatches } from '../permissions.js';

export interface RoleFilter {
  /** Roles whose name contains this, in any letter case. */
  name?: string;
  /** Only these ids; empty or absent: any. */
  ids?: readonly string[];
  /** Roles holding any of these; empty or absent: any. */
  permissions?: readonly string[];
  /** Roles made from one of these default roles; empty or absent: any. */
  defaultRoleIds?: readonly string[];
}

/** Whether the role grants `wanted` (by one of its own permissions, wildcards included). */
export const roleHolds = (role: Role, wanted: string): boolean => role.permissions.some((granted) => permissionMatches(granted, wanted));

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The roles the filter keeps, by name in any letter case, then id. */
export function selectRoles(roles: readonly Role[], filter: RoleFilter): Role[] {
  const needle = filter.name?.toLowerCase();
  const ids = new Set(filter.ids ?? []);
  const permissions = filter.permissions ?? [];
  const defaults = new Set(filter.defaultRoleIds ?? []);
  return roles
    .filter(
      (role) =>
        (needle === undefined || role.name.toLowerCase().includes(needle)) &&
        (ids.size === 0 || ids.has(role.id)) &&
        (defaults.size === 0 || defaults.has(role.details?.defaultRoleId ?? '')) &&
        (permissions.length === 0 || permissions.some((wanted) => roleHolds(role, wanted))),
    )
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || byCodePoint(a.id, b.id));
}
