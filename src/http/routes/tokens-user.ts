/** deleteToken: revoke every access and refresh token of a user of the caller's organization. */
import { Type } from '@sinclair/typebox';
import { errors } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

export function tokensUserRoutes(operation: DefineOperation, { authenticator, directory }: Pick<RouteServices, 'authenticator' | 'directory'>): void {
  operation<{ Params: { userId: string } }>(OPERATIONS.deleteToken, {
    schema: {
      params: Type.Object({ userId: Type.String({ description: 'User ID' }) }),
      response: { 204: Type.Null(), ...apiErrorResponses(403, 404) },
    },
    act: async (request, reply) => {
      const principal = principalOf(request);
      const { userId } = request.params;
      const user = await directory.user(userId);
      if (!user || user.organizationId !== principal.organization.id) throw errors.notFound('User not found.', userId);
      await authenticator.revokeUserTokens(user.id, 'user_tokens');
      return reply.code(204).send();
    },
  });
}
