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
import type { SignInError, SignInField } from '../pages/sign-in-page.js';
import { continueAuthorization } from '../consent-flow.js';
import { currentSession, formOf, type SignInForm, showSignIn, startSessionCookie } from '../sign-in-flow.js';
import type { RouteDeps } from './deps.js';

const tags = ['Sign-in'];

const formWide = (message: string): SignInError => ({ message, fields: [] });

/**
 * Wrong credentials: one message whichever was wrong, the organization included where the form
 * asks for it, and every field marked, so that the page never tells which one it was.
 */
function notRight(withOrganization: boolean): SignInError {
  return withOrganization
    ? { message: 'The organization, email or password is not right.', fields: ['org', 'email', 'password'] }
    : { message: 'The email or password is not right.', fields: ['email', 'password'] };
}

const FIELD_WORDS: Record<SignInField, string> = { org: 'your organization', email: 'your email', password: 'your password' };

function missingFields(values: Partial<Record<SignInField, string | undefined>>): SignInField[] {
  return (Object.keys(values) as SignInField[]).filter((field) => !values[field]);
}

/** "Enter your email and your password." */
function missingMessage(fields: readonly SignInField[]): string {
  const words = fields.map((field) => FIELD_WORDS[field]);
  const last = words.pop();
  return `Enter ${words.length > 0 ? `${words.join(', ')} and ${last}` : last}.`;
}

export function loginRoutes(app: FastifyInstance, { services }: RouteDeps): void {
  app.get<{ Querystring: { org?: unknown } }>('/login', { schema: { operationId: 'getLogin', summary: 'The sign-in page', tags } }, async (request, reply) => {
    if (await currentSession(services, request)) return sendRedirect(reply, 303, '/account');
    const org = typeof request.query.org === 'string' ? request.query.org : undefined;
    return showSignIn(services, request, reply, { status: 200, ...(org !== undefined ? { organization: org } : {}) });
  });

  app.post('/login', { schema: { operationId: 'postLogin', summary: 'Sign in (form)', tags } }, async (request, reply) => {
    const form = formOf(request.body);
    if (!form) return showSignIn(services, request, reply, { status: 400, error: formWide('The sign-in form was not understood. Please try again.') });
    // A refused authorization request (AuthorizeError) is answered by the pages' error handler.
    const authorize = form.authorize === undefined ? undefined : await services.signIn.authorizeRequest(new URLSearchParams(form.authorize));
    const email = (form.email ?? '').trim();
    const again = (status: number, error: SignInError, more: Partial<SignInForm> = {}) =>
      showSignIn(services, request, reply, { status, error, email, ...(authorize ? { authorize } : { organization: form.org ?? '' }), ...more });
    if (!csrfTokenMatches(readCookie(request, CSRF_COOKIE), form.csrf)) return again(403, formWide('This sign-in form has expired. Please sign in again.'));
    const password = form.password ?? '';
    const missing = missingFields(authorize ? { email, password } : { org: (form.org ?? '').trim(), email, password });
    if (missing.length > 0) return again(400, { message: missingMessage(missing), fields: missing });
    const organizationId = authorize?.client.organizationId ?? (await services.signIn.organizationIdNamed(form.org ?? '')) ?? 'no-such-organization';
    const deviceSecret = readCookie(request, DEVICE_COOKIE);
    let user;
    try {
      user = await services.credentials.verify({ organizationId, email, address: request.ip, deviceSecret }, password);
    } catch (error) {
      if (error instanceof SlowHashBusyError) {
        return again(429, formWide('Too many sign-ins are being checked right now. Try again in a few seconds.'), {
          retryAfterSeconds: error.retryAfterSeconds,
        });
      }
      if (!(error instanceof SignInRefusedError)) throw error;
      if (error.retryAfterSeconds === null) return again(401, notRight(authorize === undefined));
      const minutes = Math.ceil(error.retryAfterSeconds / 60);
      return again(429, formWide(`Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`), {
        retryAfterSeconds: error.retryAfterSeconds,
      });
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
