/**
 * getAuthorizationRoles and getAuthorizationRole: the organization's roles, each with its
 * permissions and their policies, and (the SDK's default) how many people hold it. The listing is
 * paged and narrowed by the SDK's filters (core/admin/role-listing.ts).
 */
import { Type } from '@sinclair/typebox';
import { permissionProblem } from '../../core/admin/directory-rules.js';
import { selectRoles } from '../../core/admin/role-listing.js';
import { ApiError } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { DomainOrganizationRoleSchema, OrganizationRoleEntityListingSchema } from '../directory-schemas.js';
import { PAGE_NUMBER, PAGE_SIZE, pageListing } from '../page-listing.js';
import { normalizeQueryLists } from '../query-list.js';
import { renderRole } from '../render-directory.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

const PATH = '/api/v2/authorization/roles';

/** The expand values getAuthorizationRole lists (the SDK's reference); none other is answered. */
const ROLE_EXPANDS = ['unusedPermissions'] as const;

const Values = (description: string) => Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 500, description }));
const UserCountQuery = Type.Optional(Type.Boolean({ default: true, description: 'Whether each role carries userCount, the people who hold it' }));

interface RolesQuery {
  pageSize?: number;
  pageNumber?: number;
  name?: string;
  permission?: string[];
  defaultRoleId?: string[];
  userCount?: boolean;
  id?: string[];
}

interface RoleQuery {
  userCount?: boolean;
  expand?: string[];
}

const invalidQuery = (field: string, problem: string) =>
  new ApiError(400, 'invalid.query.param.value', `Invalid value for parameter ${field}: ${problem}.`, {
    details: [{ errorCode: 'invalid.query.param.value', fieldName: field }],
  });

/** A permission asked must be one a role could hold: anything else would match nothing, silently. */
function checkPermissions(permissions: readonly string[]): void {
  for (const permission of permissions) {
    const problem = permissionProblem(permission);
    if (problem) throw invalidQuery('permission', problem);
  }
}

/** The expands asked, in any letter case; 400 for one getAuthorizationRole does not list. */
function roleExpandsOf(asked: readonly string[]): Set<(typeof ROLE_EXPANDS)[number]> {
  const expands = new Set<(typeof ROLE_EXPANDS)[number]>();
  for (const value of asked) {
    const known = ROLE_EXPANDS.find((expand) => expand.toLowerCase() === value.toLowerCase());
    if (known === undefined) throw invalidQuery('expand', `${JSON.stringify(value).slice(0, 120)} is not an expand of getAuthorizationRole`);
    expands.add(known);
  }
  return expands;
}

export function authorizationRolesRoutes(operation: DefineOperation, { roles: roleAdmin }: Pick<RouteServices, 'roles'>): void {
  operation<{ Querystring: RolesQuery }>(OPERATIONS.getAuthorizationRoles, {
    description:
      'Ordered by name. permission: roles holding any one listed, as a token would (a role with oauth:*:* holds oauth:client:view). No role of tokend is made from a Genesys default role: a defaultRoleId filter matches only roles written with that defaultRoleId (postAuthorizationRoles keeps it as given). sortBy and expand are accepted and ignored.',
    schema: {
      querystring: Type.Object({
        pageSize: Type.Optional(Type.Integer({ minimum: PAGE_SIZE.min, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default })),
        pageNumber: Type.Optional(Type.Integer({ minimum: PAGE_NUMBER.min, maximum: PAGE_NUMBER.max, default: PAGE_NUMBER.default })),
        name: Type.Optional(Type.String({ maxLength: 200, description: 'Roles whose name contains this, in any letter case' })),
        permission: Values('Roles holding any of these permissions (repeated or comma-separated; wildcards as roles write them)'),
        defaultRoleId: Values('Roles made from these default roles (repeated or comma-separated)'),
        userCount: UserCountQuery,
        id: Values('Only these roles (repeated or comma-separated)'),
      }),
      response: { 200: OrganizationRoleEntityListingSchema, ...apiErrorResponses(403) },
    },
    prepare: (request) => normalizeQueryLists(request.query, ['id', 'permission', 'defaultRoleId']),
    act: async (request) => {
      const { organization } = principalOf(request);
      // The validator fills no defaults (validation.ts): they are applied here.
      const { pageSize = PAGE_SIZE.default, pageNumber = PAGE_NUMBER.default, name, permission = [], defaultRoleId = [], userCount, id = [] } = request.query;
      checkPermissions(permission);
      const roles = selectRoles(await roleAdmin.list(organization.id), { name, ids: id, permissions: permission, defaultRoleIds: defaultRoleId });
      // The SDK's order of parameters, so the paging URIs read as the SDK would write them.
      const filters = {
        ...(name === undefined ? {} : { name: [name] }),
        ...(permission.length === 0 ? {} : { permission }),
        ...(defaultRoleId.length === 0 ? {} : { defaultRoleId }),
        ...(userCount === undefined ? {} : { userCount: [String(userCount)] }),
        ...(id.length === 0 ? {} : { id }),
      };
      const page = pageListing(roles, { pageSize, pageNumber }, PATH, filters);
      const counts = userCount === false ? null : await roleAdmin.userCounts(organization.id);
      return { ...page, entities: page.entities.map((role) => renderRole(role, counts === null ? {} : { userCount: counts.get(role.id) ?? 0 })) };
    },
  });

  operation<{ Params: { roleId: string }; Querystring: RoleQuery }>(OPERATIONS.getAuthorizationRole, {
    description:
      "Another organization's role is 404, as an unknown id is. expand=unusedPermissions: always empty, as tokend holds back no product a permission needs.",
    schema: {
      params: Type.Object({ roleId: Type.String({ minLength: 1, maxLength: 200 }) }),
      querystring: Type.Object({
        userCount: UserCountQuery,
        expand: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20, description: `${ROLE_EXPANDS.join(', ')}, in any letter case` })),
      }),
      response: { 200: DomainOrganizationRoleSchema, ...apiErrorResponses(403, 404) },
    },
    prepare: (request) => normalizeQueryLists(request.query, ['expand']),
    act: async (request) => {
      const { organization } = principalOf(request);
      const { userCount = true, expand = [] } = request.query;
      const expands = roleExpandsOf(expand);
      const role = await roleAdmin.get(organization.id, request.params.roleId);
      return renderRole(role, {
        ...(userCount ? { userCount: (await roleAdmin.userCounts(organization.id)).get(role.id) ?? 0 } : {}),
        ...(expands.has('unusedPermissions') ? { unusedPermissions: [] } : {}),
      });
    },
  });
}
