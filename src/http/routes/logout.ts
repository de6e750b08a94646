/**
 * `GET /logout?client_id&redirect_uri` (CONTRACT.md): ends the sign-in session, and with it the
 * tokens issued through it (ours), then goes back to the client, but only to a redirect URI
 * registered for that client; anything else gets a "signed out" page instead of a redirect.
 *
 * A GET that another site can send (a link, a redirect) must not sign a person out unasked: one
 * that arrives cross-site (`Sec-Fetch-Site` neither `same-origin` nor `none`, a missing header
 * counting as cross-site) without a client and one of its registered redirect URIs asks first,
 * and `POST /logout` (with the session's CSRF token) signs out. With them it proceeds as the
 * SDK's logout expects: a site that copies an app's id and URI can still sign a person out, a
 * limit of the Genesys protocol (docs/browser-sign-in.md).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashToken } from '../../core/secrets.js';
import { csrfTokenFor, csrfTokenMatches } from '../../core/sign-in/csrf.js';
import { readCookie, SESSION_COOKIE } from '../cookies.js';
import { messagePage } from '../pages/message-page.js';
import { sendPage, sendRedirect } from '../pages/send-page.js';
import { signOutPage } from '../pages/sign-out-page.js';
import { clearSessionCookie, currentSession, formOf } from '../sign-in-flow.js';
import type { RouteDeps } from './deps.js';

const tags = ['Sign-in'];
const SIGNED_OUT = {
  good: true,
  links: [
    { href: '/login', text: 'Sign in again' },
    { href: '/', text: "Go to tokend's home page" },
  ],
};

/** Sent by the browser itself (Fetch Metadata): our own pages, or the person typing the address. */
function fromThisSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  return site === 'same-origin' || site === 'none';
}

export function logoutRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  /** Ends the browser's session (idempotent, even when expired or already ended) and clears its cookie. */
  const endSession = async (request: FastifyRequest, reply: FastifyReply) => {
    const secret = readCookie(request, SESSION_COOKIE);
    if (secret) await services.sessions.end(hashToken(secret));
    clearSessionCookie(request, reply);
  };
  const signedOut = (reply: FastifyReply) => sendPage(reply, 200, messagePage('Signed out', 'You are signed out.', SIGNED_OUT));

  app.get<{ Querystring: { client_id?: unknown; redirect_uri?: unknown } }>(
    '/logout',
    { schema: { operationId: 'getLogout', summary: 'Sign out of the browser session', tags } },
    async (request, reply) => {
      const { client_id: clientId, redirect_uri: redirectUri } = request.query;
      const returnTo = typeof redirectUri === 'string' && redirectUri !== '' ? redirectUri : null;
      const registered = returnTo !== null && (await services.signIn.mayReturnTo(clientId, returnTo));
      if (!registered && !fromThisSite(request)) {
        const signedIn = await currentSession(services, request);
        if (signedIn) {
          const { user } = signedIn;
          return sendPage(reply, 200, signOutPage({ csrf: csrfTokenFor(signedIn.secret), name: user.name, email: user.email }));
        }
      }
      await endSession(request, reply);
      if (returnTo === null) return signedOut(reply);
      if (registered) return sendRedirect(reply, 302, returnTo);
      return sendPage(
        reply,
        400,
        messagePage('Signed out', 'You are signed out. The app asked to send you back to an address it has not registered, so you stay here.', SIGNED_OUT),
      );
    },
  );

  app.post('/logout', { schema: { operationId: 'postLogout', summary: 'Sign out (the confirmation form)', tags } }, async (request, reply) => {
    const signedIn = await currentSession(services, request);
    // A form posted from another site comes without the session cookie (SameSite=Lax); answering
    // it with a cleared cookie would still sign the browser out, since browsers store the
    // cookies of a top-level answer whatever site sent the form.
    const refused = signedIn ? !csrfTokenMatches(signedIn.secret, formOf(request.body)?.csrf) : readCookie(request, SESSION_COOKIE) === undefined;
    if (refused) {
      return sendPage(
        reply,
        403,
        messagePage('Request refused', 'This form has expired or did not come from this page. Nothing was signed out.', {
          links: [{ href: '/account', text: 'Go to your account' }],
        }),
      );
    }
    await endSession(request, reply);
    return signedOut(reply);
  });
}
