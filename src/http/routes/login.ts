/**
 * The sign-in page. `GET /login` shows it for the account page; `POST /login` checks the form
 * (CSRF first), the credentials (throttled), starts a session and goes on: when the form carries
 * an authorization request, back to the client or to the consent page, to the account page otherwise.
 */
import type { FastifyInstance } from 'fastify';
import { SignInRefusedError, SlowHashBusyError } from '../../core/errors.js';
import { DEVICE_SECONDS } from '../../core/sign-in/devices.js';
import { csrfTokenMatches } from '../../core/sign-in/csrf.js';
import { CSRF_COOKIE, DEVICE_COOKIE, readCookie, setCookie } from '../cookies.js';
import { sendRedirect } from '../pages/send-page.js';
import { continueAuthorization } from '../consent-flow.js';
import { currentSession, formOf, type SignInForm, showSignIn, startSessionCookie } from '../sign-in-flow.js';
import type { RouteDeps } from './deps.js';

const tags = ['Sign-in'];

export function loginRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  app.get<{ Querystring: { org?: unknown } }>('/login', { schema: { operationId: 'getLogin', summary: 'The sign-in page', tags } }, async (request, reply) => {
    if (await currentSession(services, request)) return sendRedirect(reply, 303, '/account');
    const org = typeof request.query.org === 'string' ? request.query.org : undefined;
    return showSignIn(request, reply, { status: 200, ...(org !== undefined ? { organization: org } : {}) });
  });

  app.post('/login', { schema: { operationId: 'postLogin', summary: 'Sign in (form)', tags } }, async (request, reply) => {
    const form = formOf(request.body);
    if (!form) return showSignIn(request, reply, { status: 400, error: 'The sign-in form was not understood. Please try again.' });
    // A refused authorization request (AuthorizeError) is answered by the pages' error handler.
    const authorize = form.authorize === undefined ? undefined : await services.signIn.authorizeRequest(new URLSearchParams(form.authorize));
    const email = (form.email ?? '').trim();
    const again = (status: number, error: string, more: Partial<SignInForm> = {}) =>
      showSignIn(request, reply, { status, error, email, ...(authorize ? { authorize } : { organization: form.org ?? '' }), ...more });
    if (!csrfTokenMatches(readCookie(request, CSRF_COOKIE), form.csrf)) return again(403, 'This sign-in form has expired. Please sign in again.');
    if (email === '' || !form.password) return again(400, 'Enter your email and your password.');
    const organizationId = authorize?.client.organizationId ?? (await services.signIn.organizationIdNamed(form.org ?? '')) ?? 'no-such-organization';
    const deviceSecret = readCookie(request, DEVICE_COOKIE);
    let user;
    try {
      user = await services.credentials.verify({ organizationId, email, address: request.ip, deviceSecret }, form.password);
    } catch (error) {
      if (error instanceof SlowHashBusyError) {
        return again(429, 'Too many sign-ins are being checked right now. Try again in a few seconds.', { retryAfterSeconds: error.retryAfterSeconds });
      }
      if (!(error instanceof SignInRefusedError)) throw error;
      if (error.retryAfterSeconds === null) return again(401, 'The email or password is not right.');
      const minutes = Math.ceil(error.retryAfterSeconds / 60);
      return again(429, `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, { retryAfterSeconds: error.retryAfterSeconds });
    }
    // This browser is recognised from now on: guesses from its network cannot shut it out.
    const device = await services.devices.remember(deviceSecret, user);
    if (device !== null) setCookie(reply, request, DEVICE_COOKIE, device, DEVICE_SECONDS);
    const signedIn = await services.sessions.start(user);
    startSessionCookie(request, reply, signedIn);
    // On to the app, through the consent page where the person has not allowed it yet.
    if (authorize) return continueAuthorization(services, reply, authorize, signedIn, 303);
    return sendRedirect(reply, 303, '/account');
  });
}
