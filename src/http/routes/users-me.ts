/** getUsersMe: the signed-in person, with `expand=organization` and `expand=token` as Genesys fills them. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ALWAYS_GRANTED_SCOPE, requireScope } from '../../core/scopes.js';
import { IGNORED_USER_EXPANDS, userExpands } from '../../core/user-expand.js';
import { requireUserContext } from '../../core/user-context.js';
import { principalOf } from '../bearer.js';
import { UserMeSchema } from '../directory-schemas.js';
import { normalizeQueryLists } from '../query-list.js';
import { renderOrganization, renderUserMe } from '../render-directory.js';
import { renderTokenInfo } from '../render.js';
import { apiErrorResponses, BearerSecurity } from '../schemas.js';
import type { RouteDeps } from './deps.js';

export function usersMeRoutes(app: FastifyInstance, { services, authenticate }: RouteDeps): void {
  app.get<{ Querystring: { expand?: string[] } }>(
    '/api/v2/users/me',
    {
      schema: {
        operationId: 'getUsersMe',
        summary: 'Get current user details',
        description:
          'Not valid with a client-credentials token (400 bad.request). tokend fills the expands organization and token; ' +
          'the other values Genesys knows are accepted and ignored.',
        tags: ['Users'],
        security: BearerSecurity,
        querystring: Type.Object({
          expand: Type.Optional(
            // No enum: values are matched in any letter case, and an unknown one gets a 400 naming it (user-expand.ts).
            Type.Array(Type.String(), {
              description: `Which fields, if any, to expand (repeated or comma-separated). Filled: organization, token. Accepted and ignored: ${IGNORED_USER_EXPANDS.join(', ')}`,
            }),
          ),
        }),
        response: { 200: UserMeSchema, ...apiErrorResponses() },
      },
      onRequest: authenticate,
      // A single `expand=token` is a list of one: normalized before the schema checks the query.
      preValidation: async (request) => normalizeQueryLists(request.query, ['expand']),
    },
    async (request) => {
      const principal = principalOf(request);
      requireScope(principal, ALWAYS_GRANTED_SCOPE, request.method);
      const user = requireUserContext(principal);
      const expands = userExpands(request.query.expand ?? []);
      // Only a request that is answered restarts the idle clock: a refusal (400, 403) does not.
      services.authenticator.touch(principal);
      return {
        ...renderUserMe(user, principal.organization),
        organization: expands.has('organization') ? renderOrganization(principal.organization) : undefined,
        token: expands.has('token') ? renderTokenInfo(principal) : undefined,
      };
    },
  );
}
