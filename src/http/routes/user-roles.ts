/**
 * A person's roles (`UsersApi`: getUserRoles, putUserRoles): the `UserAuthorization` of their
 * roles and the permissions those grant. A caller sets the roles only of a person whose every
 * role it holds, and gives only roles it holds (CONTRACT.md, "Control plane": 403
 * `missing.permissions` naming what it lacks); the person's cached tokens are judged anew from
 * their next request, on every node.
 */
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { renderUserAuthorization } from '../render-user-expands.js';
import { requireBody } from '../request-body.js';
import { apiErrorResponses } from '../schemas.js';
import { grantorOf } from '../user-request.js';
import { RoleIdListSchema, UserAuthorizationSchema, UserIdParamsSchema } from '../user-schemas.js';
import type { UserViewServices } from '../user-views.js';

export function userRolesRoutes(operation: DefineOperation, { users, permissions }: UserViewServices): void {
  operation<{ Params: { userId: string } }>(OPERATIONS.getUserRoles, {
    schema: { params: UserIdParamsSchema, response: { 200: UserAuthorizationSchema, ...apiErrorResponses(403, 404) } },
    act: async (request) => {
      const user = await users.get(principalOf(request).organization, request.params.userId);
      return renderUserAuthorization(await users.rolesOf(user));
    },
  });

  operation<{ Params: { userId: string }; Body: string[] | undefined }>(OPERATIONS.putUserRoles, {
    description:
      "The body lists role ids of the organization (at most 100): they replace the person's roles. The caller must hold every role the person has and every role given.",
    schema: { params: UserIdParamsSchema, body: RoleIdListSchema, response: { 200: UserAuthorizationSchema, ...apiErrorResponses(403, 404, 413, 415) } },
    act: async (request) => {
      const principal = principalOf(request);
      // An unknown person is 404 before the body is judged.
      await users.get(principal.organization, request.params.userId);
      const roleIds = requireBody(request.body, request.headers, 'list of role ids');
      const { roles } = await users.setRoles(principal.organization, request.params.userId, roleIds, await grantorOf(permissions, principal));
      return renderUserAuthorization(roles);
    },
  });
}
