/**
 * `GET /oauth/authorize` (CONTRACT.md; RFC 6749 §4.1.1, §4.2.1): check the request, then, for a
 * person already signed in to the client's organization, finish at once when they allowed the
 * app before or ask them (consent-flow.ts); for anyone else show the sign-in form, which posts to
 * `/login` carrying the request along. `prompt=none` shows no page: it fails back to the app with
 * `login_required` or `consent_required` where one would be needed.
 */
import type { FastifyInstance } from 'fastify';
import { AuthorizeError } from '../../core/authorize/authorize-error.js';
import { continueAuthorization } from '../consent-flow.js';
import { currentSession, finishAuthorization, showSignIn } from '../sign-in-flow.js';
import type { RouteDeps } from './deps.js';

export function oauthAuthorizeRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  app.get(
    '/oauth/authorize',
    {
      schema: {
        operationId: 'getOauthAuthorize',
        summary: 'Start a browser sign-in (authorization code with or without PKCE, or implicit)',
        description:
          'Query: client_id, redirect_uri, response_type=code|token, state, scope, code_challenge, code_challenge_method=S256, org, prompt=login|none.',
        tags: ['OAuth'],
      },
    },
    // A refused request (AuthorizeError) is answered by the pages' error handler.
    async (request, reply) => {
      const authorize = await services.signIn.authorizeRequest(new URLSearchParams(request.url.split('?')[1] ?? ''));
      const signedIn = await currentSession(services, request);
      const inOrganization = signedIn !== null && signedIn.organization.id === authorize.client.organizationId ? signedIn : null;
      if (authorize.prompt === 'none') {
        if (!inOrganization) throw new AuthorizeError('login_required', 'The person is not signed in.', authorize.errorRedirect);
        if (await services.consent.needed(inOrganization.user, authorize)) {
          throw new AuthorizeError('consent_required', 'The person has not allowed this application these scopes.', authorize.errorRedirect);
        }
        return finishAuthorization(services, reply, authorize, inOrganization, 302);
      }
      if (inOrganization && authorize.prompt !== 'login') return continueAuthorization(services, reply, authorize, inOrganization, 302);
      return showSignIn(services, request, reply, { status: 200, authorize });
    },
  );
}
