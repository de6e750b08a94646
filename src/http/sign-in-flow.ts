/**
 * Steps shared by `/oauth/authorize` and `/login`: show the sign-in form, finish. A refused
 * request (AuthorizeError) is answered by the pages' error handler (pages/page-errors.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorRedirectUri } from '../core/authorize/complete.js';
import type { AuthorizeRequest } from '../core/authorize/request.js';
import { newToken } from '../core/secrets.js';
import type { Services } from '../core/services.js';
import { csrfTokenFor } from '../core/sign-in/csrf.js';
import { type LiveSession, SESSION_SECONDS } from '../core/sign-in/sessions.js';
import { CSRF_COOKIE, DEVICE_COOKIE, readCookie, SESSION_COOKIE, setCookie } from './cookies.js';
import { cspSourceOf, sendPage, sendRedirect } from './pages/send-page.js';
import { type SignInError, type SignInView, signInPage } from './pages/sign-in-page.js';

/** The form's CSRF secret lives a day; a form left open longer is simply shown again. */
const CSRF_COOKIE_SECONDS = 24 * 3600;

export interface SignInForm {
  status: number;
  authorize?: AuthorizeRequest;
  organization?: string;
  email?: string;
  error?: SignInError;
  retryAfterSeconds?: number;
}

/**
 * The person this browser's device cookie remembers, when the form has no email yet and they
 * belong where this sign-in leads (the client's organization), to fill in with "Not you?".
 */
async function rememberedFor(services: Pick<Services, 'devices'>, request: FastifyRequest, form: SignInForm) {
  if (form.email !== undefined) return null;
  const person = await services.devices.rememberedPerson(readCookie(request, DEVICE_COOKIE));
  if (person === null || (form.authorize && person.organizationId !== form.authorize.client.organizationId)) return null;
  return person;
}

export async function showSignIn(services: Pick<Services, 'devices'>, request: FastifyRequest, reply: FastifyReply, form: SignInForm): Promise<FastifyReply> {
  let secret = readCookie(request, CSRF_COOKIE);
  if (!secret) {
    secret = newToken();
    setCookie(reply, request, CSRF_COOKIE, secret, CSRF_COOKIE_SECONDS);
  }
  const { authorize } = form;
  const remembered = await rememberedFor(services, request, form);
  const cancelHref = authorize ? errorRedirectUri(authorize.errorRedirect, 'access_denied', 'The person cancelled the sign-in.') : '';
  const organization = form.organization ?? (remembered && !authorize ? remembered.organizationName : undefined);
  const email = form.email ?? remembered?.email;
  const view: SignInView = {
    csrf: csrfTokenFor(secret),
    ...(authorize
      ? { authorize: { query: authorize.query, clientName: authorize.client.name, organizationName: authorize.organization.name, cancelHref } }
      : {}),
    ...(organization !== undefined ? { organization } : {}),
    ...(email !== undefined ? { email } : {}),
    ...(remembered ? { remembered: true } : {}),
    ...(form.error !== undefined ? { error: form.error } : {}),
  };
  if (form.retryAfterSeconds !== undefined) reply.header('retry-after', String(form.retryAfterSeconds));
  const redirectSource = authorize ? cspSourceOf(authorize.redirectUri) : null;
  return sendPage(reply, form.status, signInPage(view), redirectSource ? [redirectSource] : []);
}

export async function finishAuthorization(
  services: Pick<Services, 'signIn'>,
  reply: FastifyReply,
  authorize: AuthorizeRequest,
  signedIn: LiveSession,
  status: 302 | 303,
): Promise<FastifyReply> {
  return sendRedirect(reply, status, await services.signIn.complete(authorize, signedIn));
}

export function startSessionCookie(request: FastifyRequest, reply: FastifyReply, signedIn: LiveSession): void {
  setCookie(reply, request, SESSION_COOKIE, signedIn.secret, SESSION_SECONDS);
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  setCookie(reply, request, SESSION_COOKIE, '', 0);
}

export function currentSession(services: Pick<Services, 'sessions'>, request: FastifyRequest): Promise<LiveSession | null> {
  return services.sessions.resolve(readCookie(request, SESSION_COOKIE));
}

/** A parsed form body (every value a string), or null for anything else. */
export function formOf(body: unknown): Record<string, string> | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const entries = Object.entries(body as Record<string, unknown>);
  return entries.every(([, value]) => typeof value === 'string') ? (Object.fromEntries(entries) as Record<string, string>) : null;
}
