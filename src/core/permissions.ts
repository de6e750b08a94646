/**
 * Permissions come from roles: a user's roles, or a client-credentials client's `roleDivisions`.
 * A permission is `domain:entity:action`; a role may grant `*` in any part (`oauth:*:*`, `*`).
 *
 * What a token may do is what its roles grant, for the operations its scopes admit; what it may
 * hand on (a client's roles, a grant) is narrowed the same way (CONTRACT.md, "Control plane"):
 * to the permissions the operations its scopes admit require, as the table of operations lists
 * them. A user token limited to `oauth` can then neither change the idle timeout nor make a
 * client that can.
 */
import { heldRoleIds } from './models.js';
import { permissionsNamed, type PermissionRule, scopesAdmit } from './operations/operation.js';
import { ALL_OPERATIONS } from './operations/table.js';
import type { Principal } from './principal.js';
import type { DirectoryPort } from './ports/directory-port.js';

export function permissionMatches(granted: string, wanted: string): boolean {
  if (granted === '*' || granted === wanted) return true;
  const g = granted.split(':');
  const w = wanted.split(':');
  return g.length === w.length && g.every((part, i) => part === '*' || part === w[i]);
}

export async function permissionsOf(store: DirectoryPort, principal: Principal): Promise<string[]> {
  // A person holds the roles of all their grants, in every division: enforcement is not scoped
  // by division (docs/api.md, "Divisions and grants").
  const roleIds = principal.user ? heldRoleIds(principal.user) : principal.client.roleDivisions.map((rd) => rd.roleId);
  const roles = await store.findRoles([...new Set(roleIds)]);
  return roles.filter((role) => role.organizationId === principal.organization.id).flatMap((role) => role.permissions);
}

/** Whether `granted` satisfies `rule` (any one of its permissions, or all of them). */
export function satisfies(granted: readonly string[], rule: Exclude<PermissionRule, null>): boolean {
  const held = (wanted: string) => granted.some((g) => permissionMatches(g, wanted));
  return 'any' in rule ? rule.any.some(held) : rule.all.every(held);
}

/** Scope lists seen, each with the permissions its operations require (few distinct lists: one per client and request). */
const reachCache = new Map<string, readonly string[]>();
const REACH_CACHE_SIZE = 1000;

/** Every permission an operation admitted by `scopes` requires. */
export function permissionsScopesReach(scopes: readonly string[]): readonly string[] {
  const key = scopes.join(' ');
  const known = reachCache.get(key);
  if (known !== undefined) return known;
  const reached = new Set<string>();
  for (const operation of ALL_OPERATIONS) {
    if (scopesAdmit(operation, scopes)) for (const permission of permissionsNamed(operation.permissions)) reached.add(permission);
  }
  const list = [...reached].sort();
  if (reachCache.size >= REACH_CACHE_SIZE) reachCache.clear();
  reachCache.set(key, list);
  return list;
}

/** The permission checks of the API, over the directory the services were wired with. */
export class Permissions {
  readonly #store: DirectoryPort;

  constructor(store: DirectoryPort) {
    this.#store = store;
  }

  /** What the principal's roles grant in its organization. */
  of(principal: Principal): Promise<string[]> {
    return permissionsOf(this.#store, principal);
  }

  /** Whether the principal's roles satisfy `rule` (admission.ts). */
  async grants(principal: Principal, rule: Exclude<PermissionRule, null>): Promise<boolean> {
    return satisfies(await this.of(principal), rule);
  }

  /**
   * What the principal may hand on (admin/role-grants.ts): its permissions, and for a user token
   * only those that the operations its scopes admit require. A role's wildcard is then matched
   * only by a client-credentials caller's own wildcard, never by a scoped user token.
   */
  async grantable(principal: Principal): Promise<string[]> {
    const held = await this.of(principal);
    if (principal.user === null) return held;
    return permissionsScopesReach(principal.token.scopes).filter((wanted) => held.some((g) => permissionMatches(g, wanted)));
  }
}
