/** getAuthorizationDivisionsHome: the organization's home division, the one client `roleDivisions` name. */
import type { FastifyInstance } from 'fastify';
import { requireScope } from '../../core/scopes.js';
import { principalOf } from '../bearer.js';
import { AuthzDivisionSchema } from '../directory-schemas.js';
import { renderHomeDivision } from '../render-directory.js';
import { apiErrorResponses, BearerSecurity } from '../schemas.js';
import type { RouteDeps } from './deps.js';
import { AUTHORIZATION_SCOPE } from './authorization-roles.js';

export function divisionsHomeRoutes(app: FastifyInstance, { services, authenticate }: RouteDeps): void {
  app.get(
    '/api/v2/authorization/divisions/home',
    {
      schema: {
        operationId: 'getAuthorizationDivisionsHome',
        summary: 'Retrieve the home division for the organization',
        description: 'Needs no permission. User tokens need scope authorization or authorization:readonly.',
        tags: ['Authorization'],
        security: BearerSecurity,
        response: { 200: AuthzDivisionSchema, ...apiErrorResponses(403) },
      },
      onRequest: authenticate,
    },
    async (request) => {
      const principal = principalOf(request);
      requireScope(principal, AUTHORIZATION_SCOPE, request.method);
      // Only a request that is answered restarts the idle clock: a refusal (400, 403) does not.
      services.authenticator.touch(principal);
      return renderHomeDivision(principal.organization);
    },
  );
}
