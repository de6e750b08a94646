/**
 * The step between a signed-in person and the code or token an app asked for (CONTRACT.md,
 * "Consent"): straight back to the app when the person allowed it before (or it is
 * pre-authorized), the consent page otherwise. Shared by `/oauth/authorize` (already signed in)
 * and `/login` (just signed in).
 */
import type { FastifyReply } from 'fastify';
import type { AuthorizeRequest } from '../core/authorize/request.js';
import { consentTokenFor } from '../core/consent/consent-token.js';
import { scopeDescription } from '../core/known-scopes.js';
import type { Services } from '../core/services.js';
import type { LiveSession } from '../core/sign-in/sessions.js';
import { consentPage } from './pages/consent-page.js';
import { cspSourceOf, sendPage } from './pages/send-page.js';
import { finishAuthorization } from './sign-in-flow.js';

export async function continueAuthorization(
  services: Pick<Services, 'signIn' | 'consent'>,
  reply: FastifyReply,
  authorize: AuthorizeRequest,
  signedIn: LiveSession,
  status: 302 | 303,
): Promise<FastifyReply> {
  if (await services.consent.needed(signedIn.user, authorize)) return showConsent(reply, authorize, signedIn);
  return finishAuthorization(services, reply, authorize, signedIn, status);
}

export function showConsent(reply: FastifyReply, authorize: AuthorizeRequest, signedIn: LiveSession): FastifyReply {
  const { client } = authorize;
  const page = consentPage({
    consent: consentTokenFor(signedIn.secret, authorize),
    query: authorize.query,
    clientName: client.name,
    clientDescription: client.description ?? null,
    organizationName: signedIn.organization.name,
    personName: signedIn.user.name,
    personEmail: signedIn.user.email,
    scopes: authorize.scopes.map((id) => ({ id, description: scopeDescription(id) })),
  });
  // Chromium applies form-action to the redirect that answers the form: the app's origin too.
  const redirectSource = cspSourceOf(authorize.redirectUri);
  return sendPage(reply, 200, page, redirectSource ? [redirectSource] : []);
}
