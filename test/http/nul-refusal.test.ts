/**
 * U+0000 anywhere core would read it is a 400 in the scope's own shape before the store is
 * reached, on SQLite and on PostgreSQL (whose text cannot hold it: these were 500s, each with an
 * error log line): the path and query, a Basic credential (raw or percent-encoded), a form body,
 * a JSON string or key at any depth. Nothing is written and nothing is logged as an error.
 * `npm run test:postgres` runs it on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { FORM } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';
import { captureLog } from '../helpers/log-capture.js';
import { rawRows } from '../helpers/raw-sql.js';

const NUL_MESSAGE = 'The request holds a NUL character (U+0000), which no value may contain.';
const JSON_TYPE = { 'content-type': 'application/json' };

const log = captureLog();
let t: TestApp;
let admin: string;
before(async () => {
  t = await startTestApp({ logger: { level: 'info', stream: log.stream }, rateLimitPerMinute: 100_000 });
  admin = await t.token(clients.admin);
});
after(() => t.close());

type Shape = 'api' | 'oauth' | 'page';
interface Case {
  name: string;
  shape: Shape;
  request: InjectOptions;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const token = (fields: Record<string, string>, authorization: string): InjectOptions => ({
  method: 'POST',
  url: '/oauth/token',
  headers: { ...FORM, authorization },
  payload: form(fields),
});

/** Without credentials: what anyone on the network can send. */
const anonymous: Case[] = [
  { name: 'a Basic client id', shape: 'oauth', request: token({ grant_type: 'client_credentials' }, basic('client\0id', 'secret')) },
  { name: 'a percent-encoded Basic client id', shape: 'oauth', request: token({ grant_type: 'client_credentials' }, basic('%00client', 'secret')) },
  {
    name: 'a Basic client id at /oauth/introspect',
    shape: 'oauth',
    request: { method: 'POST', url: '/oauth/introspect', headers: { ...FORM, authorization: basic('x\0', 'y') }, payload: 'token=t' },
  },
  {
    name: 'client_id at /oauth/revoke',
    shape: 'oauth',
    request: { method: 'POST', url: '/oauth/revoke', headers: FORM, payload: form({ client_id: 'a\0b', token: 't' }) },
  },
  {
    name: 'client_id at /oauth/authorize',
    shape: 'page',
    request: { method: 'GET', url: `/oauth/authorize?client_id=%00&redirect_uri=${encodeURIComponent(clients.codeApp.redirectUri)}&response_type=code` },
  },
  {
    name: 'client_id at /logout',
    shape: 'page',
    request: { method: 'GET', url: `/logout?client_id=a%00&redirect_uri=${encodeURIComponent(clients.pkceApp.signedOutUri)}` },
  },
  {
    name: 'the email at /login',
    shape: 'page',
    request: { method: 'POST', url: '/login', headers: FORM, payload: form({ csrf: 'x', org: 'Acme', email: `${users.bob.email}\0`, password: 'p' }) },
  },
  {
    name: 'the organization at /login',
    shape: 'page',
    request: { method: 'POST', url: '/login', headers: FORM, payload: form({ csrf: 'x', org: 'Ac\0me', email: users.bob.email, password: 'p' }) },
  },
  {
    name: 'a raw NUL byte in a form',
    shape: 'oauth',
    request: { method: 'POST', url: '/oauth/revoke', headers: FORM, payload: Buffer.from('client_id=a\0b&token=t') },
  },
];

const PASSWORD_APP = basic(clients.passwordApp.id, clients.passwordApp.secret);
const CODE_APP = basic(clients.codeApp.id, clients.codeApp.secret);
const ADMIN_BASIC = basic(clients.admin.id, clients.admin.secret);

