/**
 * A role's permissions as Genesys' `DomainPermissionPolicy` list: one policy per
 * `domain:entity`, its `actionSet` the actions granted on it. Wildcards stay as written
 * (`oauth:*:*` is domain `oauth`, entity `*`, action `*`), as permissions.ts matches them.
 */

export interface PermissionPolicy {
  domain: string;
  entityName: string;
  actionSet: string[];
}

/**
 * A lone `*` grants everything (permissions.ts), so it is `*` in every part. Any other
 * permission with parts missing matches only itself there, never a three-part permission an
 * endpoint asks for: its missing parts are left empty rather than shown as wildcards.
 */
function partsOf(permission: string): [domain: string, entityName: string, action: string] {
  if (permission === '*') return ['*', '*', '*'];
  const [domain = '', entityName = '', ...action] = permission.split(':');
  return [domain, entityName, action.join(':')];
}

/** In the order the permissions first name each `domain:entity`; each action once. */
export function permissionPolicies(permissions: readonly string[]): PermissionPolicy[] {
  const byEntity = new Map<string, PermissionPolicy>();
  for (const permission of permissions) {
    const [domain, entityName, action] = partsOf(permission);
    const key = `${domain}\u0000${entityName}`;
    let policy = byEntity.get(key);
    if (!policy) {
      policy = { domain, entityName, actionSet: [] };
      byEntity.set(key, policy);
    }
    if (!policy.actionSet.includes(action)) policy.actionSet.push(action);
  }
  return [...byEntity.values()];
}
