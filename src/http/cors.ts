/**
 * CORS for the browser SDK (Fetch standard, "CORS protocol"): a web app on its own origin calls
 * `/oauth/token` (PKCE) and `/api/v2` from the page, as it calls Genesys Cloud. Any origin may,
 * because these endpoints take credentials only in the Authorization header or the form, never
 * from cookies (no `Access-Control-Allow-Credentials`): a foreign page gains nothing it did not
 * already hold. The sign-in pages are not CORS-enabled.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const EXPOSED = [
  'ININ-Correlation-Id',
  'Genesys-Correlation-Id',
  'inin-ratelimit-count',
  'inin-ratelimit-allowed',
  'inin-ratelimit-reset',
  'Retry-After',
  'WWW-Authenticate',
];
const EXPOSED_LIST = EXPOSED.join(', ');
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept';
/** A list of header names (RFC 9110 tokens), as a preflight asks for them. */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:[ \t]*,[ \t]*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;
const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, DELETE';

/**
 * What a page calls, by the scope that routes it (scopes.ts): the API, the OAuth endpoints of
 * tokens (PKCE) and of revoking its own (a public client), and the metadata browser libraries
 * discover them by. Introspection takes a secret: servers only.
 */
const PREFLIGHT_PATHS = { api: ['/api/v2/*'], oauth: ['/oauth/token', '/oauth/revoke'], metadata: ['/.well-known/oauth-authorization-server'] };
const BROWSER_OAUTH_PATHS = [...PREFLIGHT_PATHS.oauth, ...PREFLIGHT_PATHS.metadata];

function corsApplies(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return path.startsWith('/api/v2/') || BROWSER_OAUTH_PATHS.includes(path);
}

/** The CORS headers of every response to a page's request; the preflights are routes ({@link corsPreflight}). */
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
}

async function answerPreflight(request: FastifyRequest, reply: FastifyReply) {
  // Whatever headers the page sends are harmless without cookies; SDKs add their own.
  const asked = request.headers['access-control-request-headers'];
  const headers = typeof asked === 'string' && asked.length <= 1000 && HEADER_LIST.test(asked) ? asked : ALLOWED_HEADERS;
  return reply
    .code(204)
    .headers({ 'access-control-allow-methods': ALLOWED_METHODS, 'access-control-allow-headers': headers, 'access-control-max-age': '600' })
    .send();
}

/**
 * The preflights (`OPTIONS`) of what a page calls, each in the scope that answers the errors of
 * its paths: answered before any authentication, as the protocol requires.
 */
export function corsPreflight(scope: FastifyInstance, paths: keyof typeof PREFLIGHT_PATHS): void {
  for (const path of PREFLIGHT_PATHS[paths]) scope.options(path, { schema: { hide: true } }, answerPreflight);
}
