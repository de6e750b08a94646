/**
 * `POST /consent`: the answer of the consent page (CONTRACT.md, "Consent"). In order: the form,
 * the authorization request it carries (checked again as at `/oauth/authorize`), the sign-in
 * session, the consent token (bound to that session and to this exact request), then the
 * decision: Deny goes back to the app with `error=access_denied`; Allow is remembered and the
 * app gets its code or token. Nothing is allowed or issued before every check has passed.
 */
import type { FastifyInstance } from 'fastify';
import { errorRedirectUri } from '../../core/authorize/complete.js';
import { consentTokenMatches } from '../../core/consent/consent-token.js';
import { messagePage } from '../pages/message-page.js';
import { sendPage, sendRedirect } from '../pages/send-page.js';
import { currentSession, finishAuthorization, formOf, showSignIn } from '../sign-in-flow.js';
import type { RouteDeps } from './deps.js';

export function consentRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  app.post(
    '/consent',
    { schema: { operationId: 'postConsent', summary: 'Allow or deny an app (the consent form)', tags: ['Sign-in'] } },
    async (request, reply) => {
      const form = formOf(request.body);
      if (!form || form.authorize === undefined)
        return sendPage(reply, 400, messagePage('That did not work', 'The consent form was not understood. Go back to the app and try again.'));
      // A refused authorization request (AuthorizeError) is answered by the pages' error handler.
      const authorize = await services.signIn.authorizeRequest(new URLSearchParams(form.authorize));
      const signedIn = await currentSession(services, request);
      if (!signedIn || signedIn.organization.id !== authorize.client.organizationId) {
        // The session ended (or the form came from another site, without the cookie): sign in, then decide again.
        return showSignIn(services, request, reply, {
          status: 200,
          authorize,
          error: { message: 'Your sign-in has ended. Sign in again to continue.', fields: [] },
        });
      }
      if (!consentTokenMatches(signedIn.secret, authorize, form.consent)) {
        return sendPage(
          reply,
          403,
          messagePage(
            'Request refused',
            'This consent form has expired or did not come from this page. Nothing was allowed. Go back to the app and try again.',
          ),
        );
      }
      if (form.decision === 'deny') {
        return sendRedirect(reply, 303, errorRedirectUri(authorize.errorRedirect, 'access_denied', 'The person denied the request.'));
      }
      if (form.decision !== 'allow')
        return sendPage(reply, 400, messagePage('That did not work', 'The consent form was not understood. Go back to the app and try again.'));
      await services.consent.allow(signedIn.user, authorize);
      return finishAuthorization(services, reply, authorize, signedIn, 303);
    },
  );
}
