/**
 * The browser cookies (RFC 6265), without a dependency: the sign-in session, the sign-in form's
 * CSRF secret and the device cookie of the sign-in throttle. All HttpOnly (no script reads them)
 * and SameSite=Lax (not sent on cross-site POSTs), Secure when the request came over https,
 * directly or through a proxy the operator trusts (`TOKEND_TRUSTED_PROXIES`: only then does
 * Fastify believe `X-Forwarded-Proto`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'tokend_session';
export const CSRF_COOKIE = 'tokend_csrf';
export const DEVICE_COOKIE = 'tokend_device';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    // Our values are base64url; anything else is not ours.
    return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}

export function isSecureRequest(request: FastifyRequest): boolean {
  return request.protocol.toLowerCase() === 'https';
}

/** Sets a cookie for the whole origin; `maxAgeSeconds` 0 deletes it. */
export function setCookie(reply: FastifyReply, request: FastifyRequest, name: string, value: string, maxAgeSeconds: number): void {
  const attributes = [`${name}=${value}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
  if (isSecureRequest(request)) attributes.push('Secure');
  const previous = reply.getHeader('set-cookie');
  const list = previous === undefined ? [] : Array.isArray(previous) ? previous.map(String) : [String(previous)];
  reply.header('set-cookie', [...list, attributes.join('; ')]);
}
