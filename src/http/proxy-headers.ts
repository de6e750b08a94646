import type { IncomingHttpHeaders } from 'node:http';

/**
 * The headers a proxy adds to say whom it forwards for. A request that carries any of them came
 * through a proxy, whatever its peer address: a proxy on this host makes every caller loopback,
 * and nginx sends `X-Real-IP` alone when told to, `Via` is what RFC 9110 asks of every proxy.
 */
export const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'via'] as const;

/** True when the request carries a header that only a proxy adds (see {@link PROXY_HEADERS}). */
export function cameThroughProxy(headers: IncomingHttpHeaders): boolean {
  return PROXY_HEADERS.some((name) => headers[name] !== undefined);
}
