/**
 * Sends an HTML page with the headers every screen of tokend carries: a strict Content-Security-
 * Policy (scripts and styles only from our origin, nothing inline, forms only to us and, on the sign-in
 * page, to the client's redirect origin, since Chromium applies `form-action` to the redirect
 * that follows the POST), no framing, no caching, no referrer (URLs here carry codes and state).
 */
import type { FastifyReply } from 'fastify';

export function contentSecurityPolicy(formTargets: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action ${["'self'", ...formTargets].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The CSP source of a redirect URI: its origin, or its scheme for a custom-scheme URI. */
export function cspSourceOf(uri: string): string | null {
  try {
    const url = new URL(uri);
    if (url.origin !== 'null') return url.origin;
    return /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol) ? url.protocol : null;
  } catch {
    return null;
  }
}

export function sendPage(reply: FastifyReply, status: number, page: string, formTargets: readonly string[] = []): FastifyReply {
  return reply
    .code(status)
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy(formTargets),
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      pragma: 'no-cache',
    })
    .send(page);
}

/** A redirect that leaks nothing: no caching, no referrer. */
export function sendRedirect(reply: FastifyReply, status: 302 | 303, location: string): FastifyReply {
  return reply.code(status).headers({ location, 'cache-control': 'no-store', pragma: 'no-cache', 'referrer-policy': 'no-referrer' }).send();
}