/** With credentials: a client's secret or a bearer token. */
const authenticated = (): Case[] => [
  {
    name: 'the password grant username',
    shape: 'oauth',
    request: token({ grant_type: 'password', username: `\0${users.bob.email}`, password: users.bob.password }, PASSWORD_APP),
  },
  { name: 'the password grant password', shape: 'oauth', request: token({ grant_type: 'password', username: users.bob.email, password: '\0' }, PASSWORD_APP) },
  {
    name: 'an authorization code',
    shape: 'oauth',
    request: token({ grant_type: 'authorization_code', code: 'c\0de', redirect_uri: clients.codeApp.redirectUri }, CODE_APP),
  },
  { name: 'a refresh token', shape: 'oauth', request: token({ grant_type: 'refresh_token', refresh_token: '\0' }, CODE_APP) },
  {
    name: 'the token at /oauth/introspect',
    shape: 'oauth',
    request: { method: 'POST', url: '/oauth/introspect', headers: { ...FORM, authorization: ADMIN_BASIC }, payload: form({ token: 'a\0' }) },
  },
  {
    name: 'the token at /oauth/revoke',
    shape: 'oauth',
    request: { method: 'POST', url: '/oauth/revoke', headers: { ...FORM, authorization: CODE_APP }, payload: form({ token: 'a\0' }) },
  },
  { name: 'a path parameter', shape: 'api', request: { method: 'DELETE', url: '/api/v2/tokens/%00abc', headers: bearer(admin) } },
  { name: 'a client id in the path', shape: 'api', request: { method: 'GET', url: '/api/v2/oauth/clients/abc%00', headers: bearer(admin) } },
  { name: 'a query parameter', shape: 'api', request: { method: 'GET', url: '/api/v2/authorization/roles?name=%00', headers: bearer(admin) } },
  { name: 'a query list', shape: 'api', request: { method: 'GET', url: '/api/v2/users/me?expand=organization,%00', headers: bearer(admin) } },
  {
    name: 'a JSON string',
    shape: 'api',
    // An operation the caller may use: a refused one (403) is answered before its body is read.
    request: {
      method: 'PUT',
      url: '/api/v2/tokens/timeout',
      headers: { ...bearer(admin), ...JSON_TYPE },
      payload: JSON.stringify({ inactivityTimeoutUnit: 'Minutes\0' }),
    },
  },
  {
    name: 'a JSON string deep in arrays',
    shape: 'api',
    request: {
      method: 'PUT',
      url: '/api/v2/tokens/timeout',
      headers: { ...bearer(admin), ...JSON_TYPE },
      payload: JSON.stringify({ inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 600, groups: ['\0'] }] }),
    },
  },
  {
    name: 'a JSON key',
    shape: 'api',
    request: { method: 'PUT', url: '/api/v2/tokens/timeout', headers: { ...bearer(admin), ...JSON_TYPE }, payload: '{"enableIdleTokenTimeout\\u0000": true}' },
  },
];

function assertRefused(response: LightMyRequestResponse, shape: Shape, name: string): void {
  if (shape === 'api') return assertErrorBody(response, { status: 400, code: 'bad.request', message: NUL_MESSAGE }, name);
  assert.equal(response.statusCode, 400, `${name}: ${response.body}`);
  if (shape === 'oauth') {
    assert.deepEqual(response.json(), { error: 'invalid_request', description: NUL_MESSAGE, error_description: NUL_MESSAGE }, name);
    assert.equal(response.headers['cache-control'], 'no-store', name);
  } else {
    assert.match(String(response.headers['content-type']), /^text\/html/, name);
    assert.match(response.body, /The request was not understood\./, name);
  }
}

/** Rows per table: what a request could have written. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = t.database.startsWith('postgres')
    ? await rawRows<{ name: string }>(t.database, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")
    : await rawRows<{ name: string }>(t.database, "SELECT name FROM sqlite_master WHERE type = 'table'");
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = Number((await rawRows<{ n: number | string }>(t.database, `SELECT count(*) AS n FROM ${name}`))[0]?.n);
  return counts;
}

test('a NUL in any input is a 400 in the shape of its scope; nothing is written, nothing logged as an error', async () => {
  const cases = [...anonymous, ...authenticated()];
  assert.ok(cases.length >= 16);
  const before = await rowCounts();
  log.clear();
  for (const { name, shape, request } of cases) assertRefused(await t.inject({ remoteAddress: '10.9.0.1', ...request }), shape, name);
  assert.deepEqual(await rowCounts(), before);
  const errors = log.lines().filter((line) => (line.level as number) >= 50);
  assert.deepEqual(errors, []);
});

test('what only looks like a NUL passes: %2500 in a query, the text \\u0000 in a JSON string', async () => {
  const query = await t.inject({ method: 'GET', url: '/api/v2/authorization/roles?name=%2500', headers: bearer(admin) });
  // Past the guard: refused for the permission this client lacks, not for a NUL.
  assert.deepEqual([query.statusCode, query.json().code], [403, 'missing.any.permissions']);
  const escaped = await t.inject({
    method: 'PUT',
    url: '/api/v2/tokens/timeout',
    headers: { ...bearer(admin), ...JSON_TYPE },
    payload: JSON.stringify({ inactivityTimeoutUnit: '\\u0000' }),
  });
  assert.equal(escaped.statusCode, 400);
  assert.notEqual(escaped.json().message, NUL_MESSAGE);
  assert.equal(escaped.json().code, 'invalid.value');
});

test('a Basic header is read for a NUL only where it is a credential: elsewhere a Basic header is authentication.required, whatever its base64 decodes to', async () => {
  // A bearer token sent as Basic decodes to random bytes, a NUL among them about one time in eight:
  // that gave /api/v2/tokens/me a 400 instead of its 401 (a flaky CI run). Bytes fixed here.
  const holdsNul = `Basic ${Buffer.from([0x41, 0x00, 0x3a, 0x00, 0x42]).toString('base64')}`;
  const me = await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: { authorization: holdsNul } });
  assertErrorBody(me, errorBodies.authenticationRequired);
  // A raw `%00` in a secret is a secret with those three characters: core decodes only an encoded id's pair.
  const rawPercent = await t.inject({ ...token({ grant_type: 'client_credentials' }, basic(clients.admin.id, '%00')), remoteAddress: '10.9.0.2' });
  assert.deepEqual([rawPercent.statusCode, rawPercent.json().error], [401, 'invalid_client']);
});
