/**
 * The people who hold a role (`AuthorizationApi`: getAuthorizationRoleUsers,
 * putAuthorizationRoleUsersAdd, putAuthorizationRoleUsersRemove; core/admin/role-holders.ts
 * decides). The listing is the .NET SDK's `UserEntityListing`: each person as the users listing
 * shows them. Add and remove take the user ids and answer them, each once.
 */
import { Type } from '@sinclair/typebox';
import type { HoldersChange } from '../../core/admin/role-holders.js';
import type { Operation } from '../../core/operations/operation.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { PAGE_NUMBER, PAGE_SIZE, pageListing } from '../page-listing.js';
import { requireBody } from '../request-body.js';
import { RoleIdParamsSchema, UserIdListSchema } from '../role-schemas.js';
import { apiErrorResponses } from '../schemas.js';
import { grantorOf } from '../user-request.js';
import { UserEntityListingSchema } from '../user-schemas.js';
import { renderUsers, type UserViewServices } from '../user-views.js';
import type { RouteServices } from './deps.js';

type Services = Pick<RouteServices, 'roles' | 'roleHolders'> & UserViewServices;
type Params = { roleId: string };

export function authorizationRoleUsersRoutes(operation: DefineOperation, services: Services): void {
  const { roles, roleHolders, permissions } = services;

  operation<{ Params: Params; Querystring: { pageSize?: number; pageNumber?: number } }>(OPERATIONS.getAuthorizationRoleUsers, {
    description: "By name, then id. A deleted person holds no role here. Another organization's role is 404.",
    schema: {
      params: RoleIdParamsSchema,
      querystring: Type.Object({
        pageSize: Type.Optional(Type.Integer({ minimum: PAGE_SIZE.min, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default })),
        pageNumber: Type.Optional(Type.Integer({ minimum: PAGE_NUMBER.min, maximum: PAGE_NUMBER.max, default: PAGE_NUMBER.default })),
      }),
      response: { 200: UserEntityListingSchema, ...apiErrorResponses(403, 404) },
    },
    act: async (request) => {
      const principal = principalOf(request);
      const { pageSize = PAGE_SIZE.default, pageNumber = PAGE_NUMBER.default } = request.query;
      const role = await roles.get(principal.organization.id, request.params.roleId);
      const people = await roleHolders.people(principal.organization, role);
      const page = pageListing(people, { pageSize, pageNumber }, `/api/v2/authorization/roles/${role.id}/users`);
      return { ...page, entities: await renderUsers(services, principal, page.entities, new Set()) };
    },
  });

  const change = (op: Operation, how: HoldersChange, description: string) =>
    operation<{ Params: Params; Body: string[] | undefined }>(op, {
      description,
      schema: {
        params: RoleIdParamsSchema,
        body: UserIdListSchema,
        response: { 200: Type.Array(Type.String()), ...apiErrorResponses(403, 404, 413, 415) },
      },
      act: async (request) => {
        const principal = principalOf(request);
        const role = await roles.get(principal.organization.id, request.params.roleId);
        const userIds = requireBody(request.body, request.headers, 'list of user ids');
        return roleHolders.change(principal.organization, role, userIds, how, await grantorOf(permissions, principal));
      },
    });

  const rule =
    "The caller must hold the role and every role of each person named (as for putUserRoles): 403 missing.permissions otherwise. A user id that is not one of the organization's people (or is deleted) is 400, and nobody changes.";
  change(OPERATIONS.putAuthorizationRoleUsersAdd, 'add', `Gives the role to the people listed (at most 500); answers their ids. ${rule}`);
  change(
    OPERATIONS.putAuthorizationRoleUsersRemove,
    'remove',
    `Takes the role from the people listed (at most 500); their tokens lose what it granted from their next request, on every node. Answers their ids. ${rule}`,
  );
}
