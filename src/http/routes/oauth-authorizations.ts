/**
 * A person's authorizations of apps (`OAuthApi`: getOauthAuthorizations, getOauthAuthorization;
 * CONTRACT.md, "Consent"): the Allows the calling person gave on the consent page, their own
 * only. What the two operations require is the table of operations' (no permission, any user
 * token, a person behind it). Another person's authorization, or an unknown client, is 404.
 */
import { errors } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import { requireUserContext } from '../../core/user-context.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { AUTHORIZATIONS_PATH, renderAuthorization } from '../oauth-authorizations/render.js';
import { AuthorizationParamsSchema, OAuthAuthorizationListingSchema, OAuthAuthorizationSchema } from '../oauth-authorizations/schemas.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

export function oauthAuthorizationsRoutes(operation: DefineOperation, { consent }: Pick<RouteServices, 'consent'>): void {
  operation(OPERATIONS.getOauthAuthorizations, {
    description: 'The apps the calling person allowed on the consent page.',
    schema: { response: { 200: OAuthAuthorizationListingSchema, ...apiErrorResponses(403) } },
    act: async (request) => {
      const entities = (await consent.list(requireUserContext(principalOf(request)))).map(renderAuthorization);
      return { total: entities.length, entities, selfUri: AUTHORIZATIONS_PATH };
    },
  });

  operation<{ Params: { clientId: string } }>(OPERATIONS.getOauthAuthorization, {
    description: "The calling person's authorization of one app; 404 when they have not authorized it.",
    schema: { params: AuthorizationParamsSchema, response: { 200: OAuthAuthorizationSchema, ...apiErrorResponses(403, 404) } },
    act: async (request) => {
      const { clientId } = request.params;
      const held = await consent.find(requireUserContext(principalOf(request)), clientId);
      if (!held) throw errors.notFound('OAuth authorization not found.', clientId);
      return renderAuthorization(held);
    },
  });
}
