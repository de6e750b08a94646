/**
 * `GET /oauth/authorize` (CONTRACT.md; RFC 6749 §4.1.1, §4.2.1): check the request, then either
 * finish at once for a person already signed in to the client's organization, or show the
 * sign-in form, which posts to `/login` carrying the request along.
 */
import type { FastifyInstance } from 'fastify';
import { currentSession, finishAuthorization, showSignIn } from '../sign-in-flow.js';
import type { RouteDeps } from './deps.js';

export function oauthAuthorizeRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  app.get(
    '/oauth/authorize',
    {
      schema: {
        operationId: 'getOauthAuthorize',
        summary: 'Start a browser sign-in (authorization code with or without PKCE, or implicit)',
        description: 'Query: client_id, redirect_uri, response_type=code|token, state, scope, code_challenge, code_challenge_method=S256, org, prompt=login.',
        tags: ['OAuth'],
      },
    },
    // A refused request (AuthorizeError) is answered by the pages' error handler.
    async (request, reply) => {
      const authorize = await services.signIn.authorizeRequest(new URLSearchParams(request.url.split('?')[1] ?? ''));
      const signedIn = await currentSession(services, request);
      if (signedIn && signedIn.organization.id === authorize.client.organizationId && !authorize.promptLogin) {
        return finishAuthorization(services, reply, authorize, signedIn, 302);
      }
      return showSignIn(request, reply, { status: 200, authorize });
    },
  );
}
