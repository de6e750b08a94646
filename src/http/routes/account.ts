/**
 * The account page (tokend's own; nothing like it in Genesys Cloud): where the signed-in person
 * is signed in and revoking one sign-in, the apps they allowed and removing one's access, and
 * signing out everywhere. Every POST carries a CSRF token derived from the session cookie;
 * without a session the person is sent to sign in. Revoke and "sign out everywhere" act only
 * with `confirm=yes` (the script's dialog, or the question page it shows otherwise); each action
 * comes back to `/account?done=…#notice`, the notice focused where the action was taken.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { scopeDescription } from '../../core/known-scopes.js';
import { csrfTokenFor, csrfTokenMatches } from '../../core/sign-in/csrf.js';
import type { LiveSession } from '../../core/sign-in/sessions.js';
import { type AccountNotice, accountPage } from '../pages/account-page.js';
import { confirmRevokePage, confirmSignOutEverywherePage } from '../pages/confirm-pages.js';
import { messagePage } from '../pages/message-page.js';
import { sendPage, sendRedirect } from '../pages/send-page.js';
import { clearSessionCookie, currentSession, formOf } from '../sign-in-flow.js';
import type { RouteDeps } from './deps.js';

const tags = ['Sign-in'];

/** What `?done=` may say: a fixed list, so that no link can put its own words on the page. */
const DONE: Record<string, AccountNotice> = {
  revoked: { text: 'That sign-in has ended.', section: 'sign-ins' },
  removed: { text: "The app's access is removed, and every sign-in it held for you has ended.", section: 'apps' },
};

export function accountRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  const signInsOf = ({ user, organization, session }: LiveSession) => services.account.signIns(user, organization, session.hash);

  const show = async (reply: FastifyReply, signedIn: LiveSession, status = 200, notice?: AccountNotice) => {
    const { user, organization } = signedIn;
    const allowed = (await services.consent.list(user)).map(({ authorization, client }) => ({
      clientId: client.id,
      clientName: client.name,
      scopes: authorization.scopes.map((id) => ({ id, description: scopeDescription(id) })),
      allowedAt: authorization.dateModified,
    }));
    const view = {
      csrf: csrfTokenFor(signedIn.secret),
      name: user.name,
      email: user.email,
      organizationName: organization.name,
      allowed,
      signIns: await signInsOf(signedIn),
    };
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
          links: [{ href: '/account', text: 'Back to your account' }],
        }),
      );
      return null;
    }
    return { signedIn, form, confirmed: form.confirm === 'yes' };
  };

  app.get<{ Querystring: { done?: unknown } }>(
    '/account',
    { schema: { operationId: 'getAccount', summary: 'The account page', tags } },
    async (request, reply) => {
      const signedIn = await currentSession(services, request);
      if (!signedIn) return sendRedirect(reply, 303, '/login');
      const { done } = request.query;
      return show(reply, signedIn, 200, typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done] : undefined);
    },
  );

  app.post('/account/revoke', { schema: { operationId: 'postAccountRevoke', summary: 'Revoke one of your sign-ins', tags } }, async (request, reply) => {
    const checked = await checkedPost(request, reply);
    if (!checked) return reply;
    const { signedIn, form, confirmed } = checked;
    const notFound = () => show(reply, signedIn, 404, { text: 'That sign-in is not one of yours, or it has already ended.', section: 'sign-ins' });
    if (!confirmed) {
      const signIn = (await signInsOf(signedIn)).flatMap((app) => app.signIns).find((one) => one.familyId === form.family);
      return signIn ? sendPage(reply, 200, confirmRevokePage(form.csrf as string, signIn)) : notFound();
    }
    if (!(await services.account.revokeFamily(signedIn.user, form.family ?? ''))) return notFound();
    return sendRedirect(reply, 303, '/account?done=revoked#notice');
  });

  app.post(
    '/account/remove-access',
    { schema: { operationId: 'postAccountRemoveAccess', summary: "Remove an app's access: its Allow and every token it holds for you", tags } },
    async (request, reply) => {
      const checked = await checkedPost(request, reply);
      if (!checked) return reply;
      const removed = await services.consent.remove(checked.signedIn.user, checked.form.client ?? '');
      if (!removed) return show(reply, checked.signedIn, 404, { text: 'That app is not one you allowed.', section: 'apps' });
      return sendRedirect(reply, 303, '/account?done=removed#notice');
    },
  );

  app.post(
    '/account/sign-out-everywhere',
    { schema: { operationId: 'postAccountSignOutEverywhere', summary: 'End every session and token of yours', tags } },
    async (request, reply) => {
      const checked = await checkedPost(request, reply);
      if (!checked) return reply;
      if (!checked.confirmed) return sendPage(reply, 200, confirmSignOutEverywherePage(checked.form.csrf as string));
      await services.sessions.endAll(checked.signedIn.user.id);
      clearSessionCookie(request, reply);
      return sendPage(
        reply,
        200,
        messagePage('Signed out', 'You are signed out everywhere: every session and every token of yours has ended.', {
          good: true,
          links: [
            { href: '/login', text: 'Sign in again' },
            { href: '/', text: "Go to tokend's home page" },
          ],
        }),
      );
    },
  );
}
