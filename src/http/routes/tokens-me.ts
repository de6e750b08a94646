/** getTokensMe, headTokensMe, deleteTokensMe (CONTRACT.md, "The Tokens API"). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireScope } from '../../core/scopes.js';
import { principalOf } from '../bearer.js';
import { renderTokenInfo } from '../render.js';
import { apiErrorResponses, BearerSecurity, TokenInfoSchema } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const tags = ['Tokens'];

export function tokensMeRoutes(app: FastifyInstance, { services, authenticate }: RouteDeps): void {
  const { authenticator } = services;

  app.get<{ Querystring: { preserveIdleTTL?: boolean } }>(
    '/api/v2/tokens/me',
    {
      schema: {
        operationId: 'getTokensMe',
        summary: 'Fetch information about the current token',
        tags,
        security: BearerSecurity,
        querystring: Type.Object({
          preserveIdleTTL: Type.Optional(Type.Boolean({ description: 'true: this request does not restart the idle clock' })),
        }),
        response: { 200: TokenInfoSchema, ...apiErrorResponses(403) },
      },
      onRequest: authenticate,
    },
    async (request) => {
      const principal = principalOf(request);
      requireScope(principal, 'user-basic-info', request.method);
      if (request.query.preserveIdleTTL !== true) authenticator.touch(principal);
      return renderTokenInfo(principal);
    },
  );

  app.head(
    '/api/v2/tokens/me',
    {
      schema: {
        operationId: 'headTokensMe',
        summary: 'Verify user token',
        tags,
        security: BearerSecurity,
        response: { 200: Type.Null(), ...apiErrorResponses() },
      },
      onRequest: authenticate,
    },
    async (request, reply) => {
      authenticator.touch(principalOf(request));
      return reply.code(200).send();
    },
  );

  app.delete(
    '/api/v2/tokens/me',
    {
      schema: {
        operationId: 'deleteTokensMe',
        summary: 'Delete auth token used to make the request',
        description: 'Revokes the token, and the refresh tokens of its sign-in, on every node.',
        tags,
        security: BearerSecurity,
        response: { 200: Type.Null(), ...apiErrorResponses() },
      },
      onRequest: authenticate,
    },
    async (request, reply) => {
      const { token } = principalOf(request);
      await authenticator.revokeToken(token.hash, 'self');
      if (token.familyId !== null) await authenticator.revokeFamily(token.familyId, null);
      return reply.code(200).send();
    },
  );
}
