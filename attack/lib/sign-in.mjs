/**
 * The two ways a person signs in with a password (the password grant and the sign-in page), and
 * how to read their answers: a verdict (the password was checked and found wrong), throttled
 * (refused unchecked, with Retry-After), a success, or something unexpected.
 */
import { ORGANIZATION } from './seed.mjs';
import { form, json, send, tokenRequest } from './http.mjs';

/** `grant_type=password` with the PASSWORD app's Basic authentication. */
export async function passwordGrant(server, from, app, email, password, timeoutMs) {
  const response = await tokenRequest(server, from, app.id, app.secret, { grant_type: 'password', username: email, password }, timeoutMs);
  return { response, outcome: grantOutcome(response) };
}

function grantOutcome(response) {
  if (response.error === 'timeout') return 'unanswered';
  if (response.error) return `error ${response.error}`;
  const body = json(response);
  const retryAfter = response.headers['retry-after'] !== undefined;
  if (response.status === 200 && body?.access_token) return 'success';
  if (response.status === 400 && body?.error === 'invalid_grant' && !retryAfter && body.error_description === 'invalid username or password') return 'verdict';
  if ((response.status === 400 && body?.error === 'invalid_grant' && retryAfter) || (response.status === 429 && retryAfter)) return 'throttled';
  return `unexpected ${response.status} ${body?.error ?? ''}`.trim();
}

/** A sign-in form for one caller: its CSRF cookie and the matching form token, from `GET /login`. */
export async function signInForm(server, from) {
  const response = await send(server, { from, path: '/login' });
  const cookie = /tokend_csrf=([A-Za-z0-9_-]+)/.exec(String(response.headers?.['set-cookie'] ?? ''))?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(response.body ?? '')?.[1];
  if (response.status !== 200 || !cookie || !csrf) throw new Error(`GET /login gave no sign-in form: ${response.status} ${response.error ?? ''}`);
  return { cookie: `tokend_csrf=${cookie}`, csrf };
}

/** `POST /login` as a browser would: 303 on success, 401 for a wrong password, 429 when throttled. */
export async function pageSignIn(server, from, signIn, email, password, timeoutMs) {
  const response = await send(server, {
    from,
    timeoutMs,
    method: 'POST',
    path: '/login',
    headers: { cookie: signIn.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ csrf: signIn.csrf, org: ORGANIZATION, email, password }),
  });
  return { response, outcome: pageOutcome(response) };
}

function pageOutcome(response) {
  if (response.error === 'timeout') return 'unanswered';
  if (response.error) return `error ${response.error}`;
  if (response.status === 303 && /tokend_session=[A-Za-z0-9_-]+;/.test(String(response.headers['set-cookie'] ?? ''))) return 'success';
  if (response.status === 401) return 'verdict';
  if (response.status === 429 && response.headers['retry-after'] !== undefined) return 'throttled';
  return `unexpected ${response.status}`;
}

/** Outcomes that are none of the expected kinds, e.g. "unexpected 500: 3" (unanswered ones are counted apart). */
export function unexpected(counts) {
  return Object.entries(counts)
    .filter(([outcome]) => !['verdict', 'throttled', 'success', 'unanswered'].includes(outcome))
    .map(([outcome, n]) => `${outcome}: ${n}`);
}

/** The `name=value` of every cookie a response sets (a browser keeps them all). */
export function cookiesOf(response) {
  const header = response.headers['set-cookie'] ?? [];
  return (Array.isArray(header) ? header : [header]).map((cookie) => cookie.split(';')[0]).filter((pair) => !pair.endsWith('='));
}
