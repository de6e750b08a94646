/** getOauthScopes: the OAuth scopes tokend knows (known-scopes.ts). */
import type { FastifyInstance } from 'fastify';
import { KNOWN_SCOPES } from '../../core/known-scopes.js';
import { requireScope } from '../../core/scopes.js';
import { principalOf } from '../bearer.js';
import { OAuthScopeListingSchema } from '../directory-schemas.js';
import { apiErrorResponses, BearerSecurity } from '../schemas.js';
import type { RouteDeps } from './deps.js';

/** `oauth:readonly` suffices for this GET (scopes.ts). */
export const OAUTH_SCOPES_SCOPE = 'oauth';

const listing = { total: KNOWN_SCOPES.length, entities: KNOWN_SCOPES, selfUri: '/api/v2/oauth/scopes' };

export function oauthScopesRoutes(app: FastifyInstance, { services, authenticate }: RouteDeps): void {
  app.get(
    '/api/v2/oauth/scopes',
    {
      schema: {
        operationId: 'getOauthScopes',
        summary: 'The list of OAuth scopes',
        description: 'Needs no permission. User tokens need scope oauth or oauth:readonly.',
        tags: ['OAuth'],
        security: BearerSecurity,
        response: { 200: OAuthScopeListingSchema, ...apiErrorResponses(403) },
      },
      onRequest: authenticate,
    },
    async (request) => {
      const principal = principalOf(request);
      requireScope(principal, OAUTH_SCOPES_SCOPE, request.method);
      // Only a request that is answered restarts the idle clock: a refusal (400, 403) does not.
      services.authenticator.touch(principal);
      return listing;
    },
  );
}
