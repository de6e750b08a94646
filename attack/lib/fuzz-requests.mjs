/**
 * Random requests for the fuzzing attack: methods, paths (the OpenAPI document's and random
 * ones), query strings, headers, content types and bodies, weighted towards what has broken
 * servers before: repeated form fields, invalid and deeply nested JSON, bodies over the limit,
 * binary and non-UTF-8 bytes, bad percent-encoding, bad Authorization headers. Everything stays
 * within what node:http will send (it refuses control characters in headers and paths).
 */
import { randomBytes, randomUUID } from 'node:crypto';

const METHODS = ['GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO'];
const RANDOM_PATHS = [
  '/',
  '/nope',
  '/api',
  '/api/v2',
  '/api/v2/',
  '/api/v2/tokens',
  '/api/v2/tokens/',
  '/api/v2/users/me',
  '/oauth',
  '/oauth/token/',
  '/oauth/introspect',
  '/oauth/revoke',
  '/.well-known/oauth-authorization-server',
  '/assets/tokend.css',
  '/assets/../../etc/passwd',
  '/api/v2/docs/openapi.json',
  '/favicon.ico',
  '//',
  '/./api/v2/tokens/me',
  '/API/V2/TOKENS/ME',
];
const WEIRD_SEGMENTS = [
  '%',
  '%zz',
  '%c0%ae',
  '%ff%fe',
  '%00',
  '..',
  '.',
  '%2e%2e',
  '%2F',
  'ä',
  '%E2%82',
  '{userId}',
  '*',
  ';x=1',
  'a'.repeat(600),
  randomUUID(),
];
const CONTENT_TYPES = [
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=latin1',
  'text/plain',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'application/xml',
  'application/octet-stream',
  'a/b;c=',
  ';;;',
  'application/json, text/plain',
];
const GRANTS = [
  'client_credentials',
  'password',
  'authorization_code',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:saml2-bearer',
  'implicit',
  '',
  '%',
  'x'.repeat(300),
];

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const chance = (p) => Math.random() < p;
const text = (n) =>
  randomBytes(Math.ceil(n * 0.75) + 1)
    .toString('base64url')
    .slice(0, n);

export function fuzzRequest({ paths, token, client }) {
  const method = pick(METHODS);
  const path = fuzzPath(paths);
  const headers = fuzzHeaders(token, client);
  const { body, contentType } = fuzzBody(path);
  if (contentType !== undefined) headers['content-type'] = contentType;
  return { method, path, headers, body };
}

function fuzzPath(paths) {
  const roll = Math.random();
  let path;
  if (roll < 0.6) {
    path = pick(paths).replace(/\{[^}]+\}/g, () => (chance(0.5) ? randomUUID() : pick(WEIRD_SEGMENTS)));
  } else if (roll < 0.85) {
    path = pick(RANDOM_PATHS);
  } else {
    path = `/${Array.from({ length: 1 + Math.floor(Math.random() * 5) }, () => pick([...WEIRD_SEGMENTS, text(8), 'api', 'v2', 'tokens', 'oauth'])).join('/')}`;
  }
  if (chance(0.3)) path += `?${fuzzForm(3)}`;
  if (chance(0.05))
    path += pick(['?preserveIdleTTL=maybe', '?preserveIdleTTL=true&preserveIdleTTL=false', '?%zz=1', '?a', '?=', '?&&&', '#frag', `?x=${'%'.repeat(5)}`]);
  // node:http refuses spaces and control characters in a path; anything else beyond ASCII goes percent-encoded.
  return path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
}

