/** getAuthorizationRoles: the organization's roles, paged, each with its permissions and their policies. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../core/models.js';
import { requireScope } from '../../core/scopes.js';
import { principalOf } from '../bearer.js';
import { OrganizationRoleEntityListingSchema } from '../directory-schemas.js';
import { PAGE_NUMBER, PAGE_SIZE, pageListing } from '../page-listing.js';
import { normalizeQueryLists } from '../query-list.js';
import { renderRole } from '../render-directory.js';
import { apiErrorResponses, BearerSecurity } from '../schemas.js';
import type { RouteDeps } from './deps.js';

export const VIEW_ROLES_PERMISSION = 'authorization:role:view';
/** The scope of the authorization endpoints; `authorization:readonly` suffices for a GET (scopes.ts). */
export const AUTHORIZATION_SCOPE = 'authorization';
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

export function authorizationRolesRoutes(app: FastifyInstance, { services, authenticate }: RouteDeps): void {
  const { authenticator, permissions, roles: roleAdmin } = services;

  app.get<{ Querystring: RolesQuery }>(
    PATH,
    {
      schema: {
        operationId: 'getAuthorizationRoles',
        summary: 'Retrieve a list of all roles defined for the organization',
        description:
          'Needs authorization:role:view; user tokens also need scope authorization or authorization:readonly. ' +
          'Ordered by name. The SDK parameters not listed here (sortBy, expand, permission, ...) are accepted and ignored.',
        tags: ['Authorization'],
        security: BearerSecurity,
        querystring: Type.Object({
          pageSize: Type.Optional(Type.Integer({ minimum: PAGE_SIZE.min, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default })),
          pageNumber: Type.Optional(Type.Integer({ minimum: PAGE_NUMBER.min, maximum: PAGE_NUMBER.max, default: PAGE_NUMBER.default })),
          name: Type.Optional(Type.String({ maxLength: 200, description: 'Roles whose name contains this, in any letter case' })),
          id: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 500, description: 'Only these roles (repeated or comma-separated)' })),
        }),
        response: { 200: OrganizationRoleEntityListingSchema, ...apiErrorResponses(403) },
      },
      onRequest: authenticate,
      // Authorize before the query is validated: a caller without the right learns nothing from its errors.
      preValidation: async (request) => {
        const principal = principalOf(request);
        requireScope(principal, AUTHORIZATION_SCOPE, request.method);
        await permissions.requireAny(principal, [VIEW_ROLES_PERMISSION]);
        normalizeQueryLists(request.query, ['id']);
      },
    },
    async (request) => {
      const principal = principalOf(request);
      // The validator fills no defaults (validation.ts): they are applied here.
      const { pageSize = PAGE_SIZE.default, pageNumber = PAGE_NUMBER.default, name, id = [] } = request.query;
      const roles = selectRoles(await roleAdmin.list(principal.organization.id), name, id);
      const filters = { ...(name !== undefined ? { name: [name] } : {}), ...(id.length > 0 ? { id } : {}) };
      const page = pageListing(roles, { pageSize, pageNumber }, PATH, filters);
      authenticator.touch(principal);
      return { ...page, entities: page.entities.map(renderRole) };
    },
  );
}
