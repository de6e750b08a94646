/** getOrganizationsMe: the organization of the calling token, for user and client-credentials tokens alike. */
import type { FastifyInstance } from 'fastify';
import { requireScope } from '../../core/scopes.js';
import { principalOf } from '../bearer.js';
import { OrganizationSchema } from '../directory-schemas.js';
import { renderOrganization } from '../render-directory.js';
import { apiErrorResponses, BearerSecurity } from '../schemas.js';
import type { RouteDeps } from './deps.js';

/** `organization:readonly` suffices for this GET (scopes.ts). */
export const ORGANIZATION_SCOPE = 'organization';

export function organizationsMeRoutes(app: FastifyInstance, { services, authenticate }: RouteDeps): void {
  app.get(
    '/api/v2/organizations/me',
    {
      schema: {
        operationId: 'getOrganizationsMe',
        summary: 'Get organization',
        description: "The calling token's organization. User tokens need scope organization or organization:readonly.",
        tags: ['Organization'],
        security: BearerSecurity,
        response: { 200: OrganizationSchema, ...apiErrorResponses(403) },
      },
      onRequest: authenticate,
    },
    async (request) => {
      const principal = principalOf(request);
      requireScope(principal, ORGANIZATION_SCOPE, request.method);
      // Only a request that is answered restarts the idle clock: a refusal (400, 403) does not.
      services.authenticator.touch(principal);
      return renderOrganization(principal.organization);
    },
  );
}
