/**
 * The account page (tokend's own; nothing like it in Genesys Cloud): the apps the signed-in
 * person allowed and removing one's access, their live tokens and revoking one, and signing out
 * everywhere. Every POST carries a CSRF token derived from the session cookie; without a session
 * the person is sent to sign in.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfTokenFor, csrfTokenMatches } from '../../core/sign-in/csrf.js';
import type { LiveSession } from '../../core/sign-in/sessions.js';
import { accountPage } from '../pages/account-page.js';
import { messagePage } from '../pages/message-page.js';
import { sendPage, sendRedirect } from '../pages/send-page.js';
import { clearSessionCookie, currentSession, formOf } from '../sign-in-flow.js';
import type { RouteDeps } from './deps.js';

const tags = ['Sign-in'];

export function accountRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  const show = async (reply: FastifyReply, signedIn: LiveSession, status = 200, notice?: string) => {
    const { user, organization } = signedIn;
    const tokens = await services.account.tokens(user, organization);
    const apps = (await services.consent.list(user)).map(({ authorization, client }) => ({
      clientId: client.id,
      clientName: client.name,
      scopes: authorization.scopes,
      allowedAt: authorization.dateModified,
    }));
    const view = { csrf: csrfTokenFor(signedIn.secret), name: user.name, email: user.email, organizationName: organization.name, apps, tokens };
    return sendPage(reply, status, accountPage(notice === undefined ? view : { ...view, notice }));
  };

  /** The session and form of a POST, or null once the answer (sign in, or 403) has been sent. */
  const checkedPost = async (request: FastifyRequest, reply: FastifyReply) => {
    const signedIn = await currentSession(services, request);
    if (!signedIn) {
      await sendRedirect(reply, 303, '/login');
      return null;
    }
    const form = formOf(request.body);
    if (!form || !csrfTokenMatches(signedIn.secret, form.csrf)) {
      await sendPage(
        reply,
        403,
        messagePage('Request refused', 'This form has expired or did not come from this page. Nothing was changed.', {
          href: '/account',
          text: 'Back to your account',
        }),
      );
      return null;
    }
    return { signedIn, form };
  };

  app.get('/account', { schema: { operationId: 'getAccount', summary: 'The account page', tags } }, async (request, reply) => {
    const signedIn = await currentSession(services, request);
    if (!signedIn) return sendRedirect(reply, 303, '/login');
    return show(reply, signedIn);
  });

  app.post('/account/revoke', { schema: { operationId: 'postAccountRevoke', summary: 'Revoke one of your tokens', tags } }, async (request, reply) => {
    const checked = await checkedPost(request, reply);
    if (!checked) return reply;
    const revoked = await services.account.revokeFamily(checked.signedIn.user, checked.form.family ?? '');
    if (!revoked) return show(reply, checked.signedIn, 404, 'That token is not one of your active tokens.');
    return sendRedirect(reply, 303, '/account');
  });

  app.post(
    '/account/remove-access',
    { schema: { operationId: 'postAccountRemoveAccess', summary: "Remove an app's access: its Allow and every token it holds for you", tags } },
    async (request, reply) => {
      const checked = await checkedPost(request, reply);
      if (!checked) return reply;
      const removed = await services.consent.remove(checked.signedIn.user, checked.form.client ?? '');
      if (!removed) return show(reply, checked.signedIn, 404, 'That app is not one you allowed.');
      return sendRedirect(reply, 303, '/account');
    },
  );

  app.post(
    '/account/sign-out-everywhere',
    { schema: { operationId: 'postAccountSignOutEverywhere', summary: 'End every session and token of yours', tags } },
    async (request, reply) => {
      const checked = await checkedPost(request, reply);
      if (!checked) return reply;
      await services.sessions.endAll(checked.signedIn.user.id);
      clearSessionCookie(request, reply);
      return sendPage(
        reply,
        200,
        messagePage('Signed out', 'You are signed out everywhere: every session and every token of yours has ended.', {
          href: '/login',
          text: 'Sign in again',
        }),
      );
    },
  );
}
