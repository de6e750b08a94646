/** getTokensMe, headTokensMe, deleteTokensMe (CONTRACT.md, "The Tokens API"). */
import { Type } from '@sinclair/typebox';
import { OPERATIONS } from '../../core/operations/table.js';
import type { Principal } from '../../core/principal.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { renderTokenInfo } from '../render.js';
import { apiErrorResponses, TokenInfoSchema } from '../schemas.js';
import type { RouteServices } from './deps.js';

export function tokensMeRoutes(operation: DefineOperation, { authenticator }: Pick<RouteServices, 'authenticator'>): void {
  operation<{ Querystring: { preserveIdleTTL?: boolean } }, Principal>(OPERATIONS.getTokensMe, {
    schema: {
      querystring: Type.Object({
        preserveIdleTTL: Type.Optional(Type.Boolean({ description: 'true: this request does not restart the idle clock' })),
      }),
      response: { 200: TokenInfoSchema, ...apiErrorResponses(403) },
    },
    act: (request) => principalOf(request),
    render: renderTokenInfo,
  });

  operation(OPERATIONS.headTokensMe, {
    schema: { response: { 200: Type.Null(), ...apiErrorResponses() } },
    act: (_request, reply) => reply.code(200).send(),
  });

  operation(OPERATIONS.deleteTokensMe, {
    description: 'Revokes the token, and the refresh tokens of its sign-in, on every node.',
    schema: { response: { 200: Type.Null(), ...apiErrorResponses() } },
    act: async (request, reply) => {
      const { token } = principalOf(request);
      await authenticator.revokeToken(token.hash, 'self');
      if (token.familyId !== null) await authenticator.revokeFamily(token.familyId, null);
      return reply.code(200).send();
    },
  });
}
