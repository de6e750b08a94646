/**
 * `GET /logout?client_id&redirect_uri` (CONTRACT.md): ends the sign-in session, and with it the
 * tokens issued through it (ours), then goes back to the client, but only to a redirect URI
 * registered for that client; anything else gets a "signed out" page instead of a redirect.
 */
import type { FastifyInstance } from 'fastify';
import { hashToken } from '../../core/secrets.js';
import { readCookie, SESSION_COOKIE } from '../cookies.js';
import { messagePage } from '../pages/message-page.js';
import { sendPage, sendRedirect } from '../pages/send-page.js';
import { clearSessionCookie } from '../sign-in-flow.js';
import type { RouteDeps } from './deps.js';

export function logoutRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  app.get<{ Querystring: { client_id?: unknown; redirect_uri?: unknown } }>(
    '/logout',
    { schema: { operationId: 'getLogout', summary: 'Sign out of the browser session', tags: ['Sign-in'] } },
    async (request, reply) => {
      const secret = readCookie(request, SESSION_COOKIE);
      // Ended even when expired or already revoked: ending is idempotent.
      if (secret) await services.sessions.end(hashToken(secret));
      clearSessionCookie(request, reply);
      const { client_id: clientId, redirect_uri: redirectUri } = request.query;
      if (typeof redirectUri === 'string' && redirectUri !== '') {
        if (await services.signIn.mayReturnTo(clientId, redirectUri)) return sendRedirect(reply, 302, redirectUri);
        return sendPage(
          reply,
          400,
          messagePage('Signed out', 'You are signed out. The address to return to is not registered for this application, so you stay here.', {
            href: '/login',
            text: 'Sign in again',
          }),
        );
      }
      return sendPage(reply, 200, messagePage('Signed out', 'You are signed out.', { href: '/login', text: 'Sign in again' }));
    },
  );
}
