/**
 * The permissions tokend knows (`GET /api/v2/authorization/permissions`, the SDK's
 * `PermissionCollectionEntityListing`): those the table of operations enforces, and those the
 * organization's roles mention, each a `DomainPermission` grouped by domain, then entity type.
 *
 * Genesys lists its whole catalogue there; tokend knows only these. A role's wildcard
 * (`oauth:*:*`, `*`) grants permissions but names none, so it adds nothing to the list.
 * Permissions here are organization-wide: tokend has one division per organization, so none is
 * `divisionAware`, and none `allowsConditions` (no role carries conditions).
 */
import type { Role } from './models.js';
import { permissionsNamed } from './operations/operation.js';
import { ALL_OPERATIONS } from './operations/table.js';
import { permissionMatches } from './permissions.js';

/** The SDK's `DomainPermission`. */
export interface DomainPermission {
  domain: string;
  entityType: string;
  action: string;
  label: string;
  allowsConditions: boolean;
  divisionAware: boolean;
}

/** The SDK's `DomainPermissionCollection`: one domain's permissions, by entity type. */
export interface DomainPermissionCollection {
  id: string;
  domain: string;
  permissionMap: Record<string, DomainPermission[]>;
}

/** The SDK's `queryType`/`query`: only the listed domains, or only the permissions matching one of the listed ones (wildcards as roles write them). */
export type PermissionQuery = { type: 'domain' | 'permission'; values: readonly string[] } | null;

/** A concrete permission: three parts, none a wildcard. */
const CONCRETE = /^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/;

/** Every permission the table of operations asks for: the same for every organization. */
const ENFORCED: readonly string[] = [...new Set(ALL_OPERATIONS.flatMap((operation) => permissionsNamed(operation.permissions)))];

/** `viewAll` → `View All`: the action in words, as Genesys labels its permissions. */
function labelOf(action: string): string {
  const words = action.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_-]+/);
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function admits(query: PermissionQuery, permission: string, domain: string): boolean {
  if (query === null || query.values.length === 0) return true;
  if (query.type === 'domain') return query.values.includes(domain);
  return query.values.some((wanted) => permissionMatches(wanted, permission));
}

/** Groups permissions by domain, then entity type; domains, entity types and actions in code-point order. */
function collect(permissions: readonly string[]): DomainPermissionCollection[] {
  const domains = new Map<string, Map<string, Set<string>>>();
  for (const permission of permissions) {
    const [domain = '', entityType = '', action = ''] = permission.split(':');
    let entities = domains.get(domain);
    if (!entities) domains.set(domain, (entities = new Map()));
    let actions = entities.get(entityType);
    if (!actions) entities.set(entityType, (actions = new Set()));
    actions.add(action);
  }
  return [...domains.keys()].sort(byCodePoint).map((domain) => {
    const entities = domains.get(domain) ?? new Map<string, Set<string>>();
    const permissionMap: Record<string, DomainPermission[]> = {};
    for (const entityType of [...entities.keys()].sort(byCodePoint)) {
      permissionMap[entityType] = [...(entities.get(entityType) ?? [])].sort(byCodePoint).map((action) => ({
        domain,
        entityType,
        action,
        label: labelOf(action),
        allowsConditions: false,
        divisionAware: false,
      }));
    }
    return { id: domain, domain, permissionMap };
  });
}

export class PermissionCatalogue {
  readonly #roles: { list(organizationId: string): Promise<Role[]> };

  constructor(roles: { list(organizationId: string): Promise<Role[]> }) {
    this.#roles = roles;
  }

  /** The permissions the organization's callers may meet, by domain, as `query` narrows them. */
  async domains(organizationId: string, query: PermissionQuery): Promise<DomainPermissionCollection[]> {
    const mentioned = (await this.#roles.list(organizationId)).flatMap((role) => role.permissions).filter((p) => CONCRETE.test(p));
    const known = [...new Set([...ENFORCED, ...mentioned])];
    return collect(known.filter((permission) => admits(query, permission, permission.split(':')[0] ?? '')));
  }
}
