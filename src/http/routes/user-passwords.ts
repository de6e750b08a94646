/**
 * Passwords (`UsersApi`: postUserPassword, postUsersMePassword). Every password set is judged by
 * the organization's policy (400 naming the rule, nothing changed); a set password ends the
 * person's sign-in sessions (every browser signs in again). An admin sets the password only of a
 * person whose every role it holds; a person changes their own given the old one. Both answer 204.
 */
import { Type } from '@sinclair/typebox';
import type { UserRecord } from '../../core/models.js';
import { OPERATIONS } from '../../core/operations/table.js';
import { requireUserContext } from '../../core/user-context.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { requireBody } from '../request-body.js';
import { apiErrorResponses } from '../schemas.js';
import { grantorOf } from '../user-request.js';
import { ChangeMyPasswordRequestSchema, ChangePasswordRequestSchema, UserIdParamsSchema } from '../user-schemas.js';
import type { UserViewServices } from '../user-views.js';

export function userPasswordsRoutes(operation: DefineOperation, { users, permissions }: UserViewServices): void {
  operation<{ Params: { userId: string }; Body: { newPassword: string } | undefined }>(OPERATIONS.postUserPassword, {
    description: "The person's tokens stay valid (DELETE /api/v2/tokens/{userId} ends them).",
    schema: { params: UserIdParamsSchema, body: ChangePasswordRequestSchema, response: { 204: Type.Null(), ...apiErrorResponses(403, 404, 413, 415) } },
    act: async (request, reply) => {
      const principal = principalOf(request);
      await users.get(principal.organization, request.params.userId);
      const body = requireBody(request.body, request.headers, 'ChangePasswordRequest');
      await users.setPassword(principal.organization, request.params.userId, body.newPassword, await grantorOf(permissions, principal));
      return reply.code(204).send();
    },
  });

  operation<{ Body: { newPassword: string; oldPassword: string } | undefined }>(OPERATIONS.postUsersMePassword, {
    description:
      'A wrong oldPassword is 400 invalid.value naming oldPassword, and nothing changes; wrong ones are throttled as sign-ins are (429 with Retry-After past 5 per person and address in 15 minutes).',
    schema: { body: ChangeMyPasswordRequestSchema, response: { 204: Type.Null(), ...apiErrorResponses(413, 415, 429) } },
    act: async (request, reply) => {
      const person = requireUserContext(principalOf(request)) as UserRecord;
      const body = requireBody(request.body, request.headers, 'ChangeMyPasswordRequest');
      await users.changeOwnPassword(person, body.oldPassword, body.newPassword, request.ip);
      return reply.code(204).send();
    },
  });
}
