/** deleteToken: revoke every access and refresh token of a user of the caller's organization. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../core/errors.js';
import { requireScope } from '../../core/scopes.js';
import { principalOf } from '../bearer.js';
import { apiErrorResponses, BearerSecurity } from '../schemas.js';
import type { RouteDeps } from './deps.js';

export const DELETE_TOKEN_PERMISSION = 'oauth:token:delete';
/** The scope a user token's app needs (CONTRACT.md, "The Tokens API": ours, as Genesys' is not public). */
export const DELETE_TOKEN_SCOPE = 'oauth';

export function tokensUserRoutes(app: FastifyInstance, { services, authenticate }: RouteDeps): void {
  const { authenticator, directory, permissions } = services;

  app.delete<{ Params: { userId: string } }>(
    '/api/v2/tokens/:userId',
    {
      schema: {
        operationId: 'deleteToken',
        summary: 'Delete all auth tokens for the specified user',
        tags: ['Tokens'],
        security: BearerSecurity,
        params: Type.Object({ userId: Type.String({ description: 'User ID' }) }),
        response: { 204: Type.Null(), ...apiErrorResponses(403, 404) },
      },
      onRequest: authenticate,
    },
    async (request, reply) => {
      const principal = principalOf(request);
      authenticator.touch(principal);
      // The app's scope first: a user's permissions reach only as far as the app they signed in to.
      requireScope(principal, DELETE_TOKEN_SCOPE, request.method);
      await permissions.requireAny(principal, [DELETE_TOKEN_PERMISSION]);
      const { userId } = request.params;
      const user = await directory.user(userId);
      if (!user || user.organizationId !== principal.organization.id) throw errors.notFound('User not found.', userId);
      await authenticator.revokeUserTokens(user.id, 'user_tokens');
      return reply.code(204).send();
    },
  );
}
