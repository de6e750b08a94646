/**
 * A person's authorizations of apps (`OAuthApi`: getOauthAuthorizations, getOauthAuthorization;
 * CONTRACT.md, "Consent"): the Allows the calling person gave on the consent page, their own
 * only. What the two operations require is written once, in {@link admit}: no permission
 * (**ours**: they list only the caller's own), the always-granted scope `user-basic-info`, and a
 * person behind the token (a client-credentials token gets the users/me 400). Another person's
 * authorization, or an unknown client, is 404.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../../core/errors.js';
import type { User } from '../../core/models.js';
import { ALWAYS_GRANTED_SCOPE, requireScope } from '../../core/scopes.js';
import { requireUserContext } from '../../core/user-context.js';
import { principalOf } from '../bearer.js';
import { AUTHORIZATIONS_PATH, renderAuthorization } from '../oauth-authorizations/render.js';
import { AuthorizationParamsSchema, OAuthAuthorizationListingSchema, OAuthAuthorizationSchema } from '../oauth-authorizations/schemas.js';
import { apiErrorResponses, BearerSecurity } from '../schemas.js';
import type { RouteDeps } from './deps.js';

const tags = ['OAuth'];
/** The scope a user token's app needs (CONTRACT.md: ours, since they list only the caller's own). */
export const AUTHORIZATIONS_SCOPE = ALWAYS_GRANTED_SCOPE;

export function oauthAuthorizationsRoutes(app: FastifyInstance, { services, authenticate }: RouteDeps): void {
  /** The scope, then a person behind the token; the idle clock moves only for a request admitted. */
  const admit = (request: FastifyRequest): User => {
    const principal = principalOf(request);
    requireScope(principal, AUTHORIZATIONS_SCOPE, request.method);
    const user = requireUserContext(principal);
    services.authenticator.touch(principal);
    return user;
  };

  app.get(
    AUTHORIZATIONS_PATH,
    {
      schema: {
        operationId: 'getOauthAuthorizations',
        summary: 'List clients that have been authorized, requested, or revoked by the resource owner',
        description: 'The apps the calling person allowed on the consent page. Not valid with a client-credentials token (400 bad.request).',
        tags,
        security: BearerSecurity,
        response: { 200: OAuthAuthorizationListingSchema, ...apiErrorResponses(403) },
      },
      onRequest: authenticate,
    },
    async (request) => {
      const entities = (await services.consent.list(admit(request))).map(renderAuthorization);
      return { total: entities.length, entities, selfUri: AUTHORIZATIONS_PATH };
    },
  );

  app.get<{ Params: { clientId: string } }>(
    `${AUTHORIZATIONS_PATH}/:clientId`,
    {
      schema: {
        operationId: 'getOauthAuthorization',
        summary: 'Get a client that is authorized by the resource owner',
        description: "The calling person's authorization of one app; 404 when they have not authorized it.",
        tags,
        security: BearerSecurity,
        params: AuthorizationParamsSchema,
        response: { 200: OAuthAuthorizationSchema, ...apiErrorResponses(403, 404) },
      },
      onRequest: authenticate,
    },
    async (request) => {
      const { clientId } = request.params;
      const held = await services.consent.find(admit(request), clientId);
      if (!held) throw errors.notFound('OAuth authorization not found.', clientId);
      return renderAuthorization(held);
    },
  );
}
