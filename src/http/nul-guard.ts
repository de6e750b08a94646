/**
 * U+0000 is refused at the edge, on every backend (CONTRACT.md, "Sign-in and client-authentication
 * throttling"): PostgreSQL's text cannot hold it, so a value carrying one reached the store and
 * came back as a 500 with an error log, while SQLite stored it. No value tokend takes may hold it,
 * so a request that carries one anywhere core would read it (the path and query, a Basic
 * credential, a form or JSON body) is a 400 in its scope's shape before any route runs: an
 * ErrorBody on /api/v2, `invalid_request` at the OAuth endpoints, a page on the pages. Cookies
 * need no check: only base64url values are read (cookies.ts). A raw NUL byte cannot arrive in
 * the request line or a header (node's parser refuses it), so there it can only come
 * percent-encoded or inside base64.
 */
import type { FastifyInstance } from 'fastify';
import { parseBasicAuthorization } from '../core/basic-authorization.js';
import { ApiError } from '../core/errors.js';

export function nulRefusal(): ApiError {
  return new ApiError(400, 'bad.request', 'The request holds a NUL character (U+0000), which no value may contain.');
}

/**
 * The routes whose callers core reads from `Authorization: Basic` (core/client-caller.ts).
 * Anywhere else the header is not a credential: `Basic <a bearer token>` at /api/v2 is
 * `authentication.required`, whatever bytes its base64 happens to decode to.
 */
const BASIC_READERS = new Set(['/oauth/token', '/oauth/introspect', '/oauth/revoke']);

/** Whether the Basic credential core would read holds a NUL, raw or percent-encoded (it decodes both). */
function basicHoldsNul(authorization: string | undefined): boolean {
  if (authorization === undefined || (authorization.charCodeAt(0) | 0x20) !== 0x62) return false;
  const credential = parseBasicAuthorization(authorization);
  return credential !== null && credentialHoldsNul(credential);
}

/** A decoded Basic credential (core/basic-authorization.ts) with a NUL in its id or secret. */
export function credentialHoldsNul(credential: { clientId: string; secret: string }): boolean {
  return credential.clientId.includes('\0') || credential.secret.includes('\0');
}

/** A form body (`application/x-www-form-urlencoded`), before it is decoded. */
export function formHoldsNul(body: string): boolean {
  return body.includes('%00') || body.includes('\0');
}

/**
 * A parsed JSON body; `text` is what was parsed. JSON can carry a NUL only as the escape
 * `\u0000` (a raw one is not valid JSON), so a text without it is not walked.
 */
export function jsonHoldsNul(text: string, value: unknown): boolean {
  if (!text.includes('\\u0000')) return false;
  // A walk with a stack of its own: nesting as deep as JSON.parse allows cannot overflow it.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next.includes('\0')) return true;
    } else if (next !== null && typeof next === 'object') {
      for (const [key, item] of Object.entries(next)) {
        if (key.includes('\0')) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/**
 * The path and query (percent-encoded: `%00` is the only way a NUL can be in a request target)
 * and a Basic credential, checked as each request arrives; bodies are checked by their parsers
 * (content-types.ts). On the root: every scope inherits it.
 */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const nul = request.url.includes('%00') || (BASIC_READERS.has(request.routeOptions.url ?? '') && basicHoldsNul(request.headers.authorization));
    done(nul ? nulRefusal() : undefined);
  });
}
