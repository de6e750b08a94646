/**
 * What the load generator sends. Each workload is `{ setupRequest, onResponse? }` for one
 * autocannon request slot; autocannon calls setupRequest before every request (so the token
 * rotates) and onResponse with the answer to that request (no pipelining: one in flight per
 * connection, so the per-connection context belongs to it).
 *
 * setupRequest always hands back a new headers object: autocannon keeps the one it is given
 * and writes Content-Length into it, which would leak into the next request otherwise.
 */

const TOKENS_ME = '/api/v2/tokens/me';
const FORM = 'application/x-www-form-urlencoded';

function pick(list) {
  return list[Math.floor(Math.random() * list.length)];
}

export function basic(id, secret) {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** GET (or HEAD) /api/v2/tokens/me, each request with a random one of `tokens`. */
export function validate(tokens, method = 'GET') {
  return {
    method,
    setupRequest(request) {
      request.method = method;
      request.path = TOKENS_ME;
      request.headers = { authorization: `Bearer ${pick(tokens)}` };
      return request;
    },
  };
}

/** Every token once, in order (the warm-up pass); `amount` must be tokens.length. */
export function everyTokenOnce(tokens, method = 'HEAD') {
  let next = 0;
  return {
    method,
    setupRequest(request) {
      request.method = method;
      request.path = TOKENS_ME;
      request.headers = { authorization: `Bearer ${tokens[next++ % tokens.length]}` };
      return request;
    },
  };
}

/** Client-credentials issuance at POST /oauth/token. */
export function issue(client) {
  const authorization = basic(client.id, client.secret);
  return {
    setupRequest(request) {
      request.method = 'POST';
      request.path = '/oauth/token';
      request.headers = { authorization, 'content-type': FORM };
      request.body = 'grant_type=client_credentials';
      return request;
    },
  };
}

/** oidc-provider's RFC 7662 introspection, each request with a random one of `tokens`. */
export function introspect(tokens, client) {
  const authorization = basic(client.client_id, client.client_secret);
  return {
    setupRequest(request) {
      request.method = 'POST';
      request.path = '/token/introspection';
      request.headers = { authorization, 'content-type': FORM };
      request.body = `token=${pick(tokens)}`;
      return request;
    },
  };
}
