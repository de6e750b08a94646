/** getAuthorizationRoles: the organization's roles, paged, each with its permissions and their policies. */
import { Type } from '@sinclair/typebox';
import type { Role } from '../../core/models.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { OrganizationRoleEntityListingSchema } from '../directory-schemas.js';
import { PAGE_NUMBER, PAGE_SIZE, pageListing } from '../page-listing.js';
import { normalizeQueryLists } from '../query-list.js';
import { renderRole } from '../render-directory.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

const PATH = '/api/v2/authorization/roles';

interface RolesQuery {
  pageSize?: number;
  pageNumber?: number;
  name?: string;
  id?: string[];
}

/** Roles whose name contains `name` (any case), or whose id is one of `ids`; ordered by name. */
function selectRoles(roles: readonly Role[], name: string | undefined, ids: readonly string[]): Role[] {
  const needle = name?.toLowerCase();
  const wanted = new Set(ids);
  return roles
    .filter((role) => (needle === undefined || role.name.toLowerCase().includes(needle)) && (wanted.size === 0 || wanted.has(role.id)))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function authorizationRolesRoutes(operation: DefineOperation, { roles: roleAdmin }: Pick<RouteServices, 'roles'>): void {
  operation<{ Querystring: RolesQuery }>(OPERATIONS.getAuthorizationRoles, {
    description: 'Ordered by name. The SDK parameters not listed here (sortBy, expand, permission, ...) are accepted and ignored.',
    schema: {
      querystring: Type.Object({
        pageSize: Type.Optional(Type.Integer({ minimum: PAGE_SIZE.min, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default })),
        pageNumber: Type.Optional(Type.Integer({ minimum: PAGE_NUMBER.min, maximum: PAGE_NUMBER.max, default: PAGE_NUMBER.default })),
        name: Type.Optional(Type.String({ maxLength: 200, description: 'Roles whose name contains this, in any letter case' })),
        id: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 500, description: 'Only these roles (repeated or comma-separated)' })),
      }),
      response: { 200: OrganizationRoleEntityListingSchema, ...apiErrorResponses(403) },
    },
    prepare: (request) => normalizeQueryLists(request.query, ['id']),
    act: async (request) => {
      const principal = principalOf(request);
      // The validator fills no defaults (validation.ts): they are applied here.
      const { pageSize = PAGE_SIZE.default, pageNumber = PAGE_NUMBER.default, name, id = [] } = request.query;
      const roles = selectRoles(await roleAdmin.list(principal.organization.id), name, id);
      const filters = { ...(name !== undefined ? { name: [name] } : {}), ...(id.length > 0 ? { id } : {}) };
      const page = pageListing(roles, { pageSize, pageNumber }, PATH, filters);
      return { ...page, entities: page.entities.map(renderRole) };
    },
  });
}
