/**
 * The request target as a path. HTTP/1.1 lets a client send the absolute form
 * (`GET http://host/api/v2/tokens/me HTTP/1.1`, RFC 9112 section 3.2.2), which a server must
 * accept; Fastify's router finds the route by its path, but `request.url` keeps the whole URL,
 * so every check that reads the path from it (the no-store headers of /api/v2, the form body
 * refused on /api/v2, CORS, the access log) would miss. Rewritten once, before routing, every
 * part of the app reads the same origin form the router matched.
 */

const SLASH = 47;

/**
 * `url` in origin form: an absolute-form `http`/`https` target becomes its path and query
 * (`/` when it has no path); anything else is returned unchanged, for the router to refuse
 * as it does today (`*`, another scheme, a fragment, an empty authority).
 */
export function originForm(url: string): string {
  if (url.charCodeAt(0) === SLASH) return url;
  const schemeEnd = url.indexOf('://');
  if (schemeEnd === -1) return url;
  const scheme = url.slice(0, schemeEnd).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return url;
  const authorityStart = schemeEnd + 3;
  if (url.includes('#', authorityStart)) return url;
  const pathStart = url.indexOf('/', authorityStart);
  const queryStart = url.indexOf('?', authorityStart);
  // The authority ends at the first `/` or `?` (RFC 3986 section 3.2).
  const authorityEnd = [pathStart, queryStart].filter((index) => index !== -1).reduce((a, b) => Math.min(a, b), url.length);
  if (authorityEnd === authorityStart) return url;
  const rest = url.slice(authorityEnd);
  return rest.charCodeAt(0) === SLASH ? rest : `/${rest}`;
}
