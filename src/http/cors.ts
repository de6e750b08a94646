/**
 * CORS for the browser SDK (Fetch standard, "CORS protocol"): a web app on its own origin calls
 * `/oauth/token` (PKCE) and `/api/v2` from the page, as it calls Genesys Cloud. Any origin may,
 * because these endpoints take credentials only in the Authorization header or the form, never
 * from cookies (no `Access-Control-Allow-Credentials`): a foreign page gains nothing it did not
 * already hold. The sign-in pages are not CORS-enabled.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const EXPOSED = ['ININ-Correlation-Id', 'Genesys-Correlation-Id', 'inin-ratelimit-count', 'inin-ratelimit-allowed', 'inin-ratelimit-reset', 'Retry-After', 'WWW-Authenticate'];
const EXPOSED_LIST = EXPOSED.join(', ');
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept';
/** A list of header names (RFC 9110 tokens), as a preflight asks for them. */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:[ \t]*,[ \t]*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;
const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, DELETE';

/**
 * The OAuth endpoints a page calls: tokens (PKCE), revoking its own (a public client), and the
 * metadata browser libraries discover them by. Introspection takes a secret: servers only.
 */
const BROWSER_OAUTH_PATHS = ['/oauth/token', '/oauth/revoke', '/.well-known/oauth-authorization-server'];

function corsApplies(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return path.startsWith('/api/v2/') || BROWSER_OAUTH_PATHS.includes(path);
}

export function registerCors(app: FastifyInstance): void {
  // A callback hook, not an async one: on the bearer hot path a request without Origin costs one property read.
  app.addHook('onSend', (request, reply, payload, done) => {
    const origin = request.headers.origin;
    if (typeof origin === 'string' && corsApplies(request)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
      reply.header('access-control-expose-headers', EXPOSED_LIST);
    }
    done(null, payload);
  });
  // Preflights: answered before any authentication, as the protocol requires.
  const preflight = { schema: { hide: true } };
  const answer = async (request: FastifyRequest, reply: FastifyReply) => {
    // Whatever headers the page sends are harmless without cookies; SDKs add their own.
    const asked = request.headers['access-control-request-headers'];
    const headers = typeof asked === 'string' && asked.length <= 1000 && HEADER_LIST.test(asked) ? asked : ALLOWED_HEADERS;
    return reply.code(204).headers({ 'access-control-allow-methods': ALLOWED_METHODS, 'access-control-allow-headers': headers, 'access-control-max-age': '600' }).send();
  };
  app.options('/api/v2/*', preflight, answer);
  for (const path of BROWSER_OAUTH_PATHS) app.options(path, preflight, answer);
}