function fuzzHeaders(token, client) {
  const headers = {};
  const roll = Math.random();
  if (roll < 0.15) headers.authorization = `Bearer ${token}`;
  else if (roll < 0.2) headers.authorization = `bearer ${token}`;
  else if (roll < 0.21) headers.authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  else if (roll < 0.212) headers.authorization = `Basic ${Buffer.from(`${randomUUID()}:${text(12)}`).toString('base64')}`;
  else if (roll < 0.45) {
    headers.authorization = pick([
      'Bearer',
      'Bearer ',
      `Bearer ${text(43)}`,
      `Bearer ${token}x`,
      `Bearer ${token} ${token}`,
      `Bearer ${'a'.repeat(8000)}`,
      'Basic',
      'Basic !!!',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Basic ${Buffer.from(':').toString('base64')}`,
      `Basic ${randomBytes(30).toString('base64')}`,
      'Digest username="x"',
      'Negotiate abc',
      text(20),
      '\u00ff\u00fe',
    ]);
  }
  if (chance(0.1))
    headers.cookie = pick([`tokend_session=${text(43)}`, `tokend_csrf=${text(43)}`, 'tokend_session=; tokend_session=x', '=;=;=', `a=${'b'.repeat(4000)}`]);
  if (chance(0.05)) headers['x-forwarded-for'] = pick(['1.2.3.4', '::1', 'garbage', '1.2.3.4, 5.6.7.8', '']);
  if (chance(0.05)) headers['x-forwarded-proto'] = pick(['https', 'http', 'gopher', '']);
  if (chance(0.05)) headers.accept = pick(['application/json', 'text/html', '*/*', 'garbage', '']);
  if (chance(0.05)) headers.origin = pick(['http://evil.example', 'null', '']);
  if (chance(0.05)) headers[`x-${text(6).toLowerCase()}`] = text(20);
  if (chance(0.02)) headers['content-encoding'] = pick(['gzip', 'br', 'identity', 'x']);
  return headers;
}

function fuzzBody(path) {
  const roll = Math.random();
  const contentType = pick(CONTENT_TYPES);
  if (roll < 0.3) return { body: undefined, contentType: chance(0.2) ? contentType : undefined };
  if (roll < 0.35) return { body: '', contentType };
  if (roll < 0.55) {
    const grant = path.startsWith('/oauth/token') && chance(0.7) ? `grant_type=${encodeURIComponent(pick(GRANTS))}&` : '';
    return { body: grant + fuzzForm(6), contentType: chance(0.7) ? 'application/x-www-form-urlencoded' : contentType };
  }
  if (roll < 0.75) return { body: fuzzJson(), contentType: chance(0.7) ? 'application/json' : contentType };
  if (roll < 0.8)
    return {
      body: pick(['{', '{"a":', '[1,2', 'null', '"x"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', 'true', '1e999', '\ufeff{}']),
      contentType: 'application/json',
    };
  if (roll < 0.84) return { body: deepJson(chance(0.5) ? 1000 : 20_000), contentType: 'application/json' };
  if (roll < 0.95) return { body: randomBytes(1 + Math.floor(Math.random() * 4096)), contentType };
  if (roll < 0.99) return { body: Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc]), contentType };
  return { body: randomBytes(70_000 + Math.floor(Math.random() * 200_000)), contentType };
}

/** A form with repeated keys, bad escapes and the fields tokend reads. */
function fuzzForm(fields) {
  const keys = [
    'a',
    'grant_type',
    'username',
    'password',
    'client_id',
    'scope',
    'code',
    'redirect_uri',
    'refresh_token',
    'code_verifier',
    'csrf',
    'email',
    'org',
    'authorize',
    'token',
    'preserveIdleTTL',
    '%zz',
    '',
  ];
  const parts = [];
  for (let i = 0; i < 1 + Math.floor(Math.random() * fields); i++) {
    const k = pick(keys);
    parts.push(`${k}=${pick([text(8), '', '%', '%zz', '%c0%80', '+', 'a&b', 'x'.repeat(1000)])}`);
    if (chance(0.3)) parts.push(`${k}=${text(4)}`);
  }
  return parts.join('&');
}

function fuzzJson() {
  const values = [null, true, 0, -1, 1.5, 1e308, 'x', '', [], {}, 300, 28800, 28801, 'Minutes', [1, 2], { a: 1 }];
  const object = {};
  const keys = [
    'enableIdleTokenTimeout',
    'idleTokenTimeoutSeconds',
    'inactivityTimeoutUnit',
    'inactivityTimeoutGroupsEnabled',
    'inactivityTimeoutGroupBundles',
    'extra',
    '__proto__',
    'constructor',
  ];
  for (let i = 0; i < Math.floor(Math.random() * 6); i++) object[pick(keys)] = pick(values);
  if (chance(0.2))
    object.inactivityTimeoutGroupBundles = Array.from({ length: Math.floor(Math.random() * 8) }, () => ({
      priority: pick(values),
      timeoutSeconds: pick(values),
      groups: pick(values),
    }));
  return JSON.stringify(chance(0.1) ? [object] : object);
}

function deepJson(depth) {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}
